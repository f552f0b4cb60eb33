// Moves playbook runs on: due runs are claimed with SKIP LOCKED, and each action is keyed for idempotency
// and written with the run's new state (outbox rows, tasks) in one transaction, so a crash or a second
// worker never loses a step or does one twice. Entry is in journey-entry.ts, the actions in step-actions.ts.
import type { Kysely, Transaction } from 'kysely';
import type { LoadedPlaybooks } from '../config/playbook-library.js';
import type { Clock } from '../domain/clock.js';
import type { AudienceSubject } from '../domain/playbooks/audience.js';
import {
  advance,
  nextAction,
  type RunState,
  type StepAction,
  type StepOutcome,
} from '../domain/playbooks/journey-step.js';
import type { RunContext, RunEvent } from '../domain/playbooks/run-conditions.js';
import type { SendPolicy } from '../domain/playbooks/send-policy.js';
import type { SignalKind } from '../domain/relationship/signal.js';
import {
  type ClaimedRun,
  claimDueRuns,
  lockRunAccounts,
  nextRunDue,
  type RunStepRecord,
  rescheduleRun,
  saveRunState,
} from '../store/journey-store.js';
import { playbookVersion } from '../store/playbook-versions.js';
import { loadRunFacts } from '../store/run-facts.js';
import type { Database } from '../store/schema.js';
import type { RaisedSignal } from '../store/signal-store.js';
import { BatchSizer } from './batch-sizer.js';
import type { LaneWork } from './due-work.js';
import { enterForEvents, enterForSchedules, enterForSegments, enterForSignals } from './journey-entry.js';
import { performAction, type RoundMemory } from './step-actions.js';
import type { LaneState } from './work-lane.js';

export interface JourneyEngineOptions {
  readonly database: Kysely<Database>;
  readonly clock: Clock;
  readonly playbooks: LoadedPlaybooks;
  readonly sendPolicy?: SendPolicy;
  /** How many days before its date a promise is due soon (signals.promiseDueDays), for tasks' talking points. */
  readonly promiseDueDays?: number;
  readonly batchSize?: number;
  /**
   * Aim for rounds of about this many real milliseconds, claim to commit (default: none, every round
   * takes `batchSize` runs). On the embedded database a round holds the one connection that ingest
   * and API reads share, as the evaluation's batches do (see BatchSizer).
   */
  readonly batchMilliseconds?: number;
  /**
   * Told about failures that do not stop the engine (a trigger that could not be handled, a failed
   * round).
   */
  readonly onError?: (error: unknown) => void;
}

/**
 * The scheduler moves due runs on, on the journeys' own lane: on a large book a round of runs is long,
 * and signal evaluation waited behind it (docs/benchmarks/2026-11-30-signals.md, "What the traces
 * showed"). A stop ends the round after the batch in progress; what is left stays due in the store.
 */
export class JourneyEngine implements LaneWork<number> {
  private readonly batches: BatchSizer;

  constructor(private readonly options: JourneyEngineOptions) {
    this.batches = new BatchSizer(options.batchMilliseconds ?? null);
  }

  roundFailed(error: unknown): void {
    this.options.onError?.(error);
  }

  /** When the next run falls due, or the next scheduled playbook fires. */
  nextDue(now: Date, until: Date): Promise<Date | null> {
    return nextRunDue(this.options.database, now, until);
  }

  /**
   * Enters accounts whose signal was just raised into the playbooks that start on it (same
   * transaction). `subjects`: what the evaluation already read of the accounts (tier, stage, traits).
   */
  enterForSignals(
    trx: Transaction<Database>,
    raised: readonly RaisedSignal[],
    now: Date,
    subjects?: ReadonlyMap<string, AudienceSubject>,
  ): Promise<number> {
    return enterForSignals(trx, this.options.playbooks, raised, now, subjects);
  }

  /**
   * Enters evaluated accounts that are in a playbook's segment (a `segment` trigger, e.g. every new
   * lead); an active run, or the playbook's re-entry rule, keeps an account from entering twice.
   */
  enterForSegments(
    trx: Transaction<Database>,
    subjects: ReadonlyMap<string, AudienceSubject>,
    now: Date,
  ): Promise<number> {
    return enterForSegments(trx, this.options.playbooks, subjects, now);
  }

  /** Starts runs for the trigger events queued at ingest, oldest first; returns how many entered. */
  enterForEvents(): Promise<number> {
    return enterForEvents(this.options);
  }

  /** Fires the scheduled playbooks whose time has come: every account in the audience enters. */
  enterForSchedules(): Promise<number> {
    return enterForSchedules(this.options);
  }

  /** Moves every due run as far as it can go now; returns how many runs were worked on. */
  async runDue(lane: LaneState): Promise<number> {
    const { database, clock } = this.options;
    // A failing trigger must not hold up the runs already going (nor the sends).
    await this.enterForEvents().catch((error: unknown) => this.options.onError?.(error));
    await this.enterForSchedules().catch((error: unknown) => this.options.onError?.(error));
    let total = 0;
    for (let round = 0; round < 10_000 && !lane.stopping; round++) {
      const now = clock.now();
      const began = performance.now();
      const worked = await database.transaction().execute(async (trx) => {
        const runs = await claimDueRuns(trx, now, this.batches.next(this.options.batchSize ?? 50));
        // A run whose account is being evaluated waits for a later round (see lockRunAccounts).
        const free = await lockRunAccounts(trx, runs);
        const ready = runs.filter((run) => run.accountId === null || free.has(run.accountId));
        for (const run of ready) await this.work(trx, run, now);
        return ready.length;
      });
      this.batches.record(worked, performance.now() - began);
      total += worked;
      if (worked === 0) break;
    }
    return total;
  }

  /**
   * Facts about the run's subject; events strictly after entry, so the event that triggered the run is
   * not its own goal.
   */
  private async context(trx: Transaction<Database>, run: ClaimedRun, state: RunState, now: Date): Promise<RunContext> {
    const facts = await loadRunFacts(trx, {
      accountId: run.accountId,
      contactId: run.contactId,
      enteredAt: state.enteredAt,
      now,
      taskKeys: state.tasks.map((task) => task.idempotencyKey),
    });
    const openSignals = facts.openSignalKinds as SignalKind[];
    const triggerKind = typeof run.trigger.signal === 'string' ? (run.trigger.signal as SignalKind) : null;
    return {
      events: facts.events,
      triggerSignalOpen: triggerKind === null || openSignals.includes(triggerKind),
      openSignals,
      traits: facts.traits,
      timezone: facts.timezone ?? 'UTC',
      completedTasks: facts.completedTaskKeys,
    };
  }

  /**
   * Moves one run on as far as it can go now, then saves its state and the steps it took in one
   * statement. Its facts are read once: later steps see what the earlier ones of this round recorded
   * (a Task Created, a trait) from memory, as a read would have shown them.
   */
  private async work(trx: Transaction<Database>, run: ClaimedRun, now: Date): Promise<void> {
    const playbook = await playbookVersion(
      this.options.database,
      this.options.playbooks,
      run.state.playbookId,
      run.state.playbookVersion,
    );
    let state = run.state;
    if (!playbook) {
      const ended: RunState = {
        ...state,
        version: state.version + 1,
        status: 'exited',
        stepId: null,
        endedAt: now,
        endReason: 'playbook version no longer known',
      };
      await saveRunState(
        trx,
        state.version,
        ended,
        null,
        [{ version: ended.version, stepId: null, action: { kind: 'exit' }, outcome: { reason: ended.endReason } }],
        now,
      );
      return;
    }
    const round: RoundMemory = { assignees: new Map(), recorded: [] };
    let context = await this.context(trx, run, state, now);
    const steps: RunStepRecord[] = [];
    let nextDueAt = now;
    let awaitingEvent: string | null = null;
    for (let step = 0; step < 25 && state.status === 'active'; step++) {
      const action = nextAction(playbook, state, context, now);
      round.recorded = [];
      const outcome = await performAction(trx, { ...run, state }, action, now, round, this.options.sendPolicy, {
        promiseDueDays: this.options.promiseDueDays,
      });
      if (outcome.kind === 'deferred') {
        if (steps.length === 0) {
          await rescheduleRun(trx, run.id, outcome.until);
          return;
        }
        nextDueAt = outcome.until;
        break;
      }
      const next = advance(state, action, outcome);
      nextDueAt = action.kind === 'wait' ? action.until : now;
      const waitStep =
        action.kind === 'wait' ? playbook.steps.find((candidate) => candidate.id === action.stepId) : undefined;
      // A wait for an event, or for a task before escalating it, ends when that event comes.
      awaitingEvent =
        waitStep?.kind === 'wait' && waitStep.wait.kind === 'event'
          ? waitStep.wait.event
          : waitStep?.kind === 'escalate'
            ? 'Task Completed'
            : null;
      steps.push({ version: next.version, stepId: 'stepId' in action ? action.stepId : null, action, outcome });
      state = next;
      if (action.kind === 'wait') break;
      context = contextAfter(context, { ...run, state }, action, outcome, round.recorded, now);
    }
    if (steps.length > 0) await saveRunState(trx, run.state.version, state, nextDueAt, steps, now, awaitingEvent);
  }
}

/**
 * The facts a run's next step is decided on, after a step of the same round: the events it recorded
 * about the subject, as loadRunFacts reads them (the account's, or a lone contact's, strictly after
 * entry), and a trait it set.
 */
function contextAfter(
  context: RunContext,
  run: ClaimedRun,
  action: StepAction,
  outcome: StepOutcome,
  recorded: readonly RunEvent[],
  now: Date,
): RunContext {
  if (outcome.kind !== 'performed') return context;
  const aboutSubject = run.accountId !== null || run.contactId !== null;
  const seen = aboutSubject ? recorded.filter((event) => event.at > run.state.enteredAt && event.at <= now) : [];
  const events = seen.length > 0 ? [...context.events, ...seen] : context.events;
  const traits =
    action.kind === 'update-trait' && run.accountId !== null
      ? { ...context.traits, [action.trait]: action.value }
      : context.traits;
  return { ...context, events, traits };
}
