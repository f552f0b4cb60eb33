// Who changed what: every change to users, consents, the do-not-contact list and the outbox that a
// person, a token, a command or a provider's callback makes is in the audit log, with who, when and
// what, and nothing secret or personal beyond the subject's id. Read a page at a time and by action.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../src/channels/twilio-webhooks.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/fake-providers.js';
import { runTend } from '../support/run-tend.js';
import { advance, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const authToken = 'twilio-audit-auth-token';
const start = new Date('2026-06-01T09:00:00Z');
const playbook = `
id: detractor-reach-out
name: Detractor reach-out
version: 1
trigger: { signal: detractor }
steps:
  - id: text
    send: { channel: sms, template: payment-plan-offer-sms }
  - id: mail
    send: { channel: email, template: we-miss-you }
holdout: 0
reentry: never
`;

interface Entry {
  id: string;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

let tend: TestTend;
let smtp: TestSmtpServer;
let closeTwilio: () => Promise<void>;
let twilioAnswers = 0;
const folder = mkdtempSync(join(tmpdir(), 'tend-audit-'));

const entries = async (query = ''): Promise<Entry[]> => {
  const { status, body } = await tend.admin(`/api/v1/audit-log?limit=500${query}`);
  expect(status, JSON.stringify(body)).toBe(200);
  return body.entries;
};

async function textFrom(from: string, body: string, sid: string): Promise<void> {
  const url = `${tend.url}/webhooks/twilio/inbound`;
  const parameters = { MessageSid: sid, From: from, To: '+14155550100', Body: body };
  const signature = twilioSignature(authToken, url, parameters);
  const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature };
  const response = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(parameters).toString() });
  expect(response.status).toBe(200);
}

async function request(method: string, path: string, body?: unknown): Promise<number> {
  const headers: Record<string, string> = { authorization: `Bearer ${tend.adminToken}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const init = { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
  const response = await fetch(`${tend.url}${path}`, init);
  await response.arrayBuffer();
  return response.status;
}

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  // Twilio refuses the first text for good (an invalid number), so that an admin can send it again.
  const twilio = createServer((incoming, answer) => {
    incoming.resume();
    incoming.on('end', () => {
      twilioAnswers += 1;
      const refused = { code: 21211, message: "The 'To' number is not a valid phone number", status: 400 };
      const queued = { sid: `SM${String(twilioAnswers).padStart(32, '0')}`, status: 'queued' };
      const [status, body] = twilioAnswers === 1 ? [400, refused] : [201, queued];
      answer.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => twilio.listen(0, '127.0.0.1', resolve));
  closeTwilio = () => new Promise<void>((resolve) => twilio.close(() => resolve()));
  writeFileSync(join(folder, 'detractor-reach-out.yaml'), playbook);
  tend = await startTestTend({
    clock: { kind: 'manual', start },
    playbooks: folder,
    settings: {
      channels: {
        TEND_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        TEND_EMAIL_FROM: 'Acme Success <success@acme.example>',
        TEND_TWILIO_ACCOUNT_SID: `AC${'2'.repeat(32)}`,
        TEND_TWILIO_AUTH_TOKEN: authToken,
        TEND_TWILIO_FROM: '+14155550100',
        TEND_TWILIO_BASE_URL: `http://127.0.0.1:${(twilio.address() as AddressInfo).port}`,
      },
    },
  });
}, 60_000);

afterAll(async () => {
  await tend?.stop();
  await smtp?.close();
  await closeTwilio?.();
});

describe('the audit log', () => {
  it('records users saved through the API and by `tend import users`', async () => {
    const managerEmail = 'maria@acme.example';
    const users = [
      { email: 'Maria@acme.example', name: 'Maria Manager', role: 'manager' },
      { email: 'rita@acme.example', name: 'Rita', role: 'rep', managerEmail },
      { email: 'rita@acme.example', name: 'Rita Rep', role: 'rep', managerEmail },
    ];
    for (const user of users) expect((await tend.post('/api/v1/users', user)).status).toBe(201);
    const file = join(folder, 'users.csv');
    writeFileSync(file, 'email,name,role,managerEmail\nsam@acme.example,Sam Rep,rep,maria@acme.example\n');
    const imported = await runTend(['import', 'users', file], tend.environment);
    expect(imported.code, imported.stderr).toBe(0);

    const saved = await entries('&action=user.saved');
    const maria = (await tend.admin('/api/v1/users/maria@acme.example')).body;
    expect(saved.map(({ subject, details }) => [subject, details.created])).toEqual([
      ['sam@acme.example', true],
      ['rita@acme.example', false],
      ['rita@acme.example', true],
      ['maria@acme.example', true],
    ]);
    expect(saved[0]).toMatchObject({ actor: 'command line (tend import users)', details: { managerId: maria.id } });
    const byToken = expect.stringMatching(/^admin token "/);
    expect(saved[3]).toMatchObject({ actor: byToken, at: start.toISOString(), details: { role: 'manager' } });
  });

  it('records consent given through the API, and STOP and START by text as Tend acting on the text', async () => {
    await send(tend, [
      { type: 'identify', userId: 'u-lena', traits: { email: 'lena@kunde.example', phone: '+41781112233' } },
      { type: 'group', userId: 'u-lena', groupId: 'kunde', traits: { profit: 2e4, owner: 'rita@acme.example' } },
    ]);
    const consent = { channel: 'sms', status: 'opted-in', source: 'sign-up form' };
    expect((await tend.post('/api/v1/contacts/u-lena/consents', consent)).status).toBe(200);
    await textFrom('+41781112233', 'STOP', `SM${'1'.repeat(32)}`);
    await textFrom('+41781112233', 'START', `SM${'2'.repeat(32)}`);
    // A replayed START (same MessageSid) changes nothing and records nothing.
    await textFrom('+41781112233', 'START', `SM${'2'.repeat(32)}`);
    const consents = await entries('&action=consent.recorded');
    expect(consents.map(({ actor, subject, details }) => [actor, subject, details.status])).toEqual([
      ['Tend (sms START by text message)', 'u-lena', 'opted-in'],
      ['Tend (sms STOP by text message)', 'u-lena', 'opted-out'],
      [expect.stringMatching(/^admin token "/), 'u-lena', 'opted-in'],
    ]);
  });

  it('records a stranger texting STOP and START as do-not-contact changes', async () => {
    await textFrom('+15550001111', 'STOP', `SM${'3'.repeat(32)}`);
    await textFrom('+15550001111', 'START', `SM${'4'.repeat(32)}`);
    const changes = (await entries()).filter((entry) => entry.action.startsWith('do-not-contact.'));
    expect(changes.map(({ actor, action, subject }) => [actor, action, subject])).toEqual([
      ['Tend (sms START by text message)', 'do-not-contact.removed', '+15550001111'],
      ['Tend (sms STOP by text message)', 'do-not-contact.added', '+15550001111'],
    ]);
  });

  it('records do-not-contact entries added and removed by an admin', async () => {
    const entry = { value: 'Former@Customer.example', reason: 'asked us by letter' };
    expect(await request('POST', '/api/v1/do-not-contact', entry)).toBe(201);
    expect(await request('DELETE', '/api/v1/do-not-contact/former@customer.example')).toBe(204);
    expect(await request('DELETE', '/api/v1/do-not-contact/former@customer.example')).toBe(404);
    const changes = (await entries()).filter((entry) => entry.subject === 'former@customer.example');
    expect(changes.map(({ action, details }) => [action, details])).toEqual([
      ['do-not-contact.removed', {}],
      ['do-not-contact.added', { reason: 'asked us by letter' }],
    ]);
  });

  it('records an admin sending a failed message again, and a one-click unsubscribe as Tend acting', async () => {
    await send(tend, [track('u-lena', 'Survey Answered', { score: 2 })]);
    await advance(tend, 'PT1M');
    type Message = { id: string; channel: string; status: string };
    const messages: Message[] = (await tend.admin('/api/v1/outbox?contactId=u-lena')).body.messages;
    const text = messages.find((message) => message.channel === 'sms');
    expect(text).toMatchObject({ status: 'failed' });
    expect(await request('POST', `/api/v1/outbox/${text!.id}/resend`)).toBe(200);
    expect(await request('POST', `/api/v1/outbox/${text!.id}/resend`)).toBe(409);
    const [resent] = await entries('&action=message.resent');
    expect(resent).toMatchObject({ subject: text!.id, actor: expect.stringMatching(/^admin token "/) });
    expect(resent?.details).toEqual({ was: 'failed' });

    const [mail] = smtp.received;
    const header = mail!.mail.headerLines.find((line) => line.key === 'list-unsubscribe')?.line ?? '';
    const unsubscribe = /<(https?:[^>]+)>/.exec(header)?.[1];
    expect(unsubscribe).toBeDefined();
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const click = { method: 'POST', headers: form, body: 'List-Unsubscribe=One-Click' };
    const posted = await fetch(unsubscribe!, click);
    expect(posted.status).toBe(200);
    await fetch(unsubscribe!, click);
    const [latest, ...older] = await entries('&action=consent.recorded');
    expect(latest).toMatchObject({ actor: 'Tend (one-click unsubscribe from an e-mail)', subject: 'u-lena' });
    expect(latest?.details).toMatchObject({ channel: 'email', status: 'opted-out' });
    expect(older[0]?.actor).not.toMatch(/one-click/);
  });

  it('records exports of a person', async () => {
    const headers = { authorization: `Bearer ${tend.adminToken}` };
    const response = await fetch(`${tend.url}/api/v1/contacts/u-lena/export`, { headers });
    expect(response.status).toBe(200);
    await response.json();
    const exported = { subject: 'u-lena', actor: expect.stringMatching(/^admin token "/) };
    expect(await entries('&action=contact.exported')).toEqual([expect.objectContaining(exported)]);
  });

  it('pages newest first with before and next, without repeating or losing an entry', async () => {
    const all = await entries();
    expect(all.length).toBeGreaterThanOrEqual(14);
    const paged: Entry[] = [];
    let next: string | null = null;
    do {
      const page = `/api/v1/audit-log?limit=4${next === null ? '' : `&before=${next}`}`;
      const { body }: { body: { entries: Entry[]; next: string | null } } = await tend.admin(page);
      expect(body.entries.length).toBeLessThanOrEqual(4);
      paged.push(...body.entries);
      next = body.next;
    } while (next !== null);
    expect(paged.map((entry) => entry.id)).toEqual(all.map((entry) => entry.id));
    expect([...all.map((entry) => entry.at)]).toEqual([...all.map((entry) => entry.at)].sort().reverse());
    expect((await tend.admin('/api/v1/audit-log?action=no.such-action')).status).toBe(400);
  });

  it('holds no secret, and no personal data beyond the subject in the details', async () => {
    const all = await entries();
    const text = JSON.stringify(all);
    for (const secret of [tend.adminToken, tend.writeKey, authToken]) expect(text).not.toContain(secret);
    const personal = /@|\+\d{7,}|Lena|Maria|Rita|Sam Rep/;
    for (const entry of all) expect(JSON.stringify(entry.details), entry.action).not.toMatch(personal);
  });
});
