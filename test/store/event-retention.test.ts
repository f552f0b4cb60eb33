// Retention: with `retention.eventsDays` set, the daily maintenance drops the months of events that lie
// wholly before it, a partition at a time; the month the cut-off falls in and everything newer stay.
// Without the setting nothing is dropped.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { TendError } from '../../src/domain/errors.js';
import { validateTendConfig } from '../../src/domain/relationship/config-validation.js';
import { advance, group, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const folder = mkdtempSync(join(tmpdir(), 'tend-retention-'));
const started: TestTend[] = [];
afterAll(async () => {
  for (const tend of started) await tend.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** 15 June 2026: with 90 days kept, the cut-off is 17 March, so January and February go and March stays. */
const start = new Date('2026-06-15T09:00:00Z');

async function tendKeeping(eventsDays: number | null): Promise<TestTend> {
  const configPath = join(folder, `keep-${eventsDays ?? 'all'}.yaml`);
  writeFileSync(configPath, eventsDays === null ? 'today: { size: 8 }\n' : `retention:\n  eventsDays: ${eventsDays}\n`);
  const tend = await startTestTend({ clock: { kind: 'manual', start }, configPath });
  started.push(tend);
  // Events of January to June, a few each month, for one account.
  const history = [
    '2026-01-10',
    '2026-01-31',
    '2026-02-14',
    '2026-03-01',
    '2026-03-20',
    '2026-05-05',
    '2026-06-14',
  ].map((day) => track('ana', 'Signed In', {}, new Date(`${day}T12:00:00Z`)));
  await send(tend, [group('ana', 'acme', { name: 'Acme', profit: 1000 }), ...history]);
  return tend;
}

async function monthsHeld(tend: TestTend): Promise<{ partitions: string[]; days: string[] }> {
  const database = tend.tend.store.database;
  const partitions = await sql<{ name: string }>`
    select child.relname as name from pg_inherits join pg_class parent on parent.oid = pg_inherits.inhparent
    join pg_class child on child.oid = pg_inherits.inhrelid
    where parent.relname = 'events' order by 1`.execute(database);
  const days = await sql<{ day: string }>`
    select to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD') as day from events
    where name = 'Signed In' order by 1`.execute(database);
  return { partitions: partitions.rows.map((row) => row.name), days: days.rows.map((row) => row.day) };
}

describe('retention of events', () => {
  it('drops the months wholly older than retention.eventsDays at the daily run, a partition at a time', async () => {
    const tend = await tendKeeping(90);
    const before = await monthsHeld(tend);
    const months = ['events_202601', 'events_202602', 'events_202603', 'events_202605', 'events_202606'];
    expect(before.partitions).toEqual(expect.arrayContaining(months));
    await advance(tend, 'P1D');
    const after = await monthsHeld(tend);
    expect(after.partitions).not.toContain('events_202601');
    expect(after.partitions).not.toContain('events_202602');
    expect(after.partitions).toEqual(expect.arrayContaining(['events_default', ...months.slice(2)]));
    // The month the cut-off falls in stays whole, 1 March included.
    expect(after.days).toEqual(['2026-03-01', '2026-03-20', '2026-05-05', '2026-06-14']);
    // The account and its signals are untouched; new events keep arriving.
    expect((await tend.admin('/api/v1/accounts/acme')).status).toBe(200);
    await send(tend, [track('ana', 'Signed In')]);
    expect((await monthsHeld(tend)).days).toHaveLength(5);
  }, 120_000);

  it('keeps everything without the setting', async () => {
    const tend = await tendKeeping(null);
    await advance(tend, 'P1D');
    const after = await monthsHeld(tend);
    expect(after.partitions).toEqual(expect.arrayContaining(['events_202601', 'events_202602']));
    expect(after.days).toHaveLength(7);
  }, 120_000);

  it('refuses a retention shorter than 90 days, naming the setting', () => {
    const keeping = (eventsDays: number) => validateTendConfig({ retention: { eventsDays } }, 'tend.config.yaml');
    expect(() => keeping(30)).toThrow(TendError);
    expect(() => keeping(30)).toThrow(/retention\.eventsDays must be a whole number of days from 90 to 36525, got 30/);
    expect(keeping(400).retention).toEqual({ eventsDays: 400 });
    expect(validateTendConfig(undefined, 'defaults').retention).toEqual({ eventsDays: null });
  });
});
