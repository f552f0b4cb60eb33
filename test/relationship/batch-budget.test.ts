// The engine's batch budget: on the embedded database one connection serves ingest and the engine, so
// Tend sizes evaluation batches to a time budget instead of taking 500 accounts at a time. Batches
// start small and settle on what fits; every due account is still evaluated once. PGlite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clocks.js';
import { markAccountsDue } from '../../src/store/account-event-queue.js';
import { evaluationSystems } from '../support/evaluation-systems.js';
import { insertPlainAccounts } from '../support/plain-accounts.js';
import { storePerFile } from '../support/fresh-store.js';

const currentStore = storePerFile();
const now = new Date('2026-04-01T09:00:00Z');
const ids = Array.from({ length: 30 }, (_, index) => `budgeted-${String(index).padStart(2, '0')}`);

describe('evaluation batches sized to a time budget', () => {
  it('start small, shrink to what fits the budget, and still evaluate every due account once', async () => {
    const database = currentStore().database;
    await insertPlainAccounts(database, ids, now);
    await markAccountsDue(database, ids, now);
    // A budget no batch can keep: after the first batch, one account at a time.
    const { evaluation } = evaluationSystems(database, new ManualClock(now), {
      batchSize: 500,
      batchMilliseconds: 0.001,
    });
    const sizes: number[] = [];
    for (let round = 0; round < 100; round++) {
      const outcome = await evaluation.evaluateDueBatch();
      if (outcome.lane === null) break;
      sizes.push(outcome.evaluated);
    }
    expect(sizes[0]).toBe(10);
    expect(sizes.slice(1).every((size) => size === 1)).toBe(true);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(ids.length);
    const scored = await database
      .selectFrom('health_scores')
      .select('account_id')
      .where('account_id', 'in', ids)
      .execute();
    expect(new Set(scored.map((row) => row.account_id)).size).toBe(ids.length);
    expect(scored).toHaveLength(ids.length);
  });

  it('take the whole batch size when there is no budget', async () => {
    const database = currentStore().database;
    const later = new Date('2026-04-01T10:00:00Z');
    await markAccountsDue(database, ids, later);
    const { evaluation } = evaluationSystems(database, new ManualClock(later), { batchSize: 500 });
    const first = await evaluation.evaluateDueBatch();
    expect(first.evaluated).toBe(ids.length);
  });
});
