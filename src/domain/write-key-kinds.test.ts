// What a browser write key may send: what people do and who they are; not accounts, money or owners.
import { describe, expect, it } from 'vitest';
import type { TrackingMessage } from './tracking-message.js';
import { browserKeyProblems } from './write-key-kinds.js';

const base = { messageId: 'm', userId: 'ann', anonymousId: null, timestamp: null, context: {} };
const track: TrackingMessage = { ...base, type: 'track', event: 'Signed In', properties: { revenue: 10 } };
const page: TrackingMessage = { ...base, type: 'page', name: 'Home', properties: {} };
const screen: TrackingMessage = { ...base, type: 'screen', name: 'Home', properties: {} };
const identify = (traits: Record<string, unknown>): TrackingMessage => ({ ...base, type: 'identify', traits });
const group: TrackingMessage = { ...base, type: 'group', groupId: 'acme', traits: {} };
const alias: TrackingMessage = { ...base, type: 'alias', previousId: 'anon' };

describe('browserKeyProblems', () => {
  it('allows track, page, screen and identify with a person’s own traits', () => {
    const person = identify({ email: 'ann@acme.example', name: 'Ann', language: 'de', timezone: 'Europe/Berlin' });
    expect(browserKeyProblems([track, page, screen, person], true)).toEqual([]);
  });

  it('refuses money, touches and Tend’s own events, and events that name an account', () => {
    const claims = (event: string): TrackingMessage => ({ ...base, type: 'track', event, properties: {} });
    const problems = browserKeyProblems(
      [claims('invoice paid'), claims('Call Logged'), claims('Message Replied')],
      true,
    );
    expect(problems.map((problem) => problem.field)).toEqual(['batch[0].event', 'batch[1].event', 'batch[2].event']);
    expect(problems[0]?.message).toContain('Invoice Paid may not be sent with a browser write key');
    const elsewhere: TrackingMessage = {
      ...base,
      type: 'track',
      event: 'Signed In',
      context: { groupId: 'globex' },
      properties: {},
    };
    const pointed: TrackingMessage = { ...base, type: 'page', name: 'Home', properties: { accountId: 'globex' } };
    expect(browserKeyProblems([elsewhere, pointed], false).map((problem) => problem.field)).toEqual([
      'context.groupId',
      'properties.accountId',
    ]);
    expect(browserKeyProblems([claims('Survey Answered'), claims('Feature Used')], false)).toEqual([]);
  });

  it('refuses group and alias calls, naming the call and where to send it from', () => {
    expect(browserKeyProblems([group], false)).toEqual([
      { field: 'type', message: expect.stringContaining('group calls may not be sent with a browser write key') },
    ]);
    const [problem] = browserKeyProblems([track, alias], true);
    expect(problem).toMatchObject({ field: 'batch[1].type', index: 1 });
    expect(problem?.message).toContain('server-side source');
  });

  it('refuses the owner, money, lifecycle and account traits in identify, whatever their case', () => {
    const traits = {
      email: 'ann@acme.example',
      owner: 'x@evil.example',
      Revenue: 1,
      currency: 'EUR',
      lifecycleStage: 'churned',
      company: { id: 'acme' },
    };
    const fields = browserKeyProblems([identify(traits)], false).map((problem) => problem.field);
    expect(fields).toEqual([
      'traits.owner',
      'traits.Revenue',
      'traits.currency',
      'traits.lifecycleStage',
      'traits.company',
    ]);
  });
});
