// Keeps every account's signals and health current. Work is durable in the store, in three lanes
// served in this order: accounts an ingested event queued (account_event_queue, written in the
// event's transaction); accounts whose next deadline has come (accounts.next_check_at: time alone
// raises or clears a signal then); and the daily refresh of every account (accounts.refresh_due_at:
// days overdue, activity windows, the health history). Workers claim with FOR UPDATE SKIP LOCKED,
// so any number of processes can share the work and a crash loses nothing. An ingest transaction
// evaluates the accounts its events concern itself (atIngest); the event lane takes the rest.
// Rounds are background work: requests get the next free connection first (ConnectionTurns).
import { nextMessageDue } from '../store/outbox-store.js';
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../domain/clock.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import { assignTiers, type TierCutoff, tierCutoffs, tierForNewcomer } from '../domain/relationship/value-tiers.js';
import { startOfNextUtcDay } from '../domain/relationship/time-spans.js';
import { vacuumChurnedTables } from '../store/store-maintenance.js';
import type { EventPartitions } from '../store/event-partitions.js';
import type { Database } from '../store/schema.js';
import {
  EvaluationAtIngestFailed,
  type IngestEvaluator,
  lockQueuedAccounts,
  takeQueuedEvents,
} from '../store/relationship-derivations.js';
import { claimDueAccounts, type ClaimedAccount, nextDeadline, type TimeLane } from '../store/account-due-times.js';
import { evaluateHeldAccounts } from './account-evaluation.js';
import { accountContributions, storeTiers } from '../store/value-ranking.js';
import { BatchSizer } from './batch-sizer.js';
import { escalateOverdueTasks, nextTaskDue } from '../store/task-store.js';
import { refreshProbabilityAlive } from './purchase-model.js';
import type { JourneyEngine } from './journey-engine.js';
import { nextRunDue } from '../store/journey-store.js';
import { inBackground } from '../store/connection-turns.js';

/** Books up to this many accounts are ranked whole when newcomers arrive, rather than placed against entry bars. */
const smallBook = 1_000;

const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

export interface RelationshipEngineOptions {
  readonly database: Kysely<Database>;
  readonly clock: Clock;
  readonly config: TendConfig;
  readonly partitions: EventPartitions;
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
   * Extra rounds that take only accounts events queued, beside the main serial round (default 0).
   * On PostgreSQL under ingest load the machine had CPU to spare while an event's account waited for
   * the round in progress before its own; a second lane takes it at once
   * (docs/benchmarks/2026-11-30-signals.md, "extra event-lane round"). Needs a connection pool (not the
   * embedded database's single connection).
   */
  readonly extraEventLanes?: number;
  /**
   * Aim for evaluation batches of about this many real milliseconds, claim to commit (default: none,
   * every batch takes its full size). For the embedded database, whose one connection ingest and API
   * reads wait for while a batch holds it.
   */
  readonly batchMilliseconds?: number;
  /** Most accounts one ingest transaction evaluates itself (atIngest; default 200); more go to the lanes. */
  readonly ingestEvaluationLimit?: number;
  /** How often (real milliseconds) to look for due work other processes or time created. */
  readonly pollMilliseconds?: number;
  readonly onError?: (error: unknown) => void;
  /** Worth an operator's look, though nothing failed: a daily purchase-model fit not used, and why. */
  readonly onWarning?: (message: string, details: Record<string, unknown>) => void;
  /** Least real time between rankings triggered by new accounts (0: none; a manual clock uses 0). */
  readonly rankingCooldownMilliseconds?: number;
  /** Vacuum the churned tables after each daily ranking (the embedded database has no autovacuum). */
  readonly vacuumDaily?: boolean;
  /**
   * Playbooks: subjects enter in the transaction that raised their signal; due runs move on on the
   * journeys' own lane, woken after each round (within the round on a manual clock).
   */
  readonly journeys?: JourneyEngine;
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

export class RelationshipEngine {
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private wakeQueued = false;
  /** Extra event-lane rounds in progress (see extraEventLanes). */
  private readonly extraRounds = new Set<Promise<void>>();
  private stopped = true;
  /** Set by stop(): rounds in progress end after their current batch. */
  private stopRequested = false;
  private rankedDay: string | null = null;
  /** Real time of the last ranking: new accounts trigger a ranking at most every few seconds (O(accounts)). */
  private rankedAtMilliseconds = 0;
  /** The entry bars of the last full ranking, for accounts that arrive before the next one. */
  private cutoffs: TierCutoff[] | null = null;
  /** How many accounts the last ranking ranked: below `smallBook`, newcomers are ranked with everyone. */
  private rankedAccounts = 0;

  private readonly batches: BatchSizer;

  constructor(private readonly options: RelationshipEngineOptions) {
    this.batches = new BatchSizer(options.batchMilliseconds ?? null);
  }

  get config(): TendConfig {
    return this.options.config;
  }

  /** Runs `work` after everything queued before it, one at a time in this process. */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Ranks every account by contribution and stores its tier; accounts whose tier changed become due.
   * The daily run also refits the purchase model (P(alive)).
   */
  async rankValue(daily = true): Promise<number> {
    const { database, config, clock } = this.options;
    const now = clock.now();
    const rows = await accountContributions(database, config, null, now);
    const tiers = assignTiers(rows, config.value.tiers);
    this.cutoffs = tierCutoffs(rows, tiers, config.value.tiers);
    this.rankedAccounts = rows.length;
    const changed = rows
      .filter((row) => tiers.get(row.accountId) !== row.tier)
      .map((row) => ({ id: row.accountId, tier: tiers.get(row.accountId) ?? null }));
    await storeTiers(database, changed, now);
    if (daily) {
      // Retention: whole months of raw events past it go first, so the day's fit reads what is kept.
      const keepDays = config.retention.eventsDays;
      if (keepDays !== null)
        await this.options.partitions.dropMonthsBefore(new Date(now.getTime() - keepDays * 86_400_000));
      await refreshProbabilityAlive(database, now, { onWarning: this.options.onWarning });
      this.rankedDay = dayOf(now);
      if (this.options.vacuumDaily) await vacuumChurnedTables(database);
    }
    this.rankedAtMilliseconds = Date.now();
    return changed.length;
  }

  /**
   * Gives accounts that arrived since the last ranking a tier against its entry bars, without ranking
   * every account again (long on a large book, and no signal was evaluated meanwhile:
   * docs/benchmarks/2026-11-30-signals.md, "ranking all 1 M accounts again"); the daily ranking places
   * them exactly.
   */
  async placeNewAccounts(): Promise<number> {
    const { database, config, clock } = this.options;
    // A small book is ranked again whole (quick at that size): entry bars from a handful of accounts
    // (none at all on a fresh install) would put every newcomer in the last tier until midnight.
    if (this.cutoffs === null || this.rankedAccounts < smallBook) return this.rankValue(false);
    const now = clock.now();
    let placed = 0;
    for (let round = 0; round < 1000; round++) {
      const unranked = await database
        .selectFrom('accounts')
        .select('id')
        .where('tier', 'is', null)
        .limit(5000)
        .execute();
      if (unranked.length === 0) break;
      const rows = await accountContributions(
        database,
        config,
        unranked.map((row) => row.id),
        now,
      );
      const cutoffs = this.cutoffs;
      await storeTiers(
        database,
        rows.map((row) => ({
          id: row.accountId,
          tier: tierForNewcomer(row.contributionMinor, cutoffs, config.value.tiers),
        })),
        now,
      );
      placed += rows.length;
      if (unranked.length < 5000) break;
    }
    this.rankedAtMilliseconds = Date.now();
    return placed;
  }

  /** Evaluates one batch of due accounts in one transaction; returns what it did. */
  async evaluateDueBatch(): Promise<BatchOutcome> {
    const { database, clock, partitions } = this.options;
    const now = clock.now();
    const today = dayOf(now);
    // A fresh engine ranks before anything else: it has no entry bars for newcomers yet. At the turn
    // of a day, a running engine first evaluates what events queued and the deadlines that came at
    // midnight, on yesterday's tiers; then ranks (long on a large book); then refreshes. An account
    // whose tier the ranking changes is due again at once.
    if (this.rankedDay === null) await this.rankValue();
    else if (this.rankedDay === today) {
      // Looking for unranked accounts is itself rate-limited (not only the ranking it may cause).
      const cooledDown =
        this.options.rankingCooldownMilliseconds === 0 ||
        Date.now() - this.rankedAtMilliseconds >= (this.options.rankingCooldownMilliseconds ?? 5000);
      if (cooledDown) this.rankedAtMilliseconds = Date.now();
      // Any account without a tier, due or not: one evaluated before it was placed is next due tomorrow
      // and would otherwise go without a tier (and its cadence) until the daily ranking.
      // Ordered as the partial index accounts_unranked_due is: with stale statistics after a ranking,
      // the planner otherwise reads every account to find none (docs/benchmarks/2026-12-01-signals.md,
      // "The look for unranked accounts").
      const unranked =
        cooledDown &&
        (await database
          .selectFrom('accounts')
          .select('id')
          .where('tier', 'is', null)
          .orderBy('next_check_at')
          .limit(1)
          .executeTakeFirst());
      if (unranked) await this.placeNewAccounts();
    }
    await partitions.ensure([now]);
    const ranked = this.rankedDay === today;
    const outcome = await this.evaluateClaimed(now, ranked ? ['event', 'deadline', 'refresh'] : ['event', 'deadline']);
    if (outcome.lane !== null || ranked) return { ...outcome, rankedFirst: false };
    await this.rankValue();
    return { ...(await this.evaluateDueBatch()), rankedFirst: true };
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
          { judgePeople: lane === 'refresh' },
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
   * with its event, with no wait for a lane's round and no commit of its own. The writer holds the
   * accounts (holdFor says when and how many) and leaves to the lanes those another evaluation holds,
   * the ones past the limit, and all of them when there are many (an import or a backfill keeps its
   * speed) or before this engine has ranked (newcomers need the entry bars). When the evaluation
   * fails it reports the error and throws EvaluationAtIngestFailed, and the writer stores the events
   * again without it, so a failed evaluation never fails the ingest.
   */
  readonly atIngest: IngestEvaluator = {
    holdFor: (accountCount, receivedAt) => {
      const most = this.options.ingestEvaluationLimit ?? 200;
      if (this.rankedDay === null || accountCount > most) return null;
      return { at: new Date(Math.max(this.options.clock.now().getTime(), receivedAt.getTime())), most };
    },
    evaluateHeld: async (trx, held, at) => {
      try {
        const outcome = await evaluateHeldAccounts(trx, held, at, this.options.config, this.options.journeys, {
          judgePeople: false,
        });
        return { startedRuns: outcome.entered > 0 };
      } catch (error) {
        this.options.onError?.(error);
        throw new EvaluationAtIngestFailed(error);
      }
    },
  };

  /** Evaluates due accounts until none is left at the clock's current time. */
  runUntilIdle(): Promise<SweepOutcome> {
    return this.serially(async () => {
      let evaluated = 0;
      let raised = 0;
      let cleared = 0;
      for (let round = 0; round < 100_000 && !this.stopRequested; round++) {
        const outcome = await this.evaluateDueBatch();
        evaluated += outcome.evaluated;
        raised += outcome.raised;
        cleared += outcome.cleared;
        if (outcome.evaluated === 0) break;
      }
      // Tasks past their due time go to the owner's manager, once each; then playbook runs move on.
      while (!this.stopRequested && (await escalateOverdueTasks(this.options.database, this.options.clock.now())) > 0);
      const journeys = this.options.journeys;
      if (journeys && !this.stopRequested) {
        if (journeys.runsInline) await journeys.runDue();
        else journeys.wake();
      }
      return { evaluated, raised, cleared };
    });
  }

  /**
   * Asks for playbook work only (runs an ingest started or woke, trigger events it queued): the
   * journeys' lane, without a round of the evaluation lanes. On a manual clock, where the caller's
   * round does everything, the same as wake.
   */
  wakeJourneys(): void {
    const journeys = this.options.journeys;
    if (this.stopped || !journeys) return;
    if (journeys.runsInline) this.wake();
    else journeys.wake();
  }

  /** Asks for due work to be done soon (after an event committed); calls coalesce. */
  wake(): void {
    if (this.stopped) return;
    if (this.extraRounds.size < (this.options.extraEventLanes ?? 0)) {
      const round = inBackground(() => this.drainEventLane())
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => this.extraRounds.delete(round));
      this.extraRounds.add(round);
    }
    if (this.wakeQueued) return;
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      inBackground(() => this.runUntilIdle()).catch((error: unknown) => this.options.onError?.(error));
    });
  }

  /**
   * An extra round beside the main one: only accounts events queued, only once the day is ranked
   * (the main round ranks). Claims skip locked rows, so the rounds share the lane as engines do.
   */
  private async drainEventLane(): Promise<void> {
    for (let round = 0; round < 1000 && !this.stopRequested; round++) {
      const now = this.options.clock.now();
      if (this.rankedDay !== dayOf(now)) return;
      await this.options.partitions.ensure([now]);
      const outcome = await this.evaluateClaimed(now, ['event']);
      if (outcome.lane === null) return;
    }
  }

  /** Starts looking for due work every poll interval (other processes' events, time passing). */
  start(): void {
    this.stopped = false;
    const poll = () => {
      this.timer = setTimeout(() => {
        inBackground(() => this.runUntilIdle())
          .catch((error: unknown) => this.options.onError?.(error))
          .finally(() => {
            if (!this.stopped) poll();
          });
      }, this.options.pollMilliseconds ?? 1000);
    };
    this.wake();
    poll();
  }

  /** Stops polling and waits for the batch in progress (not the backlog: the work is durable, the next start takes it up). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.all([this.options.journeys?.stop(), this.chain, ...this.extraRounds]);
  }

  /**
   * For a manual clock: moves time to `target` step by step, stopping at every due time (and every
   * day boundary) in order, so that everything that came due in between runs as it would have.
   */
  async advanceTo(target: Date, moveClock: (at: Date) => unknown): Promise<SweepOutcome> {
    const { database, clock } = this.options;
    let evaluated = 0;
    let raised = 0;
    let cleared = 0;
    const add = (outcome: SweepOutcome) => {
      evaluated += outcome.evaluated;
      raised += outcome.raised;
      cleared += outcome.cleared;
    };
    add(await this.runUntilIdle());
    for (let step = 0; step < 1_000_000; step++) {
      const now = clock.now();
      const dueAt = await nextDeadline(database, now, target);
      // The daily refresh (and the day's ranking) fall due at day boundaries.
      const dayBoundary = startOfNextUtcDay(now);
      const taskDueAt = await nextTaskDue(database, now, target);
      const runDueAt = await nextRunDue(database, now, target);
      const messageDueAt = await nextMessageDue(database, now, target);
      const candidates = [dueAt, taskDueAt, runDueAt, messageDueAt, dayBoundary <= target ? dayBoundary : null].filter(
        (at): at is Date => at !== null,
      );
      if (candidates.length === 0) break;
      await moveClock(new Date(Math.min(...candidates.map((at) => at.getTime()))));
      add(await this.runUntilIdle());
    }
    await moveClock(target);
    add(await this.runUntilIdle());
    return { evaluated, raised, cleared };
  }
}
