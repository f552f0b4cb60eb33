// The movable clock and the policy file: the clock tells the time and moves only when manual; a wrong
// value in tend.config.yaml stops Tend with its path and what is allowed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTend } from '../support/run-tend.js';
import { type RunningTend, startTend } from '../../src/app/tend-service.js';
import { freshLocation, startTestTend, type TestTend, usingPostgres } from '../support/test-tend.js';

let systemTend: TestTend;
let manualTend: TestTend;
beforeAll(async () => {
  [systemTend, manualTend] = await Promise.all([
    startTestTend(),
    startTestTend({ clock: { kind: 'manual', start: new Date('2026-01-01T00:00:00Z') } }),
  ]);
});
afterAll(async () => Promise.all([systemTend?.stop(), manualTend?.stop()]));

describe('the clock', () => {
  it('a manual clock stands still, moves by an ISO duration, and stamps events without a timestamp', async () => {
    expect((await manualTend.admin('/api/v1/clock')).body).toEqual({ now: '2026-01-01T00:00:00.000Z', kind: 'manual' });
    const moved = await manualTend.post('/api/v1/clock/advance', { by: 'P31D' });
    expect(moved.status).toBe(200);
    expect(moved.body.now).toBe('2026-02-01T00:00:00.000Z');
    await manualTend.track('/v1/track', { userId: 'u', event: 'Signed In' });
    expect((await manualTend.admin('/api/v1/events?userId=u')).body.events[0].occurredAt).toBe(
      '2026-02-01T00:00:00.000Z',
    );
  });

  it('a restarted Tend goes on from where its manual clock stood, or from a later start instant', async () => {
    const { location, cleanup } = await freshLocation();
    const settings = (start: string) => ({
      store: location,
      host: '127.0.0.1',
      port: 0,
      writeKey: null,
      adminToken: 'admin_clock_restart_0123456789',
      clock: { kind: 'manual' as const, start: new Date(start) },
      logLevel: 'silent',
      configPath: null,
      playbooksPath: 'none',
    });
    const clockOf = async (tend: RunningTend) => {
      const headers = { authorization: 'Bearer admin_clock_restart_0123456789' };
      return ((await (await fetch(`${tend.url}/api/v1/clock`, { headers })).json()) as { now: string }).now;
    };
    try {
      const first = await startTend(settings('2026-01-01T00:00:00Z'));
      const moved = await fetch(`${first.url}/api/v1/clock/advance`, {
        method: 'POST',
        headers: { authorization: 'Bearer admin_clock_restart_0123456789', 'content-type': 'application/json' },
        body: '{"by":"P14D"}',
      });
      expect(moved.status).toBe(200);
      await first.close();
      const again = await startTend(settings('2026-01-01T00:00:00Z'));
      expect(await clockOf(again)).toBe('2026-01-15T00:00:00.000Z');
      await again.close();
      const later = await startTend(settings('2026-03-01T00:00:00Z'));
      expect(await clockOf(later)).toBe('2026-03-01T00:00:00.000Z');
      await later.close();
    } finally {
      await cleanup();
    }
  });

  it('refuses bad durations, and refuses to move the system clock with 409', async () => {
    const bad = await manualTend.post('/api/v1/clock/advance', { by: '31 days' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('body.by');
    const leap = await manualTend.post('/api/v1/clock/advance', { to: '9999-01-01T00:00:00Z' });
    expect(leap.status).toBe(400);
    expect(leap.body.message).toMatch(/at most 3653 days .* move it in steps/);
    const refused = await systemTend.post('/api/v1/clock/advance', { by: 'P1D' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/TEND_CLOCK=manual/);
    expect((await systemTend.admin('/api/v1/clock')).body.kind).toBe('system');
  });
});

describe('tend.config.yaml', () => {
  it('a wrong value stops tend start, naming its path and what is allowed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tend-config-'));
    const file = join(folder, 'tend.config.yaml');
    writeFileSync(file, 'cadence:\n  B:\n    everyDays: monthly\n');
    const result = await runTend(['start'], { TEND_CONFIG: file, TEND_DATA_DIR: join(folder, 'data'), PORT: '0' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('cadence.B.everyDays');
  });

  it('a valid file changes the policy: a 7-day cadence for tier A', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tend-config-'));
    const file = join(folder, 'tend.config.yaml');
    writeFileSync(file, 'cadence:\n  A: { everyDays: 7, objective: review, methods: [meeting] }\n');
    const custom = await startTestTend({
      clock: { kind: 'manual', start: new Date('2026-01-01T00:00:00Z') },
      configPath: file,
    });
    try {
      await custom.track('/v1/group', { userId: 'x', groupId: 'solo', traits: { name: 'Solo', profit: 5000 } });
      await custom.post('/api/v1/clock/advance', { by: 'P8D' });
      const kinds = (await custom.admin('/api/v1/signals?accountId=solo&open=true')).body.signals.map(
        (signal: { kind: string }) => signal.kind,
      );
      expect(kinds).toContain('neglected');
    } finally {
      await custom.stop();
    }
  });
});

describe.skipIf(usingPostgres())('housekeeping on the embedded database', () => {
  // PGlite has no autovacuum: after each daily ranking Tend vacuums the tables it churns, as autovacuum
  // would, once their dead rows pass a share of the live ones. A real PostgreSQL vacuums by itself.
  it('a new day vacuums the tables with dead rows piling up, and leaves the quiet ones alone', async () => {
    const database = manualTend.tend.store.database;
    await manualTend.track('/v1/batch', {
      batch: Array.from({ length: 200 }, (_, index) => ({
        type: 'group',
        userId: `h-${index}`,
        groupId: `house-${index}`,
        traits: { name: `House ${index}`, profit: 100 + index },
      })),
    });
    await manualTend.post('/api/v1/clock/advance', { by: 'P1D' });
    const vacuumed = await sql<{ relname: string; vacuumed: boolean }>`
      select relname, (last_vacuum is not null or last_autovacuum is not null) as vacuumed from pg_stat_user_tables
      where relname in ('accounts', 'account_event_queue', 'journey_runs')`.execute(database);
    // The accounts were written many times over (traits, tiers, due-times); no playbook ran.
    expect(Object.fromEntries(vacuumed.rows.map((row) => [row.relname, row.vacuumed]))).toEqual({
      accounts: true,
      account_event_queue: false,
      journey_runs: false,
    });
    // Each day rewrites every account's due-time once after the vacuum; the next day's vacuum takes
    // those dead rows, so a week leaves no more than about a day's worth.
    for (let day = 0; day < 6; day++) await manualTend.post('/api/v1/clock/advance', { by: 'P1D' });
    await sql`select pg_stat_force_next_flush()`.execute(database);
    const counts = await sql<{ live: string; dead: string }>`
      select n_live_tup::text as live, n_dead_tup::text as dead from pg_stat_user_tables
      where relname = 'accounts'`.execute(database);
    expect(Number(counts.rows[0]?.dead)).toBeLessThanOrEqual(2 * Number(counts.rows[0]?.live));
  });
});
