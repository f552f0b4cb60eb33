// Checks the send decision: do-not-contact, consent, addresses, best channel and fallback, quiet hours
// in the recipient's zone (across clock changes), and the frequency cap across playbooks.
import { describe, expect, it } from 'vitest';
import { decideSend, defaultSendPolicy, type SendContact, type SendRequest, sendPolicyWith } from './send-policy.js';

const day = 86_400_000;
const berliner: SendContact = {
  email: 'anna@example.de',
  phone: '+4930123456',
  timezone: 'Europe/Berlin',
  consent: { email: 'opted-in', sms: 'opted-in' },
  doNotContact: false,
  erased: false,
};
const newYorker: SendContact = {
  ...berliner,
  email: 'bob@example.com',
  phone: '+12125550100',
  timezone: 'America/New_York',
};

function request(overrides: Partial<SendRequest>): SendRequest {
  return {
    channel: 'email',
    fallback: null,
    ranking: [],
    contact: berliner,
    recentAutomatedSends: [],
    // A Wednesday, 12:00 in Berlin.
    now: new Date('2025-06-04T10:00:00Z'),
    policy: defaultSendPolicy,
    ...overrides,
  };
}

describe('decideSend: who may be sent to, on which channel', () => {
  it('sends in the daytime to a consenting contact with an address', () => {
    expect(decideSend(request({}))).toEqual({ kind: 'send', channel: 'email' });
  });

  it('never sends to an opted-out channel, whatever the time and the cap', () => {
    const optedOut: SendContact = { ...berliner, consent: { email: 'opted-out', sms: 'opted-in' } };
    for (let hour = 0; hour < 24 * 9; hour += 1) {
      const now = new Date(Date.parse('2025-03-28T00:00:00Z') + hour * 3_600_000);
      for (const recent of [[], [new Date(now.getTime() - day), new Date(now.getTime() - 2 * day)]]) {
        const decision = decideSend(request({ contact: optedOut, now, recentAutomatedSends: recent }));
        expect(decision).toEqual({ kind: 'skip', reason: 'opted-out', detail: 'opted out of email' });
      }
    }
  });

  it('never contacts an erased person, on any channel, whatever their consent', () => {
    for (const channel of ['email', 'sms', 'webhook', 'best'] as const) {
      const decision = decideSend(request({ channel, contact: { ...berliner, erased: true } }));
      expect(decision).toMatchObject({ kind: 'skip', reason: 'erased' });
    }
  });

  it('skips everyone on the do-not-contact list, even for webhooks', () => {
    for (const channel of ['email', 'sms', 'webhook', 'best'] as const) {
      expect(decideSend(request({ channel, contact: { ...berliner, doNotContact: true } }))).toMatchObject({
        kind: 'skip',
        reason: 'do-not-contact',
      });
    }
  });

  it('needs an explicit opt-in for SMS but not for e-mail, and an address for both', () => {
    const unknown: SendContact = { ...berliner, consent: {} };
    expect(decideSend(request({ contact: unknown }))).toEqual({ kind: 'send', channel: 'email' });
    expect(decideSend(request({ channel: 'sms', contact: unknown }))).toMatchObject({
      kind: 'skip',
      reason: 'no-consent',
    });
    expect(decideSend(request({ contact: { ...berliner, email: null } }))).toMatchObject({
      kind: 'skip',
      reason: 'no-address',
      detail: 'no e-mail address',
    });
    expect(decideSend(request({ channel: 'sms', contact: { ...berliner, phone: ' ' } }))).toMatchObject({
      kind: 'skip',
      reason: 'no-address',
    });
  });

  it('sends no e-mail to an address that bounced for good; best takes SMS instead', () => {
    const bounced: SendContact = { ...berliner, emailUndeliverable: '5.1.1 (smtp; 550 user unknown)' };
    expect(decideSend(request({ contact: bounced }))).toEqual({
      kind: 'skip',
      reason: 'undeliverable',
      detail: 'the e-mail address bounced for good: 5.1.1 (smtp; 550 user unknown)',
    });
    expect(decideSend(request({ channel: 'best', contact: bounced }))).toEqual({ kind: 'send', channel: 'sms' });
    expect(decideSend(request({ channel: 'sms', contact: bounced }))).toEqual({ kind: 'send', channel: 'sms' });
  });

  it("uses the person's learned ranking for best, passing over channels that cannot be used", () => {
    expect(decideSend(request({ channel: 'best', ranking: ['sms', 'email'] }))).toEqual({
      kind: 'send',
      channel: 'sms',
    });
    const noSms: SendContact = { ...berliner, consent: { email: 'opted-in', sms: 'opted-out' } };
    expect(decideSend(request({ channel: 'best', ranking: ['sms', 'email'], contact: noSms }))).toEqual({
      kind: 'send',
      channel: 'email',
    });
    expect(decideSend(request({ channel: 'best', ranking: [], contact: { ...berliner, email: null } }))).toEqual({
      kind: 'send',
      channel: 'sms',
    });
  });

  it('falls back to the step fallback, and reports every refusal when nothing works', () => {
    const noEmail: SendContact = { ...berliner, consent: { email: 'opted-out', sms: 'opted-in' } };
    expect(decideSend(request({ contact: noEmail, fallback: 'sms' }))).toEqual({ kind: 'send', channel: 'sms' });
    const nothing: SendContact = { ...berliner, phone: null, consent: { email: 'opted-out', sms: 'opted-in' } };
    expect(decideSend(request({ contact: nothing, fallback: 'sms' }))).toEqual({
      kind: 'skip',
      reason: 'opted-out',
      detail: 'opted out of email; no phone number',
    });
  });
});

describe('decideSend: quiet hours in the recipient time zone', () => {
  it('defers a late-evening message to 08:00 local the next morning in Berlin and New York', () => {
    // 22:30 in Berlin (CEST, UTC+2) → 08:00 CEST = 06:00Z.
    expect(decideSend(request({ now: new Date('2025-06-04T20:30:00Z') }))).toMatchObject({
      kind: 'defer',
      channel: 'email',
      until: new Date('2025-06-05T06:00:00Z'),
      reason: 'quiet-hours',
    });
    // 23:00 in New York (EDT, UTC−4) → 08:00 EDT = 12:00Z.
    expect(decideSend(request({ contact: newYorker, now: new Date('2025-06-05T03:00:00Z') }))).toMatchObject({
      kind: 'defer',
      until: new Date('2025-06-05T12:00:00Z'),
      reason: 'quiet-hours',
    });
    // 07:59 → 08:00 the same morning; 08:00 itself is allowed; 20:59 is allowed, 21:00 is not.
    expect(decideSend(request({ now: new Date('2025-06-04T05:59:00Z') }))).toMatchObject({
      kind: 'defer',
      until: new Date('2025-06-04T06:00:00Z'),
    });
    expect(decideSend(request({ now: new Date('2025-06-04T06:00:00Z') }))).toEqual({ kind: 'send', channel: 'email' });
    expect(decideSend(request({ now: new Date('2025-06-04T18:59:00Z') }))).toEqual({ kind: 'send', channel: 'email' });
    expect(decideSend(request({ now: new Date('2025-06-04T19:00:00Z') }))).toMatchObject({ kind: 'defer' });
  });

  it('defers to 08:00 local across the nights clocks change', () => {
    // Berlin springs forward on 2025-03-30: 23:00 CET on the 29th (22:00Z) → 08:00 CEST (06:00Z).
    expect(decideSend(request({ now: new Date('2025-03-29T22:00:00Z') }))).toMatchObject({
      until: new Date('2025-03-30T06:00:00Z'),
    });
    // Berlin falls back on 2025-10-26: 23:00 CEST on the 25th (21:00Z) → 08:00 CET (07:00Z).
    expect(decideSend(request({ now: new Date('2025-10-25T21:00:00Z') }))).toMatchObject({
      until: new Date('2025-10-26T07:00:00Z'),
    });
    // New York springs forward on 2025-03-09: 01:00 EST (06:00Z) → 08:00 EDT (12:00Z), 6 hours later, not 7.
    expect(decideSend(request({ contact: newYorker, now: new Date('2025-03-09T06:00:00Z') }))).toMatchObject({
      until: new Date('2025-03-09T12:00:00Z'),
    });
    // New York falls back on 2025-11-02: 01:30 EDT (05:30Z) → 08:00 EST (13:00Z).
    expect(decideSend(request({ contact: newYorker, now: new Date('2025-11-02T05:30:00Z') }))).toMatchObject({
      until: new Date('2025-11-02T13:00:00Z'),
    });
  });

  it("uses the policy's default zone when the contact has none or an unknown one", () => {
    const now = new Date('2025-06-04T22:00:00Z');
    expect(decideSend(request({ contact: { ...berliner, timezone: null }, now }))).toMatchObject({
      until: new Date('2025-06-05T08:00:00Z'),
    });
    expect(decideSend(request({ contact: { ...berliner, timezone: 'Mars/Base' }, now }))).toMatchObject({
      until: new Date('2025-06-05T08:00:00Z'),
    });
  });

  it('applies neither quiet hours nor caps to webhooks', () => {
    const now = new Date('2025-06-04T23:00:00Z');
    const recent = [new Date(now.getTime() - day), new Date(now.getTime() - 2 * day)];
    expect(decideSend(request({ channel: 'webhook', now, recentAutomatedSends: recent }))).toEqual({
      kind: 'send',
      channel: 'webhook',
    });
  });
});

describe('decideSend: frequency cap across playbooks', () => {
  const now = new Date('2025-06-04T10:00:00Z');
  const twoThisWeek = [new Date(now.getTime() - 5 * day), new Date(now.getTime() - 1 * day)];

  it('lets the second message of the week through and stops the third', () => {
    expect(decideSend(request({ recentAutomatedSends: twoThisWeek.slice(1) }))).toEqual({
      kind: 'send',
      channel: 'email',
    });
    expect(decideSend(request({ recentAutomatedSends: twoThisWeek }))).toMatchObject({
      kind: 'defer',
      reason: 'frequency-cap',
    });
  });

  it('defers the third until the oldest leaves the 7-day window, or skips it under capPolicy skip', () => {
    expect(decideSend(request({ recentAutomatedSends: twoThisWeek }))).toMatchObject({
      kind: 'defer',
      reason: 'frequency-cap',
      until: new Date(now.getTime() + 2 * day),
    });
    expect(
      decideSend(request({ recentAutomatedSends: twoThisWeek, policy: { ...defaultSendPolicy, capPolicy: 'skip' } })),
    ).toEqual({
      kind: 'skip',
      reason: 'frequency-cap',
      detail: '2 automated messages in the last 7 days reach the cap of 2',
    });
  });

  it('does not count messages older than the window, and with four in it waits for the third-newest to leave', () => {
    const old = [
      new Date(now.getTime() - 8 * day),
      new Date(now.getTime() - 7 * day),
      new Date(now.getTime() - 3 * day),
    ];
    expect(decideSend(request({ recentAutomatedSends: old }))).toEqual({ kind: 'send', channel: 'email' });
    const four = [1, 2, 3, 6].map((days) => new Date(now.getTime() - days * day));
    expect(decideSend(request({ recentAutomatedSends: four }))).toMatchObject({
      kind: 'defer',
      until: new Date(now.getTime() + 5 * day),
    });
  });

  it('moves a cap deferral that ends in quiet hours on to the end of the quiet hours', () => {
    // The oldest leaves the window at 22:00 Berlin time on Friday; the message goes at 08:00 Saturday.
    const lateOldest = [new Date('2025-05-30T20:00:00Z'), new Date('2025-06-03T10:00:00Z')];
    const decision = decideSend(request({ recentAutomatedSends: lateOldest }));
    expect(decision).toMatchObject({ kind: 'defer', reason: 'frequency-cap', until: new Date('2025-06-07T06:00:00Z') });
    expect(decision.kind === 'defer' && decision.detail).toContain('quiet hours');
  });
});

describe('decideSend: the pause after the person wrote to us', () => {
  const wrote = new Date('2025-06-04T09:00:00Z');

  it('defers every automated message to the end of the pause, then lets it go', () => {
    const contact: SendContact = { ...berliner, lastReplyAt: wrote };
    // 12:00 in Berlin the same day: 69 hours of the 72 left.
    expect(decideSend(request({ contact }))).toMatchObject({
      kind: 'defer',
      until: new Date('2025-06-07T09:00:00Z'),
      reason: 'replied',
      detail: expect.stringMatching(/^they wrote to us at 2025-06-04T09:00:00.000Z: automated messages wait 72 h/),
    });
    expect(decideSend(request({ contact, channel: 'sms' }))).toMatchObject({ kind: 'defer', reason: 'replied' });
    expect(decideSend(request({ contact, now: new Date('2025-06-07T09:00:00Z') }))).toEqual({
      kind: 'send',
      channel: 'email',
    });
  });

  it('leaves webhooks, a pause of 0 and a person who never wrote alone', () => {
    const contact: SendContact = { ...berliner, lastReplyAt: wrote };
    expect(decideSend(request({ contact, channel: 'webhook' }))).toEqual({ kind: 'send', channel: 'webhook' });
    expect(decideSend(request({ contact, policy: sendPolicyWith(0) }))).toEqual({ kind: 'send', channel: 'email' });
    expect(decideSend(request({ contact: { ...berliner, lastReplyAt: null } }))).toEqual({
      kind: 'send',
      channel: 'email',
    });
  });

  it('ends a pause that ends at night at 08:00 local, and waits for the later of the pause and the cap', () => {
    // The pause ends at 23:00 in Berlin: the message goes at 08:00 the next morning.
    const lateWriter: SendContact = { ...berliner, lastReplyAt: new Date('2025-06-04T21:00:00Z') };
    expect(decideSend(request({ contact: lateWriter }))).toMatchObject({
      kind: 'defer',
      until: new Date('2025-06-08T06:00:00Z'),
      reason: 'replied',
    });
    // The cap has room on the 9th, after the pause: the later of the two.
    const twoThisWeek = [new Date('2025-06-02T10:00:00Z'), new Date('2025-06-03T10:00:00Z')];
    expect(
      decideSend(request({ contact: { ...berliner, lastReplyAt: wrote }, recentAutomatedSends: twoThisWeek })),
    ).toMatchObject({ kind: 'defer', until: new Date('2025-06-09T10:00:00Z'), reason: 'replied' });
  });
});
