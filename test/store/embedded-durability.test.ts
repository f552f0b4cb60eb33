// A kill -9 in the middle of writes does not damage the embedded database: `tend start` runs as its own
// process under a steady write load and is killed with SIGKILL at a random moment, again and again;
// afterwards every acknowledged event is there once, and PostgreSQL's own checker (amcheck) finds
// every table and index sound. And when the files are damaged all the same, Tend refuses to start,
// naming the directory and how to restore. TEND_DURABILITY_KILLS sets the number of kills (the run
// in docs/benchmarks/2026-12-07-embedded-durability.md used 25).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { amcheck } from '@electric-sql/pglite/contrib/amcheck';
import { afterAll, describe, expect, it } from 'vitest';
import { runTend } from '../support/run-tend.js';
import { killTendProcess, startTendProcess } from '../support/tend-process.js';
import { freshLocation, usingPostgres } from '../support/test-tend.js';

const kills = Number(process.env.TEND_DURABILITY_KILLS ?? 3);
const writeKey = 'wk_durability_0123456789abcdef';
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function dataDirectory(): Promise<string> {
  const { location, cleanup } = await freshLocation();
  cleanups.push(cleanup);
  if (location.kind !== 'embedded') throw new Error('the durability check is about the embedded database');
  return location.dataDirectory;
}

const environmentFor = (directory: string) => ({
  TEND_DATA_DIR: directory,
  DATABASE_URL: '',
  PORT: '0',
  HOST: '127.0.0.1',
  TEND_WRITE_KEY: writeKey,
  TEND_ADMIN_TOKEN: 'admin_durability_0123456789abcdef',
  TEND_PLAYBOOKS: 'none',
  TEND_LOG_LEVEL: 'error',
});

/** Writers sending batches (people, accounts, activity) until their Tend dies; the ids of what was acknowledged. */
function writeUntilKilled(url: string, round: number, acknowledged: Set<string>): Promise<unknown> {
  const authorization = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  const writer = async (lane: number) => {
    for (let batch = 0; ; batch++) {
      const prefix = `kill${round}-lane${lane}-batch${batch}`;
      const events = Array.from({ length: 25 }, (_, index) => {
        const userId = `person-${(batch * 25 + index) % 300}`;
        const messageId = `${prefix}-${index}`;
        const accountId = `account-${index % 40}`;
        const traits = { name: accountId, profit: index };
        if (index % 10 === 0) return { type: 'group', userId, groupId: accountId, traits, messageId };
        const email = `${userId}@example.com`;
        if (index % 10 === 1) return { type: 'identify', userId, traits: { email }, messageId };
        const event = index % 2 ? 'Signed In' : 'Feature Used';
        return { type: 'track', userId, event, properties: { round, lane, batch }, messageId };
      });
      try {
        const headers = { authorization, 'content-type': 'application/json' };
        const body = JSON.stringify({ batch: events });
        const answer = await fetch(`${url}/v1/batch`, { method: 'POST', headers, body });
        if (answer.status !== 200) return;
        for (const event of events) acknowledged.add(event.messageId);
      } catch {
        return; // the process is gone
      }
    }
  };
  return Promise.all([0, 1, 2, 3].map(writer));
}

/** Opens the files directly and has amcheck read every table and index through; returns what it found wrong. */
async function checkFiles(directory: string): Promise<{ problems: string[]; messageIds: Map<string, number> }> {
  const database = await PGlite.create({ dataDir: join(directory, 'pgdata'), extensions: { amcheck } });
  try {
    await database.exec('create extension if not exists amcheck');
    const heap = await database.query<{ relation: string; msg: string }>(`
      select c.relname as relation, v.msg from pg_class c join pg_namespace n on n.oid = c.relnamespace,
        lateral verify_heapam(c.oid) v
      where c.relkind in ('r', 'm', 't') and n.nspname <> 'information_schema'`);
    const problems = heap.rows.map((row) => `${row.relation}: ${row.msg}`);
    const relations = await database.query<{ name: string; index: boolean }>(`
      select format('%I.%I', n.nspname, c.relname) as name, c.relkind = 'i' as index
      from pg_class c join pg_namespace n on n.oid = c.relnamespace left join pg_am am on am.oid = c.relam
      where n.nspname not in ('information_schema')
        and (c.relkind = 'r' or (c.relkind = 'i' and am.amname = 'btree'))`);
    for (const { name, index } of relations.rows) {
      try {
        const check = index ? `select bt_index_check('${name}'::regclass, true)` : `select count(*) from ${name}`;
        await database.query(check);
      } catch (error) {
        problems.push(`${name}: ${(error as Error).message}`);
      }
    }
    const stored = await database.query<{ message_id: string; copies: number }>(`
      select message_id, count(*)::int as copies from events where message_id like 'kill%' group by message_id`);
    await database.exec('drop extension amcheck');
    return {
      problems,
      messageIds: new Map(stored.rows.map((row) => [row.message_id, row.copies])),
    };
  } finally {
    await database.close();
  }
}

// PostgreSQL servers have their own crash recovery: this is about PGlite's files.
describe.skipIf(usingPostgres())('the embedded database under kill -9', () => {
  it(
    `keeps every acknowledged event, once, through ${kills} kills mid-write; all tables sound`,
    async () => {
      const directory = await dataDirectory();
      const environment = environmentFor(directory);
      const acknowledged = new Set<string>();
      const restarts: number[] = [];
      for (let round = 0; round < kills; round++) {
        const began = performance.now();
        const running = await startTendProcess(environment);
        restarts.push(performance.now() - began);
        const writing = writeUntilKilled(running.url, round, acknowledged);
        await new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 2500)); // a random moment mid-write
        await killTendProcess(running);
        await writing;
      }
      const { problems, messageIds } = await checkFiles(directory);
      expect(problems).toEqual([]);
      const missing = [...acknowledged].filter((id) => !messageIds.has(id));
      const twice = [...messageIds].filter(([, copies]) => copies > 1);
      expect({ missing: missing.length, twice: twice.length }).toEqual({ missing: 0, twice: 0 });
      expect(acknowledged.size).toBeGreaterThan(0);
      const seconds = restarts.map((ms) => (ms / 1000).toFixed(1)).join(', ');
      console.log(`${kills} kills, ${acknowledged.size} events acknowledged, all present once; restarts ${seconds} s`);
    },
    60_000 + kills * 30_000,
  );

  it('refuses to start on damaged files, naming the directory and how to restore', async () => {
    const directory = await dataDirectory();
    const database = await PGlite.create({ dataDir: join(directory, 'pgdata') });
    const { rows } = await database.query<{ path: string }>(`select pg_relation_filepath('accounts') as path`);
    await database.close();
    rmSync(join(directory, 'pgdata', rows[0]!.path)); // as a disk or a hand could lose a file
    const refused = await runTend(['start'], environmentFor(directory));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`The embedded database in ${directory} could not start`);
    expect(refused.stderr).toContain('tend restore FILE');
  }, 120_000);
});
