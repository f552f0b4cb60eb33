// The event lane shared by several engines (several Tend processes on one PostgreSQL): every account
// an event queued is evaluated exactly once, by whichever engine claims it, the two engines split the
// queue between them, and nothing is left queued. Runs on PGlite and on PostgreSQL, where the two
// engines' transactions really overlap.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clocks.js';
import type { SweepOutcome } from '../../src/engine/due-evaluation.js';
import { markAccountsDue } from '../../src/store/account-event-queue.js';
import { evaluationSystems } from '../support/evaluation-systems.js';
import { insertPlainAccounts } from '../support/plain-accounts.js';
import { storePerFile } from '../support/fresh-store.js';
import { usingPostgres } from '../support/test-tend.js';

const accounts = 300;
const currentStore = storePerFile();

describe('the event lane with two engines', () => {
  it('evaluates each queued account once, shares the work, and leaves nothing queued', async () => {
    const now = new Date('2026-04-01T09:00:00Z');
    const ids = Array.from({ length: accounts }, (_, index) => `lane-${String(index).padStart(4, '0')}`);
    await insertPlainAccounts(currentStore().database, ids, now);
    // Busy accounts are queued by several events each.
    await markAccountsDue(currentStore().database, ids, now);
    await markAccountsDue(currentStore().database, ids.slice(0, 50), now);
    const engines = [0, 1].map(() =>
      evaluationSystems(currentStore().database, new ManualClock(now), { batchSize: 40 }),
    );
    // Both rank first, so that the race below is only about the lane.
    await Promise.all(engines.map((engine) => engine.ranking.rankValue()));
    const evaluatedBy = await Promise.all(
      engines.map(async (engine) => {
        let total = 0;
        for (let round = 0; round < 100; round++) {
          const outcome: SweepOutcome = await engine.evaluation.evaluateDueBatch();
          if (outcome.evaluated === 0) break;
          total += outcome.evaluated;
        }
        return total;
      }),
    );
    expect(evaluatedBy[0]! + evaluatedBy[1]!).toBe(accounts);
    expect(evaluatedBy[0]).toBeGreaterThan(0);
    expect(evaluatedBy[1]).toBeGreaterThan(0);
    const left = await currentStore()
      .database.selectFrom('account_event_queue')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    expect(Number(left.count)).toBe(0);
    const scored = await currentStore()
      .database.selectFrom('health_scores')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('account_id', 'in', ids)
      .executeTakeFirstOrThrow();
    expect(Number(scored.count)).toBe(accounts);
  });
});

describe.skipIf(!usingPostgres())('an event that commits while its account is being evaluated', () => {
  it('keeps its place in the queue, so the account is looked at again', async () => {
    const now = new Date('2026-04-02T09:00:00Z');
    await currentStore()
      .database.insertInto('accounts')
      .values({
        id: 'racing',
        name: 'Racing',
        plan: null,
        lifecycle_stage: 'active',
        revenue_minor: 1000,
        profit_minor: 100,
        currency: 'EUR',
        owner_email: null,
        traits: JSON.stringify({}),
        created_at: now,
        updated_at: now,
      })
      .execute();
    await markAccountsDue(currentStore().database, ['racing'], now);
    const { ranking, evaluation } = evaluationSystems(currentStore().database, new ManualClock(now));
    await ranking.rankValue();
    // A second ingest transaction queues the account again but has not committed when the
    // evaluation runs; it commits after the evaluation has deleted the rows it could see.
    const late = await currentStore()
      .database.connection()
      .execute(async (connection) => {
        await sql`begin`.execute(connection);
        await markAccountsDue(connection, ['racing'], now);
        const outcome = await evaluation.evaluateDueBatch();
        await sql`commit`.execute(connection);
        return outcome;
      });
    expect(late.evaluated).toBeGreaterThanOrEqual(1);
    const queued = await currentStore()
      .database.selectFrom('account_event_queue')
      .select('account_id')
      .where('account_id', '=', 'racing')
      .execute();
    expect(queued).toHaveLength(1);
    const again = await evaluation.evaluateDueBatch();
    expect(again.evaluated).toBe(1);
    expect(
      await currentStore()
        .database.selectFrom('account_event_queue')
        .select('account_id')
        .where('account_id', '=', 'racing')
        .execute(),
    ).toHaveLength(0);
  });
});

describe('an extra event-lane round beside the main one', () => {
  it('shares the queue without evaluating any account twice at once', async () => {
    const now = new Date('2026-04-03T09:00:00Z');
    const longAgo = new Date('2025-01-01T00:00:00Z');
    const ids = Array.from({ length: 200 }, (_, index) => `extra-${String(index).padStart(3, '0')}`);
    const database = currentStore().database;
    await insertPlainAccounts(database, ids, longAgo);
    const engineWith = () =>
      evaluationSystems(database, new ManualClock(now), {
        batchSize: 20,
        extraEventLanes: 1,
        pollMilliseconds: 60_000,
      });
    const queued = async () =>
      database.selectFrom('account_event_queue').select('account_id').where('account_id', 'in', ids).execute();
    const first = engineWith();
    await first.ranking.rankValue();
    await markAccountsDue(database, ids, now);
    // Stopped at once: the main round (due on the next turn of the event loop) does nothing, and the
    // extra round, already under way, finishes the one batch it began.
    first.scheduler.start();
    await first.scheduler.stop();
    expect(await queued()).toHaveLength(ids.length - 20);
    // Both rounds together: the main round's runUntilIdle returns once the lanes are empty, and
    // stop() waits for the extra round.
    const second = engineWith();
    await second.ranking.rankValue();
    second.scheduler.start();
    await second.scheduler.runUntilIdle();
    await second.scheduler.stop();
    expect(await queued()).toEqual([]);
    // Each account raised never-spoken exactly once: two evaluations of one account at the same
    // time would each have found it not open yet.
    const raised = await database
      .selectFrom('signals')
      .select('account_id')
      .where('account_id', 'in', ids)
      .where('kind', '=', 'never-spoken')
      .execute();
    expect(raised).toHaveLength(ids.length);
    expect(new Set(raised.map((row) => row.account_id)).size).toBe(ids.length);
  });
});
