// Messages leave Tend through real channels: a real SMTP server receives each e-mail exactly once with
// the right headers, an HTTP server playing Twilio checks the request format and calls back signed
// status reports, a webhook receiver checks the Standard Webhooks signature; one-click unsubscribe
// records the opt-out and the next e-mail is skipped; the frequency cap holds the third message of a
// week back. All on the manual clock.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../src/channels/twilio-webhooks.js';
import { verifyStandardWebhook } from '../../src/channels/webhook-sender.js';
import {
  type FakeTwilio,
  startFakeTwilio,
  startTestSmtpServer,
  type TestSmtpServer,
} from '../support/fake-providers.js';
import { advance, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const accountSid = `AC${'1'.repeat(32)}`;
const authToken = 'twilio-test-auth-token';
const webhookSecret = `whsec_${Buffer.from('a webhook secret of thirty-two b').toString('base64')}`;
const inboundSecret = 'inbound-e-mail-secret-0123';

const playbook = `
id: detractor-messages
name: Detractor messages
version: 1
trigger: { signal: detractor }
steps:
  - id: first-email
    send: { channel: email, template: we-miss-you, variables: { bookingUrl: "https://cal.example/rita?week=next&kind=call" } }
  - id: first-text
    send: { channel: sms, template: payment-plan-offer-sms, tone: empathetic }
  - id: tell-crm
    send: { channel: webhook, template: we-miss-you }
  - id: pause
    wait: { for: P1D }
  - id: second-email
    send: { channel: email, template: we-miss-you }
holdout: 0
reentry: never
`;

let tend: TestTend;
let smtp: TestSmtpServer;
let twilio: FakeTwilio;
const webhooks: { headers: IncomingHttpHeaders; body: string }[] = [];
let closeWebhookReceiver: () => Promise<void>;

type OutboxMessage = {
  id: string;
  channel: string;
  status: string;
  reason: string | null;
  recipient: string | null;
  contactId: string;
  outcome: string | null;
  deliveredAt: string | null;
  message: Record<string, unknown> | null;
  payload: { template: string };
};
const outbox = async (contactId: string): Promise<OutboxMessage[]> =>
  (await tend.admin(`/api/v1/outbox?contactId=${contactId}`)).body.messages;
const rawHeader = (mail: ParsedMail, name: string) =>
  mail.headerLines
    .find((line) => line.key === name)
    ?.line.replace(/^[^:]+:\s*/, '')
    .replace(/\r?\n\s+/g, ' ');
const unsubscribeUrlOf = (mail: ParsedMail) =>
  /<(https?:[^>]+)>/.exec(rawHeader(mail, 'list-unsubscribe') ?? '')?.[1] ?? '';
const mailsTo = (address: string) => smtp.received.filter((received) => received.recipients.includes(address));

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  twilio = await startFakeTwilio();
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      webhooks.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  closeWebhookReceiver = () => new Promise<void>((resolve) => receiver.close(() => resolve()));
  const folder = mkdtempSync(join(tmpdir(), 'tend-delivery-'));
  writeFileSync(join(folder, 'detractor-messages.yaml'), playbook);
  tend = await startTestTend({
    clock: { kind: 'manual', start: new Date('2026-05-04T09:00:00Z') },
    playbooks: folder,
    settings: {
      channels: {
        TEND_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        TEND_EMAIL_FROM: 'Acme Success <success@acme.example>',
        TEND_REPLY_DOMAIN: 'replies.acme.example',
        TEND_TWILIO_ACCOUNT_SID: accountSid,
        TEND_TWILIO_AUTH_TOKEN: authToken,
        TEND_TWILIO_FROM: '+14155550100',
        TEND_TWILIO_BASE_URL: twilio.url,
        TEND_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/tend`,
        TEND_WEBHOOK_SECRET: webhookSecret,
        TEND_INBOUND_EMAIL_SECRET: inboundSecret,
      },
    },
  });
  await tend.post('/api/v1/users', { email: 'rita@acme.example', name: 'Rita Rep', role: 'rep' });
  await send(tend, [
    {
      type: 'identify',
      userId: 'anna',
      traits: {
        email: 'anna@kunde.example',
        name: 'Anna Muster',
        phone: '+41791234567',
        language: 'de-CH',
        timezone: 'Europe/Zurich',
      },
    },
    {
      type: 'group',
      userId: 'anna',
      groupId: 'kunde',
      traits: { name: 'Kunde AG', profit: 50000, owner: 'rita@acme.example' },
    },
    {
      type: 'identify',
      userId: 'bert',
      traits: { email: 'bert@client.example', name: 'Bert Client', timezone: 'Europe/London' },
    },
    {
      type: 'group',
      userId: 'bert',
      groupId: 'client',
      traits: { name: 'Client Ltd', profit: 40000, owner: 'rita@acme.example' },
    },
  ]);
  expect(
    (await tend.post('/api/v1/contacts/anna/consents', { channel: 'sms', status: 'opted-in', source: 'sign-up form' }))
      .status,
  ).toBe(200);
  await send(tend, [track('anna', 'Survey Answered', { score: 3 }), track('bert', 'Survey Answered', { score: 2 })]);
  await advance(tend, 'PT1M');
});

afterAll(async () => {
  await tend?.stop();
  await smtp?.close();
  await twilio?.close();
  await closeWebhookReceiver?.();
});

describe('e-mail over SMTP', () => {
  it('arrives exactly once, in the contact language, with a real Reply-To, one-click unsubscribe and a deterministic Message-ID', async () => {
    const mails = mailsTo('anna@kunde.example');
    expect(mails).toHaveLength(1);
    const { mail, from } = mails[0]!;
    expect(mail.subject).toBe('Anna, passt Kunde AG noch für Sie?');
    expect(mail.text).toContain('Rita Rep');
    const [email] = (await outbox('anna')).filter((message) => message.channel === 'email');
    expect(email).toMatchObject({ status: 'sent', recipient: 'anna@kunde.example' });
    expect(mail.replyTo?.value[0]?.address).toBe(`reply+${email!.id.replace(/-/g, '')}@replies.acme.example`);
    // Its own return path (VERP): a bounce names the message it is about. The From stays the sender.
    expect(from).toBe(`bounce+${email!.id.replace(/-/g, '')}@replies.acme.example`);
    expect(mail.from?.value[0]?.address).toBe('success@acme.example');
    expect(mail.messageId).toMatch(/^<tend\.[0-9a-f]{40}@acme\.example>$/);
    expect(unsubscribeUrlOf(mail)).toMatch(new RegExp(`^${tend.url}/unsubscribe/[A-Za-z0-9_-]{32}$`));
    expect(rawHeader(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
  });

  it('a one-click unsubscribe records the opt-out, and the next e-mail to that person is skipped and says why', async () => {
    const mails = mailsTo('bert@client.example');
    expect(mails).toHaveLength(1);
    const url = unsubscribeUrlOf(mails[0]!.mail);
    // A link scanner's GET changes nothing; the mail client's one-click POST does.
    expect((await fetch(url)).status).toBe(200);
    expect((await tend.admin('/api/v1/contacts/bert/consents')).body.consents).toEqual([]);
    const posted = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain('You are unsubscribed');
    expect((await tend.admin('/api/v1/contacts/bert/consents')).body.consents).toEqual([
      expect.objectContaining({ channel: 'email', status: 'opted-out', source: 'one-click unsubscribe' }),
    ]);
    expect((await fetch(`${tend.url}/unsubscribe/not-a-real-token-at-all`, { method: 'POST' })).status).toBe(404);

    await advance(tend, 'P1D');
    expect(mailsTo('bert@client.example')).toHaveLength(1);
    const second = (await outbox('bert')).filter(
      (message) => message.channel === 'email' && message.status === 'skipped',
    );
    expect(second).toHaveLength(1);
    expect(second[0]!.reason).toMatch(/^opted-out: opted out of email/);
  });

  it('links go through Tend: a click is recorded once as Message Clicked and lands where the link points', async () => {
    const { mail } = mailsTo('anna@kunde.example')[0]!;
    expect(mail.text).not.toContain('cal.example');
    const tracked = new RegExp(`${tend.url}/l/[A-Za-z0-9_-]{24}`).exec(mail.text ?? '')?.[0];
    expect(tracked).toBeDefined();
    for (let click = 0; click < 2; click++) {
      const response = await fetch(tracked!, { redirect: 'manual' });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('https://cal.example/rita?week=next&kind=call');
    }
    expect((await tend.admin('/api/v1/events?userId=anna&name=Message%20Clicked')).body.events).toHaveLength(1);
    expect((await fetch(`${tend.url}/l/unknownunknownunknown`, { redirect: 'manual' })).status).toBe(404);
  });

  it('a reply to the thread address, posted by the inbound mail service, lands in the contact thread as Message Replied', async () => {
    const [email] = (await outbox('anna')).filter((message) => message.channel === 'email');
    const inbound = (body: unknown, password = inboundSecret) => {
      const authorization = `Basic ${Buffer.from(`tend:${password}`).toString('base64')}`;
      const headers = { 'content-type': 'application/json', authorization };
      return fetch(`${tend.url}/webhooks/email/inbound`, { method: 'POST', headers, body: JSON.stringify(body) });
    };
    const reply = {
      from: 'Anna Muster <anna@kunde.example>',
      to: [`reply+${email!.id.replace(/-/g, '')}@replies.acme.example`],
      subject: 'Re: Anna, passt Kunde AG noch für Sie?',
      text: 'Ja, aber der Export ist langsam.',
      messageId: '<reply-1@kunde.example>',
    };
    expect((await inbound(reply, tend.writeKey)).status).toBe(401);
    const answered = await inbound(reply);
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ accepted: true });
    expect(await (await inbound(reply)).json()).toEqual({ accepted: true });
    const replies = (await tend.admin('/api/v1/events?userId=anna&name=Message%20Replied')).body.events;
    expect(replies).toHaveLength(1);
    expect(replies[0].properties).toMatchObject({
      channel: 'email',
      direction: 'inbound',
      outboxId: email!.id,
      body: 'Ja, aber der Export ist langsam.',
    });
    // A stranger gets the same answer as Anna, and nothing is recorded.
    const stranger = await inbound({ from: 'nobody@nowhere.example', to: 'support@acme.example', text: 'hi' });
    expect(stranger.status).toBe(200);
    expect(await stranger.json()).toEqual({ accepted: true });
    expect((await tend.admin('/api/v1/events?name=Message%20Replied')).body.events).toHaveLength(1);
  });
});

describe('SMS through Twilio', () => {
  it('posts the message in Twilio format, with Basic auth and a status callback, once', () => {
    const texts = twilio.requests.filter((request) => request.form.To === '+41791234567');
    expect(texts).toHaveLength(1);
    const [text] = texts;
    expect(text!.path).toBe(`/2010-04-01/Accounts/${accountSid}/Messages.json`);
    expect(text!.authorization).toBe(`Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`);
    expect(text!.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(text!.form.From).toBe('+14155550100');
    expect(text!.form.Body).toMatch(/^Hallo Anna, die Rechnung/);
    expect(text!.form.StatusCallback).toMatch(
      new RegExp(`^${tend.url}/webhooks/twilio/status\\?outbox=[0-9a-f-]{36}$`),
    );
    // Bert has no phone number: his text is skipped, and says so.
    expect(twilio.requests.filter((request) => request.form.To !== '+41791234567')).toHaveLength(0);
  });

  it('a signed delivery report marks the message delivered and records Message Delivered; an unsigned one is refused', async () => {
    const [text] = twilio.requests;
    const callbackUrl = text!.form.StatusCallback!;
    const parameters = {
      MessageSid: 'SM00000000000000000000000000000001',
      MessageStatus: 'delivered',
      To: '+41791234567',
      From: '+14155550100',
      AccountSid: accountSid,
    };
    const body = new URLSearchParams(parameters).toString();
    const forged = await fetch(callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'bm90IGEgc2lnbmF0dXJl' },
      body,
    });
    expect(forged.status).toBe(401);
    const signed = await fetch(callbackUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(authToken, callbackUrl, parameters),
      },
      body,
    });
    expect(signed.status).toBe(204);
    // Twilio repeats callbacks: the second one changes nothing.
    await fetch(callbackUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(authToken, callbackUrl, parameters),
      },
      body,
    });
    const [sms] = (await outbox('anna')).filter((message) => message.channel === 'sms');
    expect(sms).toMatchObject({ status: 'sent', outcome: 'delivered' });
    expect(sms!.deliveredAt).not.toBeNull();
    const events = (await tend.admin('/api/v1/events?userId=anna&name=Message%20Delivered')).body.events;
    expect(events).toHaveLength(1);
  });

  it('STOP by text records the opt-out; HELP gets an answer; START opts back in', async () => {
    const inbound = async (body: string) => {
      const url = `${tend.url}/webhooks/twilio/inbound`;
      const parameters = {
        MessageSid: `SM${body.padEnd(32, '0')}`,
        From: '+41791234567',
        To: '+14155550100',
        Body: body,
      };
      return fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(authToken, url, parameters),
        },
        body: new URLSearchParams(parameters).toString(),
      });
    };
    expect((await inbound('STOP')).status).toBe(200);
    expect((await tend.admin('/api/v1/contacts/anna/consents')).body.consents).toContainEqual(
      expect.objectContaining({ channel: 'sms', status: 'opted-out', source: 'sms STOP' }),
    );
    const help = await inbound('help');
    expect(await help.text()).toMatch(/<Message>.*reply STOP to stop.*<\/Message>/);
    await inbound('START');
    expect((await tend.admin('/api/v1/contacts/anna/consents')).body.consents).toContainEqual(
      expect.objectContaining({ channel: 'sms', status: 'opted-in', source: 'sms START' }),
    );
  });
});

describe('webhooks and caps', () => {
  it('a webhook step is delivered signed per Standard Webhooks, once per subject', () => {
    expect(webhooks).toHaveLength(2);
    for (const webhook of webhooks) {
      expect(
        verifyStandardWebhook({ headers: webhook.headers, body: webhook.body, secret: webhookSecret, now: new Date() }),
      ).toMatchObject({ kind: 'verified' });
      expect(JSON.parse(webhook.body)).toMatchObject({ type: 'tend.message', data: { template: 'we-miss-you' } });
    }
  });

  it('the cap of two automated messages a week holds the third back until the week has passed, then sends it once', async () => {
    // Anna had an e-mail and a text on day 0; the second e-mail on day 1 would be her third this week.
    expect(mailsTo('anna@kunde.example')).toHaveLength(1);
    expect((await outbox('anna')).filter((message) => message.channel === 'email')).toHaveLength(1);
    await advance(tend, 'P7D');
    expect(mailsTo('anna@kunde.example')).toHaveLength(2);
    await advance(tend, 'P2D');
    expect(mailsTo('anna@kunde.example')).toHaveLength(2);
  });
});
