// The time-driven lanes: at a midnight, the accounts whose deadline has come (time alone raises a
// signal for them) are evaluated before the day's ranking and the daily refresh of every other
// account, so a deadline does not wait behind either; the refresh then reaches every account once a
// day, bringing the days-overdue in reasons and the health history up to date. PGlite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clocks.js';
import type { BatchOutcome } from '../../src/engine/due-evaluation.js';
import { markAccountsDue } from '../../src/store/account-event-queue.js';
import { evaluationSystems } from '../support/evaluation-systems.js';
import { plainAccount } from '../support/plain-accounts.js';
import { storePerFile } from '../support/fresh-store.js';

const currentStore = storePerFile();

const firstDay = new Date('2026-04-01T09:00:00Z');
const midnight = new Date('2026-04-02T00:00:00Z');
const nextMidnight = new Date('2026-04-03T00:00:00Z');
// Long-standing accounts nobody ever spoke with: signals already open, nothing left to fall due.
const longStanding = Array.from({ length: 40 }, (_, index) => `old-${String(index).padStart(2, '0')}`);
// Customers for exactly 60 days at the midnight: never-spoken falls due then.
const turningSixtyDays = Array.from({ length: 5 }, (_, index) => `new-${index}`);
const sixtyDaysBeforeMidnight = new Date(midnight.getTime() - 60 * 86_400_000);

async function dueTimes(ids: readonly string[]) {
  return currentStore()
    .database.selectFrom('accounts')
    .select(['id', 'next_check_at', 'refresh_due_at'])
    .where('id', 'in', ids)
    .execute();
}

async function openSignals(ids: readonly string[], kind: string) {
  return currentStore()
    .database.selectFrom('signals')
    .select(['account_id', 'reasons'])
    .where('account_id', 'in', ids)
    .where('kind', '=', kind)
    .where('cleared_at', 'is', null)
    .execute();
}

describe('the deadline lane and the daily refresh', () => {
  it('evaluates deadlines that came at midnight first, then refreshes every account once', async () => {
    await currentStore()
      .database.insertInto('accounts')
      .values([
        ...longStanding.map((id, index) => plainAccount(id, new Date('2025-03-01T00:00:00Z'), index)),
        ...turningSixtyDays.map((id, index) => plainAccount(id, sixtyDaysBeforeMidnight, index)),
      ])
      .execute();
    const all = [...longStanding, ...turningSixtyDays];
    await markAccountsDue(currentStore().database, all, firstDay);
    const clock = new ManualClock(firstDay);
    const engine = evaluationSystems(currentStore().database, clock, { batchSize: 10 });
    expect((await engine.scheduler.runUntilIdle()).evaluated).toBe(all.length);

    // Every account is next refreshed at midnight; only the young ones have a deadline then (the
    // others' next is their anniversary, next February).
    for (const row of await dueTimes(all)) {
      expect(new Date(row.refresh_due_at!)).toEqual(midnight);
      if (row.id.startsWith('new-')) expect(new Date(row.next_check_at!)).toEqual(midnight);
      else expect(new Date(row.next_check_at!).getTime()).toBeGreaterThan(nextMidnight.getTime());
    }
    const before = await openSignals(longStanding, 'never-spoken');
    expect(before).toHaveLength(longStanding.length);
    expect(await openSignals(turningSixtyDays, 'never-spoken')).toEqual([]);

    clock.moveTo(midnight);
    const batches: BatchOutcome[] = [];
    for (let round = 0; round < 20; round++) {
      const outcome = await engine.evaluation.evaluateDueBatch();
      batches.push(outcome);
      if (outcome.lane === null) break;
    }
    // The deadlines first, in one batch (fewer than the batch size), and they raise at once; the
    // day's ranking waits for them.
    expect(batches[0]).toMatchObject({ lane: 'deadline', evaluated: turningSixtyDays.length, rankedFirst: false });
    expect(batches[1]).toMatchObject({ lane: 'refresh', rankedFirst: true });
    expect(batches[0]!.raised).toBeGreaterThanOrEqual(turningSixtyDays.length);
    // Then the refresh, of the other 40: each account is evaluated once that midnight.
    expect(batches.slice(1).map((batch) => [batch.lane, batch.evaluated])).toEqual([
      ['refresh', 10],
      ['refresh', 10],
      ['refresh', 10],
      ['refresh', 10],
      [null, 0],
    ]);
    expect(await openSignals(turningSixtyDays, 'never-spoken')).toHaveLength(turningSixtyDays.length);

    // The refresh brought the reasons up to date (a day more) and wrote the day's health.
    expect(new Set(before.map((row) => row.reasons[0]))).toEqual(
      new Set(['A customer for 396 days and nobody has ever called or met them']),
    );
    const after = await openSignals(longStanding, 'never-spoken');
    expect(after).toHaveLength(longStanding.length);
    expect(new Set(after.map((row) => row.reasons[0]))).toEqual(
      new Set(['A customer for 397 days and nobody has ever called or met them']),
    );
    const scored = await currentStore()
      .database.selectFrom('health_scores')
      .select('account_id')
      .where('account_id', 'in', all)
      .where('day', '=', '2026-04-02')
      .execute();
    expect(scored).toHaveLength(all.length);
    for (const row of await dueTimes(all)) {
      expect(new Date(row.refresh_due_at!)).toEqual(nextMidnight);
      expect(new Date(row.next_check_at!).getTime()).toBeGreaterThan(nextMidnight.getTime());
    }
  });
});

describe('accounts from before the two due-times', () => {
  it('are evaluated once at their old due-time, which then sets both', async () => {
    const database = currentStore().database;
    const createdAt = new Date('2025-06-01T00:00:00Z');
    const ids = ['upgraded-1', 'upgraded-2'];
    await database
      .insertInto('accounts')
      .values(
        ids.map((id) => ({
          id,
          name: id,
          plan: null,
          lifecycle_stage: 'active',
          revenue_minor: 50_000,
          profit_minor: 5_000,
          currency: 'EUR',
          owner_email: null,
          traits: JSON.stringify({}),
          created_at: createdAt,
          updated_at: createdAt,
        })),
      )
      .execute();
    const clock = new ManualClock(new Date('2026-05-01T12:00:00Z'));
    const { scheduler } = evaluationSystems(database, clock);
    // Ranked (a tier each) and evaluated once; other accounts of this file are due too, only these two are counted.
    await scheduler.runUntilIdle();
    // Then as the previous version leaves them: due at the next midnight, no refresh time.
    const oldMidnight = new Date('2026-05-02T00:00:00Z');
    await database
      .updateTable('accounts')
      .set({ next_check_at: oldMidnight, refresh_due_at: null })
      .where('id', 'in', ids)
      .execute();
    await scheduler.advanceTo(new Date('2026-05-02T06:00:00Z'), (at) => clock.moveTo(at));
    const scored = await database
      .selectFrom('health_scores')
      .select(['account_id', 'day', 'computed_at'])
      .where('account_id', 'in', ids)
      .where('day', '=', '2026-05-02')
      .execute();
    // One evaluation each, at the old due-time, and the refresh planned for the next midnight.
    expect(scored.map((row) => [row.account_id, row.day, new Date(row.computed_at).toISOString()]).sort()).toEqual([
      ['upgraded-1', '2026-05-02', oldMidnight.toISOString()],
      ['upgraded-2', '2026-05-02', oldMidnight.toISOString()],
    ]);
    for (const row of await dueTimes(ids))
      expect(new Date(row.refresh_due_at!)).toEqual(new Date('2026-05-03T00:00:00Z'));
  });
});
