// An opt-out that commits while a message is on its way from the outbox to the provider (claimed and
// checked, then rendered) stops it: the last look at consent is in the transaction that hands the
// message over, after its update, so it sees whatever committed while the hand-over waited. Found by
// the chaos run (an e-mail reached someone 64 ms after their opt-out was acknowledged). PostgreSQL
// only: the test holds a lock from a second connection to stop the hand-over at the right moment,
// which the embedded database's single session cannot do.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSmtpServer, type TestSmtpServer } from '../support/fake-providers.js';
import { send, track } from '../support/scenario.js';
import { startTestTend, type TestTend, usingPostgres } from '../support/test-tend.js';

const playbook = `
id: detractor-note
name: Detractor note
version: 1
trigger: { signal: detractor }
steps:
  - id: note
    send: { channel: email, template: help-note }
holdout: 0
reentry: never
`;

// A link written in the template: the hand-over stores it (message_links) before marking the message.
const template = `
key: help-note
variants:
  en:
    standard:
      subject: We are sorry
      text: "Hi, tell us what went wrong: https://help.example/start"
`;

let tend: TestTend;
let smtp: TestSmtpServer;

describe.skipIf(!usingPostgres())('an opt-out racing a message to the provider', () => {
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    const playbooks = mkdtempSync(join(tmpdir(), 'tend-race-playbooks-'));
    writeFileSync(join(playbooks, 'detractor-note.yaml'), playbook);
    const templates = mkdtempSync(join(tmpdir(), 'tend-race-templates-'));
    writeFileSync(join(templates, 'help-note.yaml'), template);
    tend = await startTestTend({
      clock: { kind: 'manual', start: new Date('2026-05-04T10:00:00Z') },
      playbooks,
      settings: {
        templatesPath: templates,
        channels: { TEND_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, TEND_EMAIL_FROM: 'Acme <success@acme.example>' },
        publicUrl: 'http://127.0.0.1:9',
      },
    });
  });
  afterAll(async () => {
    await tend?.stop();
    await smtp?.close();
  });

  it('stops the message when the opt-out commits while it is being handed over', async () => {
    const database = new pg.Client({ connectionString: tend.environment.DATABASE_URL });
    await database.connect();
    try {
      // Hold the hand-over: it has to store the message's tracked link first.
      await database.query('begin');
      await database.query('lock table message_links in exclusive mode');
      await send(tend, [
        { type: 'identify', userId: 'nora', traits: { email: 'nora@customer.example', name: 'Nora', timezone: 'UTC' } },
        { type: 'group', userId: 'nora', groupId: 'nora-co', traits: { name: 'Nora Co' } },
        track('nora', 'Survey Answered', { score: 1 }),
      ]);
      const waiting = async () => Number((await database.query(`select count(*) as count from pg_locks where not granted and relation = 'message_links'::regclass`)).rows[0].count);
      await expect.poll(waiting, { timeout: 30_000, interval: 50 }).toBeGreaterThan(0);
      // The message was claimed and passed the first check; now Nora opts out, and Tend acknowledges it.
      const optOut = await tend.post('/api/v1/contacts/nora/consents', { channel: 'email', status: 'opted-out', source: 'preference centre' });
      expect(optOut.status).toBe(200);
      await database.query('commit');
      const settled = async () => (await tend.admin('/api/v1/outbox?contactId=nora')).body.messages.map((message: { status: string }) => message.status);
      await expect.poll(settled, { timeout: 30_000, interval: 100 }).toEqual(['skipped']);
      const [message] = (await tend.admin('/api/v1/outbox?contactId=nora')).body.messages;
      expect(message.reason).toMatch(/^opted-out: .*\(checked again before sending\)$/);
      expect(smtp.received).toEqual([]);
    } finally {
      await database.query('rollback').catch(() => undefined);
      await database.end();
    }
  });
});
