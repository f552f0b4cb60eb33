// The engine's part in an ingest: evaluating, inside the ingest's transaction and while it holds them,
// the accounts its events made due, so that a signal is committed with the event that raised it.
// Owned here, by the side that calls it; the relationship engine provides it (atIngest).
import type { Transaction } from 'kysely';
import type { ClaimedAccount } from '../store/account-due-times.js';
import type { IngestHold } from '../store/derived-record-writes.js';
import type { Database } from '../store/schema.js';

export interface IngestEvaluator {
  /**
   * When to evaluate the accounts events received at `receivedAt` made due, `accountCount` of them
   * known before the write (first occurrences add more), and how many at most; null leaves them all
   * to the lanes.
   */
  holdFor(accountCount: number, receivedAt: Date): IngestHold | null;
  /**
   * Evaluates the accounts `trx` holds and says whether it started playbook runs. Throws
   * EvaluationAtIngestFailed if it fails: the events are then written again without it.
   */
  evaluateHeld(
    trx: Transaction<Database>,
    held: readonly ClaimedAccount[],
    at: Date,
  ): Promise<{ readonly startedRuns: boolean }>;
}

/**
 * An evaluation at ingest failed and aborted its transaction. The ingest then stores the same events
 * again, without the evaluation; a rare second pass costs less than a savepoint around every
 * evaluation (two round trips each: docs/benchmarks/2026-12-01-signals.md, "No savepoint").
 */
export class EvaluationAtIngestFailed extends Error {
  constructor(cause: unknown) {
    super(`evaluating accounts at ingest failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'EvaluationAtIngestFailed';
  }
}
