// `tend backup` while Tend runs and takes requests, `tend restore` into an empty place, and a Tend
// started on the restored copy finds every event, signal, run and message: on the embedded database
// (a snapshot served by the running Tend) and on PostgreSQL (pg_dump and pg_restore).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInPlaybooks as playbooks } from '../../src/config/playbook-library.js';
import { startTend } from '../../src/app/tend-service.js';
import type { StoreLocation } from '../../src/config/settings.js';
import { openStore } from '../../src/store/database.js';
import type { Database } from '../../src/store/schema.js';
import { runTend } from '../support/run-tend.js';
import { addMariasTeam, advance, group, send, track } from '../support/scenario.js';
import { freshLocation, startTestTend, type TestTend, usingPostgres } from '../support/test-tend.js';

const folder = mkdtempSync(join(tmpdir(), 'tend-backup-'));
const cleanups: (() => Promise<unknown>)[] = [];
let tend: TestTend;
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await tend?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** An empty place to restore into: a new directory, or a new empty database. */
async function emptyPlace(): Promise<{ location: StoreLocation; environment: Record<string, string> }> {
  if (usingPostgres()) {
    const { location, cleanup } = await freshLocation();
    cleanups.push(cleanup);
    return { location, environment: environmentOf(location) };
  }
  const location: StoreLocation = { kind: 'embedded', dataDirectory: mkdtempSync(join(folder, 'restored-')) };
  return { location, environment: environmentOf(location) };
}

function environmentOf(location: StoreLocation): Record<string, string> {
  if (location.kind === 'postgres') return { DATABASE_URL: location.url };
  return { TEND_DATA_DIR: location.dataDirectory, DATABASE_URL: '' };
}

/**
 * Every table's rows by their primary key (the events by id); a table without one by its count.
 * Partitions are read through their parent.
 */
async function rowKeys(database: Kysely<Database>): Promise<Record<string, string[]>> {
  const tables = await sql<{ name: string; columns: string[] | null }>`
    select c.relname as name, (
      select array_agg(a.attname::text order by k.ord) from pg_index i
      cross join unnest(i.indkey) with ordinality k(attnum, ord)
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
      where i.indrelid = c.oid and i.indisprimary) as columns
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`.execute(database);
  const keys: Record<string, string[]> = {};
  for (const table of tables.rows) {
    const columns = table.name === 'events' ? ['id'] : table.columns;
    if (columns === null) {
      const counted = await sql<{
        count: number;
      }>`select count(*)::int8 as count from ${sql.table(table.name)}`.execute(database);
      keys[table.name] = [`${counted.rows[0]!.count} rows`];
      continue;
    }
    const key = sql.join(
      columns.map((column) => sql`${sql.ref(column)}::text`),
      sql`, '|', `,
    );
    const rows = await sql<{ key: string }>`select concat(${key}) as key from ${sql.table(table.name)}`.execute(
      database,
    );
    keys[table.name] = rows.rows.map((row) => row.key).sort();
  }
  return keys;
}

async function keysAt(location: StoreLocation): Promise<Record<string, string[]>> {
  const store = await openStore(location, { migrate: false, poolSize: 1 });
  try {
    return await rowKeys(store.database);
  } finally {
    await store.close();
  }
}

/** Batches of events sent one after another until stopped; each batch's id is in its events' properties. */
function steadyLoad(): { stop: () => Promise<number[]> } {
  const acknowledged: number[] = [];
  let stopping = false;
  const running = (async () => {
    for (let batch = 0; !stopping; batch++) {
      const events = Array.from({ length: 20 }, (_, index) => ({
        ...track(`load-${batch % 7}`, 'Feature Used', { batch }),
        messageId: `load-${batch}-${index}`,
      }));
      const answer = await tend.track('/v1/batch', { batch: events });
      expect(answer.status).toBe(200);
      acknowledged.push(batch);
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await running;
      return acknowledged;
    },
  };
}

async function loadBatches(database: Kysely<Database>): Promise<Map<number, { events: number; receipts: number }>> {
  const rows = await sql<{ batch: number; events: number; receipts: number }>`
    select (properties->>'batch')::int as batch, count(*)::int8 as events,
      (select count(*) from event_receipts r
        where r.message_id like 'load-' || (e.properties->>'batch') || '-%')::int8 as receipts
    from events e where e.message_id like 'load-%' group by 1, 3 order by 1`.execute(database);
  return new Map(rows.rows.map((row) => [row.batch, { events: Number(row.events), receipts: Number(row.receipts) }]));
}

beforeAll(async () => {
  tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-03-02T09:00:00Z') }, playbooks });
  await addMariasTeam(tend);
  const owner = 'rita@tend.example';
  const customer = (userId: string, accountId: string, traits: Record<string, unknown>) => [
    { type: 'identify', userId, traits: { email: `${userId}@${accountId}.example`, name: userId, timezone: 'UTC' } },
    group(userId, accountId, { name: accountId, owner, profit: 20000, lifecycleStage: 'active', ...traits }),
  ];
  // An outage notice (messages, an alert task), a new lead (a call task, an acknowledgement), a detractor
  // (a signal, a run).
  await send(tend, [...customer('olga', 'outco', {}), track('olga', 'Outage Started', { service: 'Invoicing' })]);
  await send(tend, customer('lena', 'leadco', { lifecycleStage: 'lead' }));
  const answer = track('dirk', 'Survey Answered', { score: 1, comment: 'Nobody calls back' });
  await send(tend, [...customer('dirk', 'grumpco', {}), answer]);
  await advance(tend, 'PT1M');
}, 120_000);

describe('backup and restore', () => {
  it('backs up while requests arrive: one consistent moment, and a Tend on the copy finds everything', async () => {
    const before = await rowKeys(tend.tend.store.database);
    for (const table of ['events', 'signals', 'journey_runs', 'outbox', 'tasks']) {
      expect(before[table]!.length, table).toBeGreaterThan(0);
    }
    const file = join(folder, 'during-load.backup');
    const load = steadyLoad();
    const backup = await runTend(['backup', file], tend.environment);
    const acknowledged = await load.stop();
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^Backed up the /);
    const after = await rowKeys(tend.tend.store.database);

    const place = await emptyPlace();
    const restore = await runTend(['restore', file], place.environment);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/^Restored /);
    // Read before a Tend starts on it (a starting Tend records its playbooks, fits its model, …).
    const found = await keysAt(place.location);
    // Everything there before the backup began is there, and nothing that was never there.
    for (const [table, keys] of Object.entries(before)) {
      if (keys[0]?.endsWith(' rows')) continue;
      expect(found[table], table).toEqual(expect.arrayContaining(keys));
      expect(after[table], table).toEqual(expect.arrayContaining(found[table]!));
    }

    const restored = await startTend({
      store: place.location,
      host: '127.0.0.1',
      port: 0,
      writeKey: tend.writeKey,
      adminToken: tend.adminToken,
      clock: { kind: 'manual', start: new Date('2026-03-02T09:01:00Z') },
      logLevel: 'silent',
      configPath: null,
      playbooksPath: playbooks,
    });
    try {
      // One moment: each batch of the load is there whole (its events and their receipts) or not at all.
      const batches = await loadBatches(restored.store.database);
      for (const [batch, counts] of batches) expect({ batch, ...counts }).toEqual({ batch, events: 20, receipts: 20 });
      // The load sends one batch after another, so one moment holds the first few of them, in order.
      expect(batches.size).toBeGreaterThan(0);
      expect([...batches.keys()]).toEqual(acknowledged.slice(0, batches.size));
      // And the restored Tend serves them.
      const read = async <T>(path: string): Promise<T> => {
        const headers = { authorization: `Bearer ${tend.adminToken}` };
        return (await fetch(`${restored.url}${path}`, { headers })).json() as Promise<T>;
      };
      const outbox = await read<{ messages: { payload: { template: string } }[] }>('/api/v1/outbox?accountId=outco');
      expect(outbox.messages.map((message) => message.payload.template)).toContain('outage-notice');
      const signals = await read<{ signals: { kind: string }[] }>('/api/v1/signals?accountId=grumpco&open=true');
      expect(signals.signals.map((signal) => signal.kind)).toContain('detractor');
    } finally {
      await restored.close();
    }
  }, 300_000);

  it('a backup of a quiet Tend restores to exactly the same rows, table by table', async () => {
    let live = await rowKeys(tend.tend.store.database);
    // The engine finishes the load's evaluations first.
    for (let tries = 0; tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const again = await rowKeys(tend.tend.store.database);
      if (JSON.stringify(again) === JSON.stringify(live)) break;
      live = again;
    }
    const file = join(folder, 'quiet.backup');
    expect((await runTend(['backup', file], tend.environment)).code).toBe(0);
    const place = await emptyPlace();
    expect((await runTend(['restore', file], place.environment)).code).toBe(0);
    expect(await keysAt(place.location)).toEqual(live);
  }, 300_000);

  it('refuses to restore into a place that is not empty, naming it, and never overwrites a file', async () => {
    const file = join(folder, 'quiet.backup');
    const refused = await runTend(['restore', file], environmentOf(tend.location));
    expect(refused.code).not.toBe(0);
    const location = tend.location;
    const place = location.kind === 'embedded' ? `The data directory ${location.dataDirectory}` : 'The database';
    expect(refused.stderr).toContain(place);
    expect(refused.stderr).toContain('is not empty');
    const again = await runTend(['backup', file], tend.environment);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(`${file} already exists`);
  }, 120_000);

  it('erases again, in a restored copy, a person erased after the backup was taken', async () => {
    const identify = await tend.track('/v1/identify', {
      userId: 'erin',
      traits: { email: 'erin@restored.example', name: 'Erin Vale' },
    });
    expect(identify.status).toBe(200);
    const file = join(folder, 'before-erasure.backup');
    expect((await runTend(['backup', file], tend.environment)).code).toBe(0);
    // Erased a while later: who was stored before the erasure is erased again, who came back after is not.
    await advance(tend, 'PT1M');
    const erased = await fetch(`${tend.url}/api/v1/contacts/erin`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tend.adminToken}` },
    });
    expect(erased.status).toBe(200);
    const list = join(folder, 'erasures.json');
    const exported = await runTend(['erasures', 'export', list], tend.environment);
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toContain(`to ${list}`);

    const place = await emptyPlace();
    const restored = await runTend(['restore', file, '--erasures', list], place.environment);
    expect(restored.stderr).toBe('');
    expect(restored.stdout, restored.stdout).toContain('1 people in the backup were erased again');
    const store = await openStore(place.location);
    try {
      const left = await sql<{ count: number }>`select count(*)::int as count from contacts
        where email = 'erin@restored.example' or name = 'Erin Vale' or id = 'erin'`.execute(store.database);
      expect(left.rows[0]?.count).toBe(0);
    } finally {
      await store.close();
    }
    const unreadable = await runTend(['restore', file, '--erasures', file], (await emptyPlace()).environment);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain('is not an erasure list made by tend erasures export');
  }, 300_000);

  it.skipIf(usingPostgres())(
    'refuses a cut-short backup file and leaves the directory as it was',
    async () => {
      const file = join(folder, 'cut.backup');
      const whole = (await import('node:fs')).readFileSync(join(folder, 'quiet.backup'));
      writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
      const place = join(folder, 'never-made');
      const refused = await runTend(['restore', file], { TEND_DATA_DIR: place, DATABASE_URL: '' });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`${file} cannot be restored: it is damaged or cut short`);
      expect(existsSync(place)).toBe(false);
    },
    120_000,
  );
});
