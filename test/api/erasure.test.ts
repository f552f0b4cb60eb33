// A person asks to see and then to erase their data (GDPR articles 15 and 17). Anna is identified,
// merged with an older id, browsed anonymously first, answered a survey badly (a playbook e-mailed
// her and gave her owner a task), replied by text, consented, was called, and a colleague's event
// quotes her. Her export holds all of it; after her erasure no text, JSON or byte column of any
// table holds her e-mail, phone, name or ids; her colleague keeps his; and she is never contacted
// again, even when she comes back under the same address or id.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../src/channels/twilio-webhooks.js';
import { reapplyErasures } from '../../src/store/erasure.js';
import { erasureList } from '../../src/store/erasure-suppression.js';
import { type FakeTwilio, startFakeTwilio, startTestSmtpServer } from '../support/fake-providers.js';
import type { TestSmtpServer } from '../support/fake-providers.js';
import { advance, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const authToken = 'twilio-test-auth-token';
const anna = {
  userId: 'u-anna-7',
  oldId: 'u-anna-old',
  cookie: 'cookie-4f1c',
  email: 'Anna.Muster@kunde.example',
  oldEmail: 'anna.m@altmail.example',
  phone: '+41791234567',
  name: 'Anna Muster',
};
/** What must be found nowhere after the erasure (compared without case). */
const traces = [anna.userId, anna.oldId, anna.cookie, anna.email, anna.oldEmail, anna.name, '41791234567'];
traces.push('+41 79 123 45 67');

const playbook = `
id: detractor-care
name: Detractor care
version: 1
trigger: { signal: detractor }
steps:
  - id: sorry
    send: { channel: email, template: we-miss-you }
  - id: call
    task: { for: owner, objective: Call them about their score, talkingPoints: [Their comment], dueIn: P1D }
holdout: 0
reentry: never
`;

type Body = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
type Named = { name: string | null; type: string; properties: Record<string, unknown> };

let tend: TestTend;
let smtp: TestSmtpServer;
let twilio: FakeTwilio;
const mailsTo = (address: string) =>
  smtp.received.filter((mail) => mail.recipients.some((to) => to.toLowerCase() === address.toLowerCase()));

async function textFromAnna(body: string, sid: string): Promise<void> {
  const url = `${tend.url}/webhooks/twilio/inbound`;
  const parameters = { MessageSid: sid, From: anna.phone, To: '+14155550100', Body: body };
  const signature = twilioSignature(authToken, url, parameters);
  const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature };
  const response = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(parameters).toString() });
  expect(response.status).toBe(200);
}

async function adminFetch(method: string, path: string): Promise<{ status: number; body: Body }> {
  const headers = { authorization: `Bearer ${tend.adminToken}` };
  const response = await fetch(`${tend.url}${path}`, { method, headers });
  return { status: response.status, body: await response.json() };
}

const erase = (userId: string) => adminFetch('DELETE', `/api/v1/contacts/${encodeURIComponent(userId)}`);

/** Every text, JSON and byte column of every table (partitions too) in which `needle` occurs, without case. */
async function whereFound(needle: string): Promise<string[]> {
  const database = tend.tend.store.database;
  const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select c.table_name, c.column_name, c.data_type from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
      and c.data_type in ('text', 'character varying', 'character', 'jsonb', 'json', 'bytea')`.execute(database);
  const found: string[] = [];
  for (const { table_name: table, column_name: column, data_type: type } of columns.rows) {
    const value = type === 'bytea' ? sql`encode(${sql.ref(column)}, 'escape')` : sql`${sql.ref(column)}::text`;
    const hits = await sql<{ count: number }>`select count(*)::int as count from ${sql.table(table)}
      where position(lower(${needle}) in lower(${value})) > 0`.execute(database);
    if ((hits.rows[0]?.count ?? 0) > 0) found.push(`${table}.${column}`);
  }
  return found;
}

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  twilio = await startFakeTwilio();
  const folder = mkdtempSync(join(tmpdir(), 'tend-erasure-'));
  writeFileSync(join(folder, 'detractor-care.yaml'), playbook);
  tend = await startTestTend({
    clock: { kind: 'manual', start: new Date('2026-05-04T09:00:00Z') },
    playbooks: folder,
    settings: {
      channels: {
        TEND_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        TEND_EMAIL_FROM: 'Acme Success <success@acme.example>',
        TEND_TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
        TEND_TWILIO_AUTH_TOKEN: authToken,
        TEND_TWILIO_FROM: '+14155550100',
        TEND_TWILIO_BASE_URL: twilio.url,
      },
    },
  });
  const owner = 'rita@acme.example';
  await tend.post('/api/v1/users', { email: owner, name: 'Rita Rep', role: 'rep' });
  await send(tend, [
    {
      type: 'page',
      anonymousId: anna.cookie,
      name: 'Pricing',
      context: { ip: '198.51.100.7', page: { url: `https://acme.example/?email=${anna.email}` } },
    },
    { type: 'identify', userId: anna.oldId, traits: { email: anna.oldEmail, firstName: 'Anna', lastName: 'Muster' } },
    {
      type: 'identify',
      userId: anna.userId,
      anonymousId: anna.cookie,
      traits: { email: anna.email, name: anna.name, phone: anna.phone, timezone: 'Europe/Zurich', plan: 'pro' },
    },
    { type: 'alias', userId: anna.userId, previousId: anna.oldId },
    {
      type: 'group',
      userId: anna.userId,
      groupId: 'kunde',
      traits: { name: 'Kunde AG', profit: 50000, owner, payer: anna.name },
    },
  ]);
  // Bert joins later: Anna, the account's first person, is whom its playbooks write to.
  await advance(tend, 'PT10S');
  await send(tend, [
    { type: 'identify', userId: 'u-bert', traits: { email: 'bert@kunde.example', name: 'Bert Kollege' } },
    { type: 'group', userId: 'u-bert', groupId: 'kunde', traits: {} },
    track('u-bert', 'Invite Sent', { invitee: anna.email, note: `invited ${anna.name}` }),
    track(anna.userId, 'Feature Used', { feature: 'export', contactEmail: anna.email, rows: 1200, channel: 'web' }),
    track(anna.userId, 'Message Replied', { channel: 'email', from: anna.email, body: anna.name }),
  ]);
  const consent = { channel: 'sms', status: 'opted-in', source: 'sign-up form' };
  expect((await tend.post(`/api/v1/contacts/${anna.userId}/consents`, consent)).status).toBe(200);
  const summary = `Called ${anna.name} on ${anna.phone}`;
  const call = { userId: anna.userId, rep: owner, channel: 'phone', direction: 'outbound', twoWay: true, summary };
  expect((await tend.post('/api/v1/interactions', call)).status).toBe(201);
  await send(tend, [track(anna.userId, 'Survey Answered', { score: 3, scale: 10, comment: `Too slow. ${anna.name}` })]);
  await advance(tend, 'PT1M');
  await textFromAnna(`Hier ist ${anna.name}, bitte anrufen`, `SM${'a'.repeat(32)}`);
  expect((await tend.post('/api/v1/do-not-contact', { value: anna.email, reason: 'asked by phone' })).status).toBe(201);
  // A table from a later version that the erasure does not know.
  await sql`create table future_notes (note text, data jsonb)`.execute(tend.tend.store.database);
  const notes = [`met ${anna.name}`, 'about someone', 'about someone'];
  const data = ['{}', JSON.stringify({ who: anna.userId }), JSON.stringify({ who: 'u-bert' })];
  const insert = sql`insert into future_notes select * from unnest(${notes}::text[], ${data}::jsonb[])`;
  await insert.execute(tend.tend.store.database);
}, 60_000);

afterAll(async () => {
  await tend?.stop();
  await smtp?.close();
  await twilio?.close();
});

describe('export (article 15)', () => {
  it('holds her traits, ids, accounts, consents, messages, replies, touches, tasks, runs and events', async () => {
    expect(mailsTo(anna.email)).toHaveLength(1);
    const { status, body: document } = await adminFetch('GET', `/api/v1/contacts/${anna.oldId}/export`);
    expect(status).toBe(200);
    const contact = { email: anna.email, phone: anna.phone, name: anna.name, traits: { plan: 'pro' } };
    expect(document).toMatchObject({ userId: anna.userId, contact });
    expect(document.knownAs).toEqual({ userIds: [anna.oldId], anonymousIds: [anna.cookie] });
    expect(document.accounts).toEqual([expect.objectContaining({ accountId: 'kunde', name: 'Kunde AG' })]);
    expect(document.consents).toEqual([expect.objectContaining({ channel: 'sms', status: 'opted-in' })]);
    expect(document.doNotContact).toEqual([expect.objectContaining({ value: anna.email.toLowerCase() })]);
    const call = { channel: 'phone', summary: `Called ${anna.name} on ${anna.phone}` };
    expect(document.interactions).toContainEqual(expect.objectContaining(call));
    const subject = expect.stringContaining('Anna');
    const mail = { channel: 'email', status: 'sent', recipient: anna.email, template: 'we-miss-you', subject };
    expect(document.messages).toEqual([expect.objectContaining(mail)]);
    const replies = document.replies.map((reply: { body: string }) => reply.body);
    expect(replies).toEqual([anna.name, `Hier ist ${anna.name}, bitte anrufen`]);
    const task = { objective: 'Call them about their score', owner: 'rita@acme.example' };
    expect(document.tasks).toEqual([expect.objectContaining(task)]);
    expect(document.journeyRuns).toEqual([expect.objectContaining({ playbookId: 'detractor-care' })]);
    expect(document.consentHistory).toEqual([expect.objectContaining({ name: 'Consent Changed' })]);
    const events: (Named & { anonymousId: string | null; occurredAt: string; context: unknown })[] = document.events;
    const expected = ['Page Viewed', 'Identify', 'Alias', 'Group', 'Feature Used', 'Survey Answered', 'Message Sent'];
    expected.push('Message Replied', 'Task Created');
    expect(events.map((event) => event.name)).toEqual(expect.arrayContaining(expected));
    const anonymous = events.find((event) => event.anonymousId === anna.cookie);
    expect(anonymous).toMatchObject({ context: { ip: '198.51.100.7' } });
    expect(events.map((event) => event.occurredAt)).toEqual(events.map((event) => event.occurredAt).sort());
  });

  it('answers 404 for an id Tend does not know', async () => {
    expect((await tend.admin('/api/v1/contacts/nobody-at-all/export')).status).toBe(404);
  });
});

describe('erasure (article 17)', () => {
  let erasedId: string;

  it('erases her in one go and says what changed in each table', async () => {
    expect((await whereFound(anna.email)).length).toBeGreaterThan(5);
    const { status, body } = await erase(anna.userId);
    expect(status, JSON.stringify(body)).toBe(200);
    erasedId = body.erasedId;
    expect(erasedId).toMatch(/^erased:[0-9a-f-]{36}$/);
    // Four interactions: the call, the e-mail sent, and the e-mail and text replies (each a touch). Two
    // outbox rows: the e-mail to her, and the notice to her owner that quotes her text.
    const rows = { contacts: 2, contact_aliases: 2, outbox: 2, interactions: 4, consents: 1, tasks: 1 };
    expect(body.rows.journey_runs).toBe(1);
    expect(body.rows.do_not_contact).toBe(1);
    expect(body.rows).toMatchObject(rows);
    expect(body.rows.events).toBeGreaterThanOrEqual(8);
    expect(body.rows.erased_identities).toBe(5);
    expect(body.rows.future_notes).toBe(2);
    const left = await sql<{ data: unknown }>`select data from future_notes`.execute(tend.tend.store.database);
    expect(left.rows).toEqual([{ data: { who: 'u-bert' } }]);
  });

  it('leaves her e-mail addresses, phone, name and ids in no column of any table', async () => {
    for (const trace of traces) expect(await whereFound(trace), trace).toEqual([]);
  });

  it('keeps the account, its counts and her colleague as they were', async () => {
    const account = (await tend.admin('/api/v1/accounts/kunde')).body;
    expect(account.name).toBe('Kunde AG');
    const people = account.contacts.map((contact: { userId: string }) => contact.userId);
    expect(people.sort()).toEqual([erasedId, 'u-bert'].sort());
    const bert = (await tend.admin('/api/v1/contacts/u-bert')).body;
    expect(bert).toMatchObject({ email: 'bert@kunde.example', name: 'Bert Kollege' });
    const path = `/api/v1/events?userId=${encodeURIComponent(erasedId)}&limit=1000`;
    const events: Named[] = (await tend.admin(path)).body.events;
    expect(events.find((event) => event.name === 'Feature Used')?.properties).toEqual({ rows: 1200, channel: 'web' });
    expect(events.find((event) => event.name === 'Survey Answered')?.properties).toEqual({ score: 3, scale: 10 });
  });

  it('records that it happened, under the erased id only', async () => {
    const entries = (await tend.admin('/api/v1/audit-log?action=contact.erased')).body.entries;
    const actor = expect.stringContaining('admin token');
    expect(entries).toEqual([expect.objectContaining({ subject: erasedId, actor })]);
    expect(JSON.stringify(entries)).not.toMatch(/anna|muster|41791234567/i);
    const history = (await tend.admin(`/api/v1/audit-log?subject=${encodeURIComponent(erasedId)}`)).body.entries;
    const actions = history.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['contact.erased', 'contact.exported', 'consent.recorded']));
  });

  it('has nothing to export or erase under her ids any more', async () => {
    for (const id of [anna.userId, anna.oldId]) {
      expect((await tend.admin(`/api/v1/contacts/${id}/export`)).status).toBe(404);
      expect((await tend.admin(`/api/v1/contacts/${id}`)).status).toBe(404);
      expect((await erase(id)).status).toBe(404);
    }
  });

  it('a later identify under her id starts a new person with only what it carries, still never contacted', async () => {
    const account = (name: string) => ({ name, profit: 30000, owner: 'rita@acme.example' });
    await send(tend, [
      { type: 'identify', userId: anna.userId, traits: { plan: 'basic' } },
      { type: 'identify', userId: 'u-anna-again', traits: { email: anna.email.toUpperCase(), name: 'A. M.' } },
      { type: 'group', userId: 'u-anna-again', groupId: 'kunde-zwei', traits: account('Kunde Zwei') },
      { type: 'group', userId: anna.userId, groupId: 'kunde-drei', traits: account('Kunde Drei') },
    ]);
    const back = (await tend.admin(`/api/v1/contacts/${anna.userId}`)).body;
    expect(back).toMatchObject({ email: null, phone: null, name: null, traits: { plan: 'basic' } });
    expect(back.knownAs).toEqual({ userIds: [], anonymousIds: [] });
    await send(tend, [track('u-anna-again', 'Survey Answered', { score: 1 })]);
    await send(tend, [track(anna.userId, 'Survey Answered', { score: 2 })]);
    await advance(tend, 'PT1M');
    expect(mailsTo(anna.email)).toHaveLength(1);
    for (const contactId of ['u-anna-again', anna.userId]) {
      const messages = (await tend.admin(`/api/v1/outbox?contactId=${contactId}`)).body.messages;
      const refused = { status: 'skipped', reason: expect.stringMatching(/^erased: /) };
      expect(messages, contactId).toEqual([expect.objectContaining(refused)]);
    }
  });

  it('a restore from an older backup re-applies the erasure from the kept list of hashes', async () => {
    const list = await erasureList(tend.tend.store.database);
    expect(list.map((identity) => identity.kind).sort()).toEqual(['email', 'email', 'phone', 'user-id', 'user-id']);
    expect(JSON.stringify(list)).not.toMatch(/anna|muster|41791234567/i);
    // As if restored: her old id is back with her data, as it was before the erasure.
    const before = new Date('2026-05-04T08:00:00Z').toISOString();
    const traits = { email: anna.oldEmail, name: anna.name };
    await send(tend, [{ type: 'identify', userId: anna.oldId, timestamp: before, traits }]);
    // The person who came back under her id after the erasure (above) is someone new, and stays.
    expect(await reapplyErasures(tend.tend.store.database, list, new Date('2026-05-05T00:00:00Z'))).toBe(1);
    expect(await whereFound(anna.oldEmail)).toEqual([]);
    expect((await tend.admin(`/api/v1/contacts/${anna.userId}`)).body).toMatchObject({ traits: { plan: 'basic' } });
  });

  it('erases a person whose id, address and name hold what regular expressions and SQL treat specially', async () => {
    const sean = { userId: "o'brien.(1)*|x", email: "Sean.O'Brien+tend@example.ie", name: "Seán O'Brien" };
    await send(tend, [
      { type: 'identify', userId: sean.userId, traits: { ...sean, userId: undefined, phone: '+353 1 5550199' } },
      track(sean.userId, 'Note Added', { text: `${sean.name} <${sean.email}>, call 3531555019`, n: 1 }),
    ]);
    const { status, body } = await erase(sean.userId);
    expect(status, JSON.stringify(body)).toBe(200);
    for (const trace of [sean.userId, sean.email, sean.name, '3531555019']) {
      expect(await whereFound(trace), trace).toEqual([]);
    }
  });
});
