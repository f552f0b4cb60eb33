// Secrets are never logged: `tend start` at TEND_LOG_LEVEL=trace, with SMTP (a password), Twilio and
// inbound e-mail configured, goes through a whole scenario (events, a playbook's e-mail and text, an
// unsubscribe, a tracked link, Twilio's callbacks, a reply), and its output holds no write key, admin
// token, SMTP password, Twilio auth token, inbound e-mail secret, unsubscribe token or link token.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../src/channels/twilio-webhooks.js';
import { type FakeTwilio, startFakeTwilio, startTestSmtpServer } from '../support/fake-providers.js';
import type { TestSmtpServer } from '../support/fake-providers.js';
import { interruptTendProcess, killTendProcess, startTendProcess, type TendProcess } from '../support/tend-process.js';
import { freshLocation } from '../support/test-tend.js';

const secret = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
const writeKey = secret('wk_logs_');
const adminToken = secret('admin_logs_');
const smtpPassword = secret('smtp-pass-');
const twilioAuthToken = secret('twilio-token-');
const inboundSecret = secret('inbound-secret-');
const accountSid = `AC${'3'.repeat(32)}`;
const publicUrl = 'https://tend.example.test';
const playbook = `
id: detractor-messages
name: Detractor messages
version: 1
trigger: { signal: detractor }
steps:
  - id: ask
    send:
      channel: email
      template: we-miss-you
      variables: { bookingUrl: "https://cal.acme.example/rita?kind=call" }
  - id: text
    send: { channel: sms, template: payment-plan-offer-sms }
holdout: 0
reentry: never
`;

let tend: TendProcess;
let smtp: TestSmtpServer;
let twilio: FakeTwilio;
let cleanupStore: () => Promise<void>;
const capabilities: string[] = [];

const call = async (method: string, path: string, body: unknown, authorization: string) => {
  const headers = { authorization, 'content-type': 'application/json' };
  const response = await fetch(`${tend.url}${path}`, { method, headers, body: JSON.stringify(body) });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return response.json();
};
const admin = (path: string, body: unknown) => call('POST', path, body, `Bearer ${adminToken}`);
/** A URL Tend put in a message (on its public address), called where the test's Tend really listens. */
const local = (url: string) => url.replace(publicUrl, tend.url);
const signedPost = (path: string, parameters: Record<string, string>) =>
  fetch(`${tend.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(twilioAuthToken, `${publicUrl}${path}`, parameters),
    },
    body: new URLSearchParams(parameters).toString(),
  });

/** Waits (at most 10 s) for the separate process to have handed its messages to the providers. */
async function delivered(done: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !done(); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
}

beforeAll(async () => {
  smtp = await startTestSmtpServer({ password: smtpPassword });
  twilio = await startFakeTwilio();
  const { location, cleanup } = await freshLocation();
  cleanupStore = cleanup;
  const playbooks = mkdtempSync(join(tmpdir(), 'tend-logs-'));
  writeFileSync(join(playbooks, 'detractor-messages.yaml'), playbook);
  tend = await startTendProcess({
    ...(location.kind === 'postgres'
      ? { DATABASE_URL: location.url, TEND_DATA_DIR: '' }
      : { TEND_DATA_DIR: location.dataDirectory, DATABASE_URL: '' }),
    PORT: '0',
    HOST: '127.0.0.1',
    TEND_LOG_LEVEL: 'trace',
    TEND_WRITE_KEY: writeKey,
    TEND_ADMIN_TOKEN: adminToken,
    TEND_CLOCK: 'manual',
    TEND_CLOCK_START: '2026-05-04T09:00:00Z',
    TEND_PLAYBOOKS: playbooks,
    TEND_SMTP_URL: `smtp://tend:${encodeURIComponent(smtpPassword)}@127.0.0.1:${smtp.port}`,
    TEND_EMAIL_FROM: 'Acme <success@acme.example>',
    TEND_REPLY_DOMAIN: 'replies.acme.example',
    TEND_INBOUND_EMAIL_SECRET: inboundSecret,
    TEND_TWILIO_ACCOUNT_SID: accountSid,
    TEND_TWILIO_AUTH_TOKEN: twilioAuthToken,
    TEND_TWILIO_FROM: '+14155550100',
    TEND_TWILIO_BASE_URL: twilio.url,
    TEND_PUBLIC_URL: publicUrl,
  });

  const basic = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  await admin('/api/v1/users', { email: 'rita@acme.example', name: 'Rita', role: 'rep' });
  await call(
    'POST',
    '/v1/batch',
    {
      batch: [
        { type: 'identify', userId: 'anna', traits: { email: 'anna@kunde.example', phone: '+41791234567' } },
        { type: 'group', userId: 'anna', groupId: 'kunde', traits: { name: 'Kunde AG', owner: 'rita@acme.example' } },
      ],
    },
    basic,
  );
  await call('POST', '/v1/track', { writeKey, userId: 'anna', event: 'Signed In' }, '');
  await admin('/api/v1/contacts/anna/consents', { channel: 'sms', status: 'opted-in', source: 'sign-up form' });
  await call('POST', '/v1/track', { userId: 'anna', event: 'Survey Answered', properties: { score: 2 } }, basic);
  await admin('/api/v1/clock/advance', { by: 'PT1M' });

  // The e-mail: its one-click unsubscribe and its tracked link, each a capability.
  await delivered(() => smtp.received.length > 0 && twilio.requests.length > 0);
  const [received] = smtp.received;
  expect(received?.recipients).toEqual(['anna@kunde.example']);
  const headerLines = JSON.stringify(received!.mail.headerLines);
  const unsubscribe = /<(https:[^>]+\/unsubscribe\/[^>]+)>/.exec(headerLines)?.[1] ?? '';
  const link = new RegExp(`${publicUrl}/l/[A-Za-z0-9_-]+`).exec(received!.mail.text ?? '')?.[0] ?? '';
  expect(unsubscribe).toMatch(/\/unsubscribe\/[A-Za-z0-9_-]{20,}$/);
  expect(link).toMatch(/\/l\/[A-Za-z0-9_-]{20,}$/);
  capabilities.push(unsubscribe.split('/').pop()!, link.split('/').pop()!);
  expect((await fetch(local(link), { redirect: 'manual' })).status).toBe(302);
  expect((await fetch(local(unsubscribe))).status).toBe(200);
  expect((await fetch(local(unsubscribe), { method: 'PUT' })).status).toBe(404);
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const oneClick = { method: 'POST', headers: form, body: 'List-Unsubscribe=One-Click' };
  expect((await fetch(local(unsubscribe), oneClick)).status).toBe(200);

  // Twilio: the text's delivery report and an inbound STOP, both signed with the auth token.
  const [text] = twilio.requests;
  expect(text?.form.To).toBe('+41791234567');
  const status = new URL(text!.form.StatusCallback!);
  const report = { MessageSid: 'SM'.padEnd(34, '1'), MessageStatus: 'delivered', AccountSid: accountSid };
  expect((await signedPost(`${status.pathname}${status.search}`, report)).status).toBe(204);
  const from = { AccountSid: accountSid, From: '+41791234567', To: '+14155550100' };
  const stop = { MessageSid: 'SM'.padEnd(34, '2'), ...from, Body: 'STOP' };
  expect((await signedPost('/webhooks/twilio/inbound', stop)).status).toBe(200);

  // A reply by e-mail, posted by the mail service with the inbound secret.
  const thread = received!.mail.replyTo?.value[0]?.address ?? '';
  const reply = await fetch(`${tend.url}/webhooks/email/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${inboundSecret}` },
    body: JSON.stringify({ from: 'anna@kunde.example', to: thread, text: 'Thanks', messageId: '<r@kunde.example>' }),
  });
  expect(reply.status).toBe(200);
  expect(await interruptTendProcess(tend)).toBe(0);
}, 120_000);

afterAll(async () => {
  if (tend) await killTendProcess(tend);
  await smtp?.close();
  await twilio?.close();
  await cleanupStore?.();
});

describe('the log of a whole scenario at trace level', () => {
  it('holds the requests, with their capability tokens redacted', () => {
    const output = tend.output();
    expect(output).toContain('"msg":"incoming request"');
    expect(output).toContain('/unsubscribe/[redacted]');
    expect(output).toContain('/l/[redacted]');
    expect(output).toContain('/webhooks/twilio/inbound');
  });

  it('holds no secret and no capability token, in clear or in HTTP Basic form', () => {
    const output = tend.output();
    const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');
    const secrets = {
      writeKey,
      adminToken,
      smtpPassword,
      twilioAuthToken,
      inboundSecret,
      'write key as Basic': basic(writeKey, ''),
      'Twilio credentials as Basic': basic(accountSid, twilioAuthToken),
      'SMTP login': Buffer.from(`\u0000tend\u0000${smtpPassword}`).toString('base64'),
      'unsubscribe token': capabilities[0]!,
      'link token': capabilities[1]!,
    };
    for (const [name, value] of Object.entries(secrets)) {
      expect(output.includes(value), `${name} is in the log`).toBe(false);
    }
  });
});
