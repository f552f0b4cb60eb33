// Decides when this process does Tend's due work, and on which lane. The work itself is durable in the
// store and done by single-purpose systems: the health score's weekly refit, the evaluation of due
// accounts (with the day's ranking), the escalation of overdue tasks, the playbook runs, the outbox.
// The evaluation lane's round refits if due, evaluates, then escalates, then wakes the journeys' lane,
// whose round wakes the outbox's; extra event lanes lend the evaluation a hand. Rounds come when woken
// (an event committed), every poll interval (other processes' work, time passing), and, on a manual
// clock, at every due time on the way (advanceTo).
import type { Clock } from '../domain/clock.js';
import { inBackground } from '../store/connection-turns.js';
import type { DueEvaluation, SweepOutcome } from './due-evaluation.js';
import type { DueWork, LaneWork } from './due-work.js';
import { type LaneState, WorkLane } from './work-lane.js';

export interface SchedulerOptions {
  readonly clock: Clock;
  /** Due accounts; its extra event lanes take only what events queued (runQueued). */
  readonly evaluation: DueWork<SweepOutcome> & Pick<DueEvaluation, 'runQueued'>;
  readonly escalation: DueWork<unknown>;
  /**
   * Notices to staff that time brings (daily digests, customers still waiting), after the escalations;
   * a failed round is reported and the evaluation's round goes on.
   */
  readonly staffNotices?: DueWork<unknown>;
  /**
   * The health score's weekly refit: before each round's evaluation, so that the round scores with the
   * weights in effect. A failed refit is reported and the round goes on with the weights it had.
   */
  readonly healthLearning?: DueWork<unknown>;
  /** Playbook runs: moved on after each round of evaluation. */
  readonly journeys?: LaneWork<unknown>;
  /** Sends what the runs put in the outbox, after each round of runs (none: rows wait for one). */
  readonly outbox?: LaneWork<unknown>;
  /**
   * Move runs on and send within the evaluation's round (a manual clock: everything due is done before
   * the clock answers), rather than on the journeys' and the outbox's own lanes.
   */
  readonly runInline?: boolean;
  /**
   * Extra rounds that take only accounts events queued, beside the main serial round (default 0).
   * On PostgreSQL under ingest load the machine had CPU to spare while an event's account waited for
   * the round in progress before its own; a second lane takes it at once
   * (docs/benchmarks/2026-11-30-signals.md, "extra event-lane round"). Needs a connection pool (not the
   * embedded database's single connection).
   */
  readonly extraEventLanes?: number;
  /** How often (real milliseconds) to look for due work other processes or time created. */
  readonly pollMilliseconds?: number;
  /** Told about a failed round of evaluation (escalation, and on a manual clock the runs, included). */
  readonly onError?: (error: unknown) => void;
}

/** A system with a lane of its own, and that lane. */
interface OwnLane {
  readonly work: LaneWork<unknown>;
  readonly lane: WorkLane<unknown>;
}

export class Scheduler {
  private readonly evaluationLane: WorkLane<SweepOutcome>;
  private readonly eventLanes: readonly WorkLane<void>[];
  private readonly journeys: OwnLane | null;
  private readonly outbox: OwnLane | null;
  /** Wake-ups and polls count only between start and stop; rounds a caller asks for run regardless. */
  private started = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: SchedulerOptions) {
    const onError = (error: unknown) => this.options.onError?.(error);
    // Woken after a commit: the request that woke it goes on to its reply first.
    this.evaluationLane = new WorkLane((lane) => this.evaluationRound(lane), onError, { wakeOnNextTurn: true });
    this.eventLanes = Array.from(
      { length: options.extraEventLanes ?? 0 },
      () => new WorkLane((lane) => options.evaluation.runQueued(lane), onError),
    );
    const ownLane = (work: LaneWork<unknown>, round: (lane: LaneState) => Promise<unknown>): OwnLane => ({
      work,
      lane: new WorkLane(round, (error) => work.roundFailed(error)),
    });
    const { journeys, outbox } = options;
    this.journeys = journeys ? ownLane(journeys, () => this.journeyRound()) : null;
    this.outbox = outbox ? ownLane(outbox, (lane) => outbox.runDue(lane)) : null;
  }

  /** Evaluates due accounts, then escalates overdue tasks, then has the playbook runs move on. */
  private async evaluationRound(lane: LaneState): Promise<SweepOutcome> {
    await this.options.healthLearning?.runDue(lane).catch((error: unknown) => this.options.onError?.(error));
    const outcome = await this.options.evaluation.runDue(lane);
    // Tasks past their due time go to the owner's manager, once each; then playbook runs move on.
    await this.options.escalation.runDue(lane);
    await this.options.staffNotices?.runDue(lane).catch((error: unknown) => this.options.onError?.(error));
    if (this.journeys && !lane.stopping) {
      if (this.options.runInline) await this.journeyRound();
      else this.journeys.lane.wake();
    }
    return outcome;
  }

  /**
   * Moves every due run on, then has the outbox send what the runs wrote. The runs end as their own
   * lane stops, and the sends as the outbox's does, even within a round of evaluation (runInline).
   */
  private async journeyRound(): Promise<void> {
    if (!this.journeys) return;
    await this.journeys.work.runDue(this.journeys.lane);
    if (!this.outbox) return;
    // On a manual clock everything due is sent before the clock answers; otherwise on the outbox's own lane.
    if (this.options.runInline) await this.outbox.work.runDue(this.outbox.lane);
    else this.outbox.lane.wake();
  }

  /** Evaluates due accounts until none is left at the clock's current time (and what follows, see evaluationRound). */
  runUntilIdle(): Promise<SweepOutcome> {
    return this.evaluationLane.run();
  }

  /**
   * Asks for playbook work only (runs an ingest started or woke, trigger events it queued): the
   * journeys' lane, without a round of the evaluation lanes. On a manual clock, where the caller's
   * round does everything, the same as wake.
   */
  wakeJourneys(): void {
    if (!this.started || !this.journeys) return;
    if (this.options.runInline) this.wake();
    else this.journeys.lane.wake();
  }

  /** Asks for due work to be done soon (after an event committed); calls coalesce. */
  wake(): void {
    if (!this.started) return;
    for (const lane of this.eventLanes) if (lane.startIfIdle()) break;
    this.evaluationLane.wake();
  }

  /** Starts looking for due work every poll interval (other processes' events, time passing). */
  start(): void {
    this.started = true;
    const poll = () => {
      this.timer = setTimeout(() => {
        inBackground(() => this.evaluationLane.run())
          .catch((error: unknown) => this.options.onError?.(error))
          .finally(() => {
            if (this.started) poll();
          });
      }, this.options.pollMilliseconds ?? 1000);
    };
    this.wake();
    poll();
  }

  /**
   * Stops polling and waits for the rounds in progress (not the backlog: the work is durable, the next
   * start takes it up). The outbox's lane stops last, so that what the last runs wrote still goes out.
   */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    await Promise.all([
      this.journeys?.lane.stop(),
      this.evaluationLane.stop(),
      ...this.eventLanes.map((lane) => lane.stop()),
    ]);
    await this.outbox?.lane.stop();
  }

  /**
   * For a manual clock: moves time to `target` step by step, stopping at every due time (and every
   * day boundary) in order, so that everything that came due in between runs as it would have.
   */
  async advanceTo(target: Date, moveClock: (at: Date) => unknown): Promise<SweepOutcome> {
    const { evaluation, escalation, journeys, outbox, healthLearning, staffNotices } = this.options;
    const dueWork: DueWork<unknown>[] = [evaluation, escalation, ...(journeys ? [journeys] : [])];
    if (healthLearning) dueWork.push(healthLearning);
    if (staffNotices) dueWork.push(staffNotices);
    if (outbox) dueWork.push(outbox);
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
      const now = this.options.clock.now();
      const candidates: Date[] = [];
      for (const work of dueWork) {
        const dueAt = await work.nextDue(now, target);
        if (dueAt !== null) candidates.push(dueAt);
      }
      if (candidates.length === 0) break;
      await moveClock(new Date(Math.min(...candidates.map((at) => at.getTime()))));
      add(await this.runUntilIdle());
    }
    await moveClock(target);
    add(await this.runUntilIdle());
    return { evaluated, raised, cleared };
  }
}
