// An opt-out racing a message on its way to the provider. Found by the chaos run (e-mails reached
// people 9–591 ms after Tend acknowledged their opt-out):
// - an opt-out that commits while the message is being rendered and handed over stops it: the last look
//   at consent is in the hand-over's transaction, after its update (PostgreSQL only: the test holds a
//   lock from a second connection to stop the hand-over at the right moment, which the embedded
//   database's single session cannot do);
// - an opt-out that comes while the message is already with the provider is acknowledged only once the
//   provider has taken it, so nothing reaches the person after Tend said they are opted out.
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

let holdSender: (() => Promise<void>) | null = null;

describe('an opt-out racing a message to the provider', () => {
  beforeAll(async () => {
    smtp = await startTestSmtpServer({ beforeSender: async () => holdSender?.() });
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

  it.skipIf(!usingPostgres())('stops the message when the opt-out commits while it is being handed over', async () => {
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
      const waiting = async () =>
        Number(
          (
            await database.query(
              `select count(*) as count from pg_locks where not granted and relation = 'message_links'::regclass`,
            )
          ).rows[0].count,
        );
      await expect.poll(waiting, { timeout: 30_000, interval: 50 }).toBeGreaterThan(0);
      // The message was claimed and passed the first check; now Nora opts out, and Tend acknowledges it.
      const optOut = await tend.post('/api/v1/contacts/nora/consents', {
        channel: 'email',
        status: 'opted-out',
        source: 'preference centre',
      });
      expect(optOut.status).toBe(200);
      await database.query('commit');
      const settled = async () =>
        (await tend.admin('/api/v1/outbox?contactId=nora')).body.messages.map(
          (message: { status: string }) => message.status,
        );
      await expect.poll(settled, { timeout: 30_000, interval: 100 }).toEqual(['skipped']);
      const [message] = (await tend.admin('/api/v1/outbox?contactId=nora')).body.messages;
      expect(message.reason).toMatch(/^opted-out: .*\(checked again before sending\)$/);
      expect(smtp.received).toEqual([]);
    } finally {
      await database.query('rollback').catch(() => undefined);
      await database.end();
    }
  });

  it('answers an opt-out that comes while the message is with the provider only once the provider has it', async () => {
    let release: () => void = () => undefined;
    const atProvider = new Promise<void>((conversationBegun) => {
      holdSender = () => {
        conversationBegun();
        return new Promise<void>((done) => (release = done));
      };
    });
    smtp.received.length = 0;
    await send(tend, [
      { type: 'identify', userId: 'otto', traits: { email: 'otto@customer.example', name: 'Otto', timezone: 'UTC' } },
      { type: 'group', userId: 'otto', groupId: 'otto-co', traits: { name: 'Otto Co' } },
      track('otto', 'Survey Answered', { score: 1 }),
    ]);
    await atProvider;
    let answered = false;
    let receivedWhenAnswered = -1;
    const optOut = tend
      .post('/api/v1/do-not-contact', { value: 'otto@customer.example', reason: 'asked by phone' })
      .then((answer) => {
        answered = true;
        receivedWhenAnswered = smtp.received.length;
        return answer;
      });
    await new Promise((resume) => setTimeout(resume, 500));
    expect(answered).toBe(false);
    release();
    expect((await optOut).status).toBe(201);
    expect(receivedWhenAnswered).toBe(1);
    expect(smtp.received.map((mail) => mail.recipients)).toEqual([['otto@customer.example']]);
    holdSender = null;
  });
});
