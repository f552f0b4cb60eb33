// How events come in, top to bottom: every entry point (the Tracking API, a reply by SMS or e-mail)
// goes through here, and this file owns the transaction. The steps, and what each guarantees, are
// listed once below; the files named there do one step each and nothing else.
import type { Kysely } from 'kysely';
import { type IngestPolicy, type IngestPlan, planDerivedRecords } from '../domain/relationship/ingest-plan.js';
import type { EventTimes } from '../domain/time-limits.js';
import { assertNever, type TrackingMessage, type TrackingMessageType } from '../domain/tracking-message.js';
import { retryingOn } from '../store/contention-retry.js';
import { type DerivedWrites, writeDerivedRecords } from '../store/derived-record-writes.js';
import type { EventPartitions } from '../store/event-partitions.js';
import { newId } from '../store/ids.js';
import { tendSourceId } from '../store/own-events.js';
import type { Database } from '../store/schema.js';
import type { WriteKeySource } from '../store/secrets.js';
import {
  type EventsWritten,
  eventTimesOf,
  type TrackingBatch,
  type TrackingRequestToStore,
  trackingBatch,
  writeTrackingEvents,
} from '../store/tracking-writer.js';
import { EvaluationAtIngestFailed, type IngestEvaluator } from './evaluation-at-ingest.js';
import { GroupCommitter } from './group-commit.js';
import { parseTrackingRequest, refuseForBrowsers } from './tracking-request.js';

/*
 * The steps of one ingest:
 *   1. parse the request and authenticate its sender (Ingest.track; tracking-request.ts);
 *   2. group it with the requests that arrive while a group is written (group-commit.ts);
 *   then, in one transaction per group (ingestBatch, inOneTransaction):
 *   3. write the events: receipts, people, accounts, events (store/tracking-writer.ts);
 *   4. plan what they imply, a plain value (domain/relationship/ingest-plan.ts);
 *   5. write the plan, and hold the accounts it made due (store/derived-record-writes.ts);
 *   6. evaluate the held accounts (the engine's IngestEvaluator, evaluation-at-ingest.ts);
 *   7. commit;
 *   8. wake the engine's lanes for the work the transaction left (EngineWork).
 *
 * What they guarantee, and what keeps each:
 * - Answered only once committed: a request's promise settles after its group's commit.
 * - Once only: each message's receipt (source, messageId) is written first, and a message whose receipt
 *   exists is stored no more, so a retried request stores nothing twice.
 * - All or nothing per group; a group that fails for another reason than contention is written again
 *   one request at a time, so one bad request never fails another (GroupCommitter).
 * - A transaction that loses to a concurrent writer runs again whole (retryingOn).
 * - Lock order: rows that may already exist are written in key order (KeyOrdered in the plan; the
 *   writer sorts contacts, accounts and memberships by id), and the due accounts are held last, after
 *   every write that can wait for another transaction, skipping the locked ones (never waiting).
 * - One round trip for the events' last part and everything derived from them: an IngestStatement has
 *   at most one part per table, so its parts touch disjoint rows (store/ingest-statement.ts).
 * - The statements every ingest runs are prepared once per connection: their text does not vary with
 *   the number of rows (store/prepared-statements.ts).
 * - Evaluation happens inside the ingest's transaction while the accounts are held, so a signal commits
 *   with its event. If it fails, the transaction rolls back and the events are written again without
 *   it, their accounts queued for the lanes (EvaluationAtIngestFailed).
 */

export interface IngestDependencies {
  readonly database: Kysely<Database>;
  readonly partitions: EventPartitions;
  readonly policy: IngestPolicy;
  /** Evaluates the accounts an ingest made due in its own transaction; null leaves them all to the lanes. */
  readonly evaluator: IngestEvaluator | null;
}

/** The engine's lanes, woken after a commit. */
export interface Lanes {
  /** A round of the evaluation lanes (which wakes the journeys after it). */
  wake(): void;
  /** Only the journeys' lane. */
  wakeJourneys(): void;
}

/**
 * What an ingest left the engine to do after its commit: nothing (the transaction settled it), only
 * playbook work (runs started or woken, trigger events queued), or accounts to evaluate (queued for
 * the lanes, which wake the journeys after them). Only what is left is woken: a round of the
 * evaluation lanes that finds nothing still costs several statements, on the embedded database on
 * the connection ingest shares.
 */
export type EngineWork = 'none' | 'journeys' | 'evaluation';

export interface IngestOutcome {
  readonly stored: number;
  readonly duplicates: number;
  readonly engineWork: EngineWork;
}

/** One call of the Tracking API, as it arrived. */
export interface TrackingCall {
  readonly body: unknown;
  readonly endpoint: TrackingMessageType | 'batch';
  /** `now` is when the call arrived; the window, which event times are accepted around it. */
  readonly times: EventTimes;
  /** The source of the call's write key (the header's, or else the body's); throws when there is none. */
  readonly sourceOf: (bodyKey: string | null) => Promise<WriteKeySource>;
}

export class Ingest {
  private readonly committer: GroupCommitter<IngestOutcome>;

  /** `writers`: groups written at once (1 unless the store has a connection pool). */
  constructor(
    private readonly dependencies: IngestDependencies,
    private readonly lanes: Lanes,
    writers = 1,
  ) {
    this.committer = new GroupCommitter((requests) => ingestBatch(dependencies, requests), 5000, writers);
  }

  /** Ingests a Tracking API call; resolves once its events are committed, and throws what was wrong. */
  async track(call: TrackingCall): Promise<void> {
    const parsed = parseTrackingRequest(call.body, call.endpoint, newId, call.times);
    const source = await call.sourceOf(parsed.writeKey);
    if (source.kind === 'browser') refuseForBrowsers(parsed.messages, call.endpoint === 'batch');
    const request = { sourceId: source.id, messages: parsed.messages, receivedAt: call.times.now };
    const outcome = await this.committer.submit(request);
    wakeLanes(this.lanes, outcome.engineWork);
  }

  /**
   * Ingests messages Tend received itself (a reply by SMS or e-mail) under its own source, in a
   * transaction of their own. The caller wakes the lanes: a reply wakes a whole round.
   */
  record(messages: readonly TrackingMessage[], receivedAt: Date): Promise<IngestOutcome> {
    return ingestMessages(this.dependencies, tendSourceId, messages, receivedAt);
  }
}

/** Ingests one source's messages in a transaction of their own. */
export async function ingestMessages(
  dependencies: IngestDependencies,
  sourceId: string,
  messages: readonly TrackingMessage[],
  receivedAt: Date,
): Promise<IngestOutcome> {
  const [outcome] = await ingestBatch(dependencies, [{ sourceId, messages, receivedAt }]);
  return outcome as IngestOutcome;
}

/**
 * Ingests requests in one transaction, in order, as if one after the other, and returns each one's
 * outcome. All or nothing: run again on contention; any other failure goes to the caller.
 */
export function ingestBatch(
  dependencies: IngestDependencies,
  requests: readonly TrackingRequestToStore[],
): Promise<IngestOutcome[]> {
  const { database, partitions, evaluator } = dependencies;
  const batch = trackingBatch(requests);
  // Lost to a concurrent writer (another group, an engine round, a partition created at the same
  // moment): everything runs again, and the receipts keep a message from being stored twice.
  return retryingOn(database, async () => {
    await partitions.ensure(eventTimesOf(batch));
    try {
      return await inOneTransaction(dependencies, batch, evaluator);
    } catch (error) {
      // The evaluation failed (and told its error handler): the events are stored without it, and their
      // accounts queued for the engine's lanes, in a transaction of their own.
      if (!(error instanceof EvaluationAtIngestFailed)) throw error;
      return inOneTransaction(dependencies, batch, null);
    }
  });
}

/** Steps 3 to 7: write the events, plan, write the plan, evaluate the held accounts, commit. */
function inOneTransaction(
  dependencies: IngestDependencies,
  batch: TrackingBatch,
  evaluator: IngestEvaluator | null,
): Promise<IngestOutcome[]> {
  const receivedAt = batch.latestReceived;
  return dependencies.database.transaction().execute(async (trx) => {
    const events = await writeTrackingEvents(trx, batch);
    if (events.stored.length === 0) return outcomesOf(batch, events, 'none');
    const plan = planDerivedRecords(events.stored, dependencies.policy, receivedAt, newId);
    // First occurrences make their accounts due too; the statement finds which are new.
    const hold = evaluator?.holdFor(plan.dueAccountIds.length, receivedAt) ?? null;
    const written = await writeDerivedRecords(trx, events.unwritten, plan, hold, receivedAt);
    let startedRuns = false;
    if (evaluator !== null && hold !== null && written.held.length > 0)
      startedRuns = (await evaluator.evaluateHeld(trx, written.held, hold.at)).startedRuns;
    return outcomesOf(batch, events, workLeft(plan, written, startedRuns));
  });
}

function workLeft(plan: IngestPlan, written: DerivedWrites, startedRuns: boolean): EngineWork {
  if (written.queued) return 'evaluation';
  return startedRuns || plan.records.triggers.length > 0 || written.woken ? 'journeys' : 'none';
}

function outcomesOf(batch: TrackingBatch, events: EventsWritten, engineWork: EngineWork): IngestOutcome[] {
  return batch.requests.map((request, index) => {
    const stored = events.storedPerRequest[index] ?? 0;
    return { stored, duplicates: request.messages.length - stored, engineWork };
  });
}

/** Step 8: wakes the lanes for what the transaction left, and only for that. */
function wakeLanes(lanes: Lanes, work: EngineWork): void {
  switch (work) {
    case 'none':
      return;
    case 'journeys':
      lanes.wakeJourneys();
      return;
    case 'evaluation':
      lanes.wake();
      return;
    default:
      assertNever(work);
  }
}
