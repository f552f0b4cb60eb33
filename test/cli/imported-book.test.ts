// A book imported from a CRM raises what its audit shows, whatever order its four files come in: after
// the import, the running engine evaluates every account the import concerns, so the signals, health
// and today list agree with the audit and the manager's oversight within seconds. Imports run as a
// user runs them (the `tend` command as a process beside a running Tend, and `tend start` as a
// process of its own), and through importCsv.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importCsv } from '../../src/ingest/csv-import.js';
import { runTend } from '../support/run-tend.js';
import { freshLocation, startTestTend, type TestTend } from '../support/test-tend.js';
import { interruptTendProcess, startTendProcess } from '../support/tend-process.js';

type FileKind = 'users' | 'accounts' | 'contacts' | 'interactions';
const example = (kind: FileKind) => fileURLToPath(new URL(`../../examples/${kind}.csv`, import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'tend-imported-book-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What the API answers to a GET with the admin token. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked field by field
type Admin = (path: string) => Promise<{ status: number; body: any }>;

/** Asks `read` until `done` holds or the deadline passes; returns the last answer. */
async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, seconds = 30): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** After the accounts file: the engine has evaluated Acme once (as it had in the defect, before the touches came). */
const evaluated = (admin: Admin) =>
  waitFor(
    () => admin('/api/v1/accounts/acme/health'),
    (health) => health.status === 200,
  );

/** Checks that signals, health and Acme's owner's today list agree with the audit and the oversight. */
async function expectAcmeNeglectedEverywhere(admin: Admin): Promise<number> {
  const began = Date.now();
  const signals = await waitFor(
    () => admin('/api/v1/signals?kind=neglected&open=true'),
    (answer) => answer.body.signals?.some((signal: { accountId: string }) => signal.accountId === 'acme'),
  );
  const raisedAfter = Date.now() - began;
  const neglected = signals.body.signals.find((signal: { accountId: string }) => signal.accountId === 'acme');
  expect(neglected, JSON.stringify(signals.body)).toBeDefined();
  expect(neglected.owner).toBe('rita@yourco.example');

  const audit = (await admin('/api/v1/accounts/acme/audit')).body;
  expect(audit.tier).toBe('A');
  expect(audit.daysSinceSubstantiveContact).toBeGreaterThan(14);
  expect(neglected.reasons.join(' ')).toContain(`${audit.daysSinceSubstantiveContact} days`);

  const health = await waitFor(
    () => admin('/api/v1/accounts/acme/health'),
    (answer) => answer.body.score < 100,
    10,
  );
  expect(health.body.score, JSON.stringify(health.body)).toBeLessThan(100);
  const relationship = health.body.components.find((component: { name: string }) => component.name === 'relationship');
  expect(relationship.score).toBeLessThan(100);
  const days = audit.daysSinceSubstantiveContact;
  const why = `No two-way conversation for ${days} days; tier A expects one every 14 days`;
  expect(relationship.reasons.join(' ')).toContain(why);

  const today = (await admin('/api/v1/users/rita@yourco.example/today')).body;
  expect(today.entries.map((entry: { accountId: string }) => entry.accountId)).toContain('acme');
  const oversight = (await admin('/api/v1/users/maria@yourco.example/oversight')).body;
  const rita = oversight.reps.find((rep: { repEmail: string }) => rep.repEmail === 'rita@yourco.example');
  expect(rita.neglected.map((account: { accountId: string }) => account.accountId)).toContain('acme');
  return raisedAfter;
}

/** The example touches, moved so the latest is a day old: Acme's last call is 50 days back whatever the date. */
function recentInteractions(): string {
  const lines = readFileSync(example('interactions'), 'utf8').trim().split('\n');
  const instants = lines.slice(1).map((line) => Date.parse(line.slice(line.lastIndexOf(',') + 1)));
  const shift = Date.now() - 86_400_000 - Math.max(...instants);
  const moved = [
    lines[0],
    ...lines.slice(1).map((line) => {
      const at = line.lastIndexOf(',') + 1;
      return `${line.slice(0, at)}${new Date(Date.parse(line.slice(at)) + shift).toISOString()}`;
    }),
  ];
  const file = join(scratch, 'interactions.csv');
  writeFileSync(file, `${moved.join('\n')}\n`);
  return file;
}

describe('an imported book, beside a running Tend on a manual clock', () => {
  let tend: TestTend | null = null;
  afterAll(async () => tend?.stop());

  const orders: FileKind[][] = [
    ['users', 'accounts', 'contacts', 'interactions'],
    ['contacts', 'accounts', 'interactions', 'users'],
  ];
  it.each(orders)(
    'raises neglect for Acme when the files come as %s, %s, %s, %s',
    async (...order) => {
      await tend?.stop();
      // The day the issue was found: Acme's last call was 83 days before.
      tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-12-06T09:00:00Z') } });
      const running = tend;
      for (const kind of order) {
        if (kind === 'users') {
          // As a user runs it: the command, in a process of its own.
          const result = await runTend(['import', 'users', example('users')], running.environment);
          expect(result.code, result.stderr).toBe(0);
        } else {
          const { database } = running.tend.store;
          const summary = await importCsv(database, running.tend.clock, { kind, file: example(kind), columnMap: {} });
          expect(summary.rejected).toEqual([]);
        }
        if (kind === 'accounts') await evaluated(running.admin);
      }
      await expectAcmeNeglectedEverywhere(running.admin);
    },
    120_000,
  );
});

describe('an imported book, with `tend start` and `tend import` as processes', () => {
  it('raises neglect for Acme within seconds of the last file', async () => {
    const { location, cleanup } = await freshLocation();
    const adminToken = 'admin_imported_book_0123456789';
    const environment: Record<string, string> = {
      ...(location.kind === 'postgres'
        ? { DATABASE_URL: location.url, TEND_DATA_DIR: '' }
        : { TEND_DATA_DIR: location.dataDirectory, DATABASE_URL: '' }),
      PORT: '0',
      HOST: '127.0.0.1',
      TEND_ADMIN_TOKEN: adminToken,
      TEND_WRITE_KEY: 'wk_imported_book_0123456789',
      TEND_CLOCK: '',
      TEND_CONFIG: '',
    };
    const started = await startTendProcess(environment);
    const admin: Admin = async (path) => {
      const response = await fetch(`${started.url}${path}`, { headers: { authorization: `Bearer ${adminToken}` } });
      return { status: response.status, body: await response.json() };
    };
    try {
      const files: Record<FileKind, string> = {
        users: example('users'),
        accounts: example('accounts'),
        contacts: example('contacts'),
        interactions: recentInteractions(),
      };
      for (const kind of ['users', 'accounts', 'contacts', 'interactions'] as const) {
        const result = await runTend(['import', kind, files[kind]], environment);
        expect(result.code, result.stderr).toBe(0);
        if (kind === 'accounts') await evaluated(admin);
      }
      const seconds = (await expectAcmeNeglectedEverywhere(admin)) / 1000;
      expect(seconds).toBeLessThan(10);
    } finally {
      await interruptTendProcess(started);
      await cleanup();
    }
  }, 120_000);
});
