// Keeps every account's signals and health current. Work is durable in the store, in three lanes
// served in this order: accounts an ingested event queued (account_event_queue, written in the
// event's transaction); accounts whose next deadline has come (accounts.next_check_at: time alone
// raises or clears a signal then); and the daily refresh of every account (accounts.refresh_due_at:
// days overdue, activity windows, the health history). Workers claim with FOR UPDATE SKIP LOCKED,
// so any number of processes can share the work and a crash loses nothing. An ingest transaction
// evaluates the accounts its events concern itself (atIngest); the event lane takes the rest.
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { type HealthModel, handModel } from '../domain/relationship/health-model.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import { startOfNextUtcDay } from '../domain/relationship/time-spans.js';
import type { EventPartitions } from '../store/event-partitions.js';
import type { Database } from '../store/schema.js';
import { lockQueuedAccounts, takeQueuedEvents } from '../store/account-event-queue.js';
import { EvaluationAtIngestFailed, type IngestEvaluator } from '../ingest/evaluation-at-ingest.js';
import { claimDueAccounts, type ClaimedAccount, nextDeadline, type TimeLane } from '../store/account-due-times.js';
import { evaluateHeldAccounts } from './account-evaluation.js';
import { BatchSizer } from './batch-sizer.js';
import type { DueWork } from './due-work.js';
import type { JourneyEngine } from './journey-engine.js';
import type { TierRanking } from './tier-ranking.js';
import type { LaneState } from './work-lane.js';

export interface DueEvaluationOptions {
  readonly database: Kysely<Database>;
  readonly clock: Clock;
  readonly config: TendConfig;
  readonly partitions: EventPartitions;
  /** Ranks first when this process has not, and at the turn of each day (see evaluateDueBatch). */
  readonly ranking: TierRanking;
  /** Accounts evaluated per transaction. */
  readonly batchSize?: number;
  /**
   * Accounts an event made due, evaluated before the sweep, per batch (default: the batch size). At
   * light load the lane holds a few accounts and a batch is small anyway; under a backlog, small batches
   * only add per-batch costs: with 50, the lane fell behind under the benchmark's ingest load
   * (docs/benchmarks/2026-11-30-signals.md, "event lane 50 per batch").
   */
  readonly eventBatchSize?: number;
  /**
   * Aim for evaluation batches of about this many real milliseconds, claim to commit (default: none,
   * every batch takes its full size). For the embedded database, whose one connection ingest and API
   * reads wait for while a batch holds it.
   */
  readonly batchMilliseconds?: number;
  /** Most accounts one ingest transaction evaluates itself (atIngest; default 200); more go to the lanes. */
  readonly ingestEvaluationLimit?: number;
  /** Told about an evaluation at ingest that failed (the account is left to the lanes). */
  readonly onError?: (error: unknown) => void;
  /**
   * Playbooks: subjects enter in the transaction that raised their signal; due runs move on on the
   * journeys' own lane, woken after each round (within the round on a manual clock).
   */
  readonly journeys?: JourneyEngine;
  /** The health score's weights in effect, read from memory for each batch (default: the configured ones). */
  readonly healthModel?: () => HealthModel;
}

export interface SweepOutcome {
  readonly evaluated: number;
  readonly raised: number;
  readonly cleared: number;
}

/** Where a batch's accounts came from. */
export type DueLane = 'event' | TimeLane;

export interface BatchOutcome extends SweepOutcome {
  /** null: nothing was due. */
  readonly lane: DueLane | null;
  /** The day's ranking ran first, once the day's first events and deadlines were done. */
  readonly rankedFirst: boolean;
}

export class DueEvaluation implements DueWork<SweepOutcome> {
  private readonly batches: BatchSizer;

  constructor(private readonly options: DueEvaluationOptions) {
    this.batches = new BatchSizer(options.batchMilliseconds ?? null);
  }

  private healthModel(): HealthModel {
    return this.options.healthModel?.() ?? handModel;
  }

  /** Evaluates due accounts until none is left at the clock's current time. */
  async runDue(lane: LaneState): Promise<SweepOutcome> {
    let evaluated = 0;
    let raised = 0;
    let cleared = 0;
    for (let round = 0; round < 100_000 && !lane.stopping; round++) {
      const outcome = await this.evaluateDueBatch();
      evaluated += outcome.evaluated;
      raised += outcome.raised;
      cleared += outcome.cleared;
      if (outcome.evaluated === 0) break;
    }
    return { evaluated, raised, cleared };
  }

  /**
   * The accounts' next deadline, and the next day boundary: the daily refresh (and the day's ranking)
   * fall due there.
   */
  async nextDue(now: Date, until: Date): Promise<Date | null> {
    const deadline = await nextDeadline(this.options.database, now, until);
    const dayBoundary = startOfNextUtcDay(now);
    const candidates = [deadline, dayBoundary <= until ? dayBoundary : null].filter((at): at is Date => at !== null);
    return candidates.length === 0 ? null : new Date(Math.min(...candidates.map((at) => at.getTime())));
  }

  /** Evaluates one batch of due accounts in one transaction; returns what it did. */
  async evaluateDueBatch(): Promise<BatchOutcome> {
    const { clock, partitions, ranking } = this.options;
    const now = clock.now();
    // A fresh engine ranks before anything else: it has no entry bars for newcomers yet. At the turn
    // of a day, a running engine first evaluates what events queued and the deadlines that came at
    // midnight, on yesterday's tiers; then ranks (long on a large book); then refreshes. An account
    // whose tier the ranking changes is due again at once.
    if (!ranking.hasRanked) await ranking.rankValue();
    else if (ranking.rankedOn(now)) await ranking.placeArrivals();
    await partitions.ensure([now]);
    const ranked = ranking.rankedOn(now);
    const outcome = await this.evaluateClaimed(now, ranked ? ['event', 'deadline', 'refresh'] : ['event', 'deadline']);
    if (outcome.lane !== null || ranked) return { ...outcome, rankedFirst: false };
    await ranking.rankValue();
    return { ...(await this.evaluateDueBatch()), rankedFirst: true };
  }

  /**
   * A round beside the main one: only accounts events queued, only once the day is ranked (the main
   * round ranks). Claims skip locked rows, so the rounds share the lane as engines do.
   */
  async runQueued(lane: LaneState): Promise<void> {
    for (let round = 0; round < 1000 && !lane.stopping; round++) {
      const now = this.options.clock.now();
      if (!this.options.ranking.rankedOn(now)) return;
      await this.options.partitions.ensure([now]);
      const outcome = await this.evaluateClaimed(now, ['event']);
      if (outcome.lane === null) return;
    }
  }

  /** Claims the first lane with work among `lanes` and evaluates its accounts, in one transaction. */
  private evaluateClaimed(now: Date, lanes: readonly DueLane[]): Promise<Omit<BatchOutcome, 'rankedFirst'>> {
    const { database, config } = this.options;
    const began = performance.now();
    return database
      .transaction()
      .execute(async (trx) => {
        const { lane, due } = await this.claimDue(trx, now, lanes);
        if (lane === null) return { lane, evaluated: 0, raised: 0, cleared: 0 };
        // When a time lane claimed them, this evaluation also answers for every event queued so far.
        if (lane !== 'event')
          await takeQueuedEvents(
            trx,
            due.map((row) => row.id),
            now,
          );
        const { evaluated, raised, cleared } = await evaluateHeldAccounts(
          trx,
          due,
          now,
          config,
          this.options.journeys,
          { judgePeople: lane === 'refresh', healthModel: this.healthModel() },
        );
        return { lane, evaluated, raised, cleared };
      })
      .then((outcome) => {
        this.batches.record(outcome.evaluated, performance.now() - began);
        return outcome;
      });
  }

  /** The first of `lanes` with work, in their order: accounts events queued, deadlines come, the daily refresh. */
  private async claimDue(
    trx: Transaction<Database>,
    now: Date,
    lanes: readonly DueLane[],
  ): Promise<{ lane: DueLane | null; due: ClaimedAccount[] }> {
    for (const lane of lanes) {
      const due =
        lane === 'event'
          ? await this.claimEventLane(trx, now)
          : await claimDueAccounts(trx, lane, now, this.batches.next(this.options.batchSize ?? 500));
      if (due.length > 0) return { lane, due };
    }
    return { lane: null, due: [] };
  }

  /**
   * Accounts queued by events that this engine now holds and whose queue rows it took. The queue was
   * read before the locks were taken: another engine may have evaluated an account and committed in
   * between, and then its rows are gone and it is not due any more.
   */
  private async claimEventLane(trx: Transaction<Database>, now: Date): Promise<ClaimedAccount[]> {
    const locked = await lockQueuedAccounts(
      trx,
      now,
      this.batches.next(this.options.eventBatchSize ?? this.options.batchSize ?? 500),
    );
    const taken = await takeQueuedEvents(
      trx,
      locked.map((row) => row.id),
      now,
    );
    return locked.filter((row) => taken.has(row.id));
  }

  /**
   * Evaluates accounts an ingest transaction made due, inside that transaction: the signal commits
   * with its event, with no wait for a lane's round and no commit of its own. The ingest holds the
   * accounts (holdFor says when and how many) and leaves to the lanes those another evaluation holds,
   * the ones past the limit, and all of them when there are many (an import or a backfill keeps its
   * speed) or before this engine has ranked (newcomers need the entry bars). When the evaluation
   * fails it reports the error and throws EvaluationAtIngestFailed, and the ingest stores the events
   * again without it, so a failed evaluation never fails the ingest.
   */
  readonly atIngest: IngestEvaluator = {
    holdFor: (accountCount, receivedAt) => {
      const most = this.options.ingestEvaluationLimit ?? 200;
      if (!this.options.ranking.hasRanked || accountCount > most) return null;
      return { at: new Date(Math.max(this.options.clock.now().getTime(), receivedAt.getTime())), most };
    },
    evaluateHeld: async (trx, held, at) => {
      try {
        const outcome = await evaluateHeldAccounts(trx, held, at, this.options.config, this.options.journeys, {
          judgePeople: false,
          healthModel: this.healthModel(),
        });
        return { startedRuns: outcome.entered > 0 };
      } catch (error) {
        this.options.onError?.(error);
        throw new EvaluationAtIngestFailed(error);
      }
    },
  };
}
