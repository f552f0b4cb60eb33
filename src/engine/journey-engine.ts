// Runs playbooks: subjects enter when a trigger fires (in the transaction that raised the signal),
// and due runs are claimed with SKIP LOCKED and moved on step by step. Every action is keyed for
// idempotency and written in the same transaction as the run's new state (outbox rows, tasks), so a
// crash or a second worker never loses a step or does one twice.
import { type Kysely, type Transaction, sql } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { audienceAdmits, type AudienceSubject } from '../domain/playbooks/audience.js';
import { assignGroup } from '../domain/playbooks/holdout.js';
import {
  advance,
  nextAction,
  type RunState,
  type StepAction,
  type StepOutcome,
  startRun,
} from '../domain/playbooks/journey-step.js';
import type { Assignee, MessageChannel, Playbook } from '../domain/playbooks/playbook-definition.js';
import { channelsByExpectedResponse, learnFromSends } from '../domain/models/channel-learning.js';
import { channelSendOutcomes } from '../store/channel-history.js';
import { eventMatches, type RunContext, type RunEvent } from '../domain/playbooks/run-conditions.js';
import { decideSend, defaultSendPolicy, type SendPolicy } from '../domain/playbooks/send-policy.js';
import type { SignalKind } from '../domain/relationship/signal.js';
import { assertNever } from '../domain/tracking-message.js';
import { newId } from '../store/ids.js';
import { nextOccurrence } from '../domain/playbooks/schedule-expression.js';
import {
  type ClaimedRun,
  claimDueRuns,
  claimScheduleFiring,
  enterRun,
  lockRunAccounts,
  nextRunDue,
  rescheduleRun,
  type RunStepRecord,
  saveRunState,
} from '../store/journey-store.js';
import type { Database } from '../store/schema.js';
import { createTask, taskCreatedProperties } from '../store/task-store.js';
import { loadSendContact } from '../store/send-contact.js';
import { loadRunFacts } from '../store/run-facts.js';
import { cappedStatuses } from '../store/outbox-store.js';
import type { RaisedSignal } from '../store/signal-store.js';
import type { LoadedPlaybooks } from '../config/playbook-library.js';
import { playbookVersion } from '../store/playbook-versions.js';
import { BatchSizer } from './batch-sizer.js';
import type { LaneWork } from './due-work.js';
import type { LaneState } from './work-lane.js';

export interface JourneyEngineOptions {
  readonly database: Kysely<Database>;
  readonly clock: Clock;
  readonly playbooks: LoadedPlaybooks;
  readonly sendPolicy?: SendPolicy;
  readonly batchSize?: number;
  /**
   * Aim for rounds of about this many real milliseconds, claim to commit (default: none, every round
   * takes `batchSize` runs). On the embedded database a round holds the one connection that ingest
   * and API reads share, as the evaluation's batches do (see BatchSizer).
   */
  readonly batchMilliseconds?: number;
  /** Told about failures that do not stop the engine (a trigger that could not be handled, a failed round). */
  readonly onError?: (error: unknown) => void;
}

const weekMilliseconds = 7 * 86_400_000;

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
  async enterForSignals(
    trx: Transaction<Database>,
    raised: readonly RaisedSignal[],
    now: Date,
    subjects?: ReadonlyMap<string, AudienceSubject>,
  ): Promise<number> {
    let entered = 0;
    for (const signal of raised) {
      const playbooks = this.playbooksStartedBy(
        (trigger) => trigger.kind === 'signal' && trigger.signal === signal.kind,
      );
      if (playbooks.length > 0)
        entered += await this.enter(
          trx,
          playbooks,
          {
            accountId: signal.accountId,
            contactId: signal.contactId,
            trigger: { signal: signal.kind, signalId: signal.signalId },
          },
          now,
          subjects?.get(signal.accountId),
        );
    }
    return entered;
  }

  /**
   * Enters evaluated accounts that are in a playbook's segment (a `segment` trigger, e.g. every new
   * lead); an active run, or the playbook's re-entry rule, keeps an account from entering twice.
   */
  async enterForSegments(
    trx: Transaction<Database>,
    subjects: ReadonlyMap<string, AudienceSubject>,
    now: Date,
  ): Promise<number> {
    const playbooks = this.playbooksStartedBy((trigger) => trigger.kind === 'segment');
    if (playbooks.length === 0) return 0;
    let entered = 0;
    for (const [accountId, subject] of subjects) {
      const inSegment = playbooks.filter(
        (playbook) => playbook.trigger.kind === 'segment' && audienceAdmits(playbook.trigger.segment, subject),
      );
      if (inSegment.length > 0)
        entered += await this.enter(
          trx,
          inSegment,
          { accountId, contactId: null, trigger: { segment: true } },
          now,
          subject,
        );
    }
    return entered;
  }

  /** Starts runs for the trigger events queued at ingest (an outage, a form), oldest first; returns how many entered. */
  async enterForEvents(): Promise<number> {
    const { database, clock } = this.options;
    let entered = 0;
    for (let round = 0; round < 10_000; round++) {
      const handled = await database.transaction().execute(async (trx) => {
        const queued = await sql<{
          id: number;
          event_name: string;
          account_id: string | null;
          contact_id: string | null;
          properties: Record<string, unknown>;
          occurred_at: Date;
        }>`
          delete from journey_triggers where id in (select id from journey_triggers order by id limit 200 for update skip locked)
          returning id, event_name, account_id, contact_id, properties, occurred_at`.execute(trx);
        const now = clock.now();
        for (const event of [...queued.rows].sort((a, b) => a.id - b.id)) {
          const runEvent = {
            name: event.event_name,
            at: event.occurred_at,
            properties: event.properties as Record<string, never>,
          };
          const playbooks = this.playbooksStartedBy(
            (trigger) => trigger.kind === 'event' && eventMatches(trigger, runEvent),
          );
          if (playbooks.length > 0)
            entered += await this.enter(
              trx,
              playbooks,
              {
                accountId: event.account_id,
                contactId: event.contact_id,
                trigger: { event: event.event_name, properties: event.properties },
              },
              now,
            );
        }
        return queued.rows.length;
      });
      if (handled === 0) break;
    }
    return entered;
  }

  /** Fires the scheduled playbooks whose time has come: every account in the audience enters. */
  async enterForSchedules(): Promise<number> {
    const { database, clock } = this.options;
    let entered = 0;
    for (const playbook of this.playbooksStartedBy((trigger) => trigger.kind === 'schedule')) {
      if (playbook.trigger.kind !== 'schedule') continue;
      const schedule = playbook.trigger.schedule;
      entered += await database.transaction().execute(async (trx) => {
        const now = clock.now();
        if (!(await claimScheduleFiring(trx, playbook.id, now, (at) => nextOccurrence(schedule, at)))) return 0;
        let count = 0;
        let after = '';
        // In pages, so that a large book does not sit in memory at once.
        for (;;) {
          let query = trx.selectFrom('accounts').select('id').where('id', '>', after).orderBy('id').limit(1000);
          if (playbook.audience.tiers !== null) query = query.where('tier', 'in', [...playbook.audience.tiers]);
          if (playbook.audience.lifecycleStages !== null)
            query = query.where('lifecycle_stage', 'in', [...playbook.audience.lifecycleStages]);
          const page = await query.execute();
          for (const account of page)
            count += await this.enter(
              trx,
              [playbook],
              {
                accountId: account.id,
                contactId: null,
                trigger: { schedule: schedule.expression, firedAt: now.toISOString() },
              },
              now,
            );
          if (page.length < 1000) break;
          after = page[page.length - 1]!.id;
        }
        return count;
      });
    }
    return entered;
  }

  private playbooksStartedBy(test: (trigger: Playbook['trigger']) => boolean): Playbook[] {
    return this.options.playbooks.playbooks.filter((playbook) => playbook.enabled && test(playbook.trigger));
  }

  /**
   * Enters one subject (an account, or a contact without one) into the playbooks whose audience admits
   * it. `known`: the account as the caller already read it; otherwise it is read here.
   */
  private async enter(
    trx: Transaction<Database>,
    playbooks: readonly Playbook[],
    subject: { accountId: string | null; contactId: string | null; trigger: Record<string, unknown> },
    now: Date,
    known?: AudienceSubject,
  ): Promise<number> {
    const stored =
      known !== undefined || subject.accountId === null
        ? undefined
        : await trx
            .selectFrom('accounts')
            .select(['tier', 'lifecycle_stage', 'traits'])
            .where('id', '=', subject.accountId)
            .executeTakeFirst();
    const account: AudienceSubject | undefined =
      known ?? (stored && { tier: stored.tier, lifecycleStage: stored.lifecycle_stage, traits: stored.traits });
    if (subject.accountId !== null && !account) return 0;
    const contactId =
      subject.contactId ??
      (subject.accountId === null
        ? null
        : ((
            await trx
              .selectFrom('memberships')
              .innerJoin('contacts', 'contacts.id', 'memberships.contact_id')
              .select('contacts.id')
              .where('memberships.account_id', '=', subject.accountId)
              .where('contacts.merged_into', 'is', null)
              .orderBy('memberships.created_at')
              .limit(1)
              .executeTakeFirst()
          )?.id ?? null));
    const subjectKey = subject.accountId ?? `contact:${contactId}`;
    let entered = 0;
    for (const playbook of playbooks) {
      if (!audienceAdmits(playbook.audience, account ?? { tier: null, lifecycleStage: null, traits: {} })) continue;
      const state = startRun(playbook, {
        runId: newId(now.getTime()),
        recipient: contactId ?? subjectKey,
        group: assignGroup(playbook.id, subjectKey, playbook.holdout),
        enteredAt: now,
      });
      if (
        await enterRun(
          trx,
          {
            state,
            subjectKey,
            accountId: subject.accountId,
            contactId,
            trigger: subject.trigger,
            reentry: playbook.reentry,
          },
          now,
        )
      )
        entered++;
    }
    return entered;
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

  /** Facts about the run's subject; events strictly after entry, so the event that triggered the run is not its own goal. */
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
   * The channels this person answers, best first: learned from their own replies and clicks to
   * earlier messages, starting from what people in general answer (e-mail a little above SMS).
   */
  private async channelRanking(trx: Transaction<Database>, contactId: string, now: Date): Promise<MessageChannel[]> {
    return channelsByExpectedResponse(
      learnFromSends(await channelSendOutcomes(trx, contactId, now)),
    ) as MessageChannel[];
  }

  /** The user an assignee names for this account: its owner, the owner's manager, or the first user with a role. */
  private async assigneeEmail(
    trx: Transaction<Database>,
    accountId: string | null,
    assignee: Assignee,
    known: Map<Assignee, string | null>,
  ): Promise<string | null> {
    // A run's steps in one round name the same people: each is looked up once.
    if (known.has(assignee)) return known.get(assignee)!;
    const email = await this.lookUpAssignee(trx, accountId, assignee);
    known.set(assignee, email);
    return email;
  }

  private async lookUpAssignee(
    trx: Transaction<Database>,
    accountId: string | null,
    assignee: Assignee,
  ): Promise<string | null> {
    if (assignee.startsWith('role:')) {
      const user = await trx
        .selectFrom('users')
        .select('email')
        .where('role', '=', assignee.slice(5) as 'rep' | 'manager' | 'admin')
        .orderBy('email')
        .executeTakeFirst();
      return user?.email ?? null;
    }
    if (accountId === null) return null;
    // The owner trait routes work only when it names a Tend user (anyone with a write key can set it).
    const owner = await trx
      .selectFrom('accounts')
      .innerJoin('users', 'users.email', 'accounts.owner_email')
      .select('users.email as owner_email')
      .where('accounts.id', '=', accountId)
      .executeTakeFirst();
    if (!owner?.owner_email || assignee === 'owner') return owner?.owner_email ?? null;
    const manager = await sql<{
      email: string;
    }>`select manager.email from users rep join users manager on manager.id = rep.manager_id where rep.email = ${owner.owner_email}`.execute(
      trx,
    );
    return manager.rows[0]?.email ?? null;
  }

  /**
   * Performs one action inside the run's transaction; returns its outcome, or a time to come back
   * (deferred). Events it records about the run's subject are added to `round.recorded`.
   */
  private async perform(
    trx: Transaction<Database>,
    run: ClaimedRun,
    action: StepAction,
    now: Date,
    round: RoundMemory,
  ): Promise<StepOutcome | { kind: 'deferred'; until: Date }> {
    switch (action.kind) {
      case 'send': {
        // Locks the contact: the cap is counted and the message written before another worker counts.
        const contact = await loadSendContact(trx, run.contactId);
        const recent =
          run.contactId === null
            ? []
            : await trx
                .selectFrom('outbox')
                .select('created_at')
                .where('contact_id', '=', run.contactId)
                .where('status', 'in', [...cappedStatuses])
                .where('created_at', '>', new Date(now.getTime() - weekMilliseconds))
                .execute();
        const decision = decideSend({
          channel: action.channel,
          fallback: action.fallback,
          ranking:
            action.channel === 'best' && run.contactId !== null
              ? await this.channelRanking(trx, run.contactId, now)
              : [],
          contact,
          recentAutomatedSends: recent.map((row) => row.created_at),
          now,
          policy: this.options.sendPolicy ?? defaultSendPolicy,
        });
        switch (decision.kind) {
          case 'defer':
            return { kind: 'deferred', until: decision.until };
          case 'skip':
            await trx
              .insertInto('outbox')
              .values({
                id: newId(now.getTime()),
                idempotency_key: action.idempotencyKey,
                run_id: run.id,
                account_id: run.accountId,
                contact_id: run.contactId,
                channel: String(action.channel),
                recipient: null,
                payload: JSON.stringify({ template: action.template, tone: action.tone, variables: action.variables }),
                status: 'skipped',
                reason: `${decision.reason}: ${decision.detail}`,
                next_attempt_at: null,
                provider_message_id: null,
                created_at: now,
                sent_at: null,
              })
              .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
              .execute();
            return { kind: 'skipped', at: now, reason: decision.reason };
          case 'send': {
            const recipient = decision.channel === 'sms' ? contact.phone : contact.email;
            // Written with the step, delivered by the dispatcher: a crash between the two loses nothing.
            await trx
              .insertInto('outbox')
              .values({
                id: newId(now.getTime()),
                idempotency_key: action.idempotencyKey,
                run_id: run.id,
                account_id: run.accountId,
                contact_id: run.contactId,
                channel: decision.channel,
                recipient,
                payload: JSON.stringify({
                  template: action.template,
                  tone: action.tone,
                  variables: action.variables,
                  contactName: contact.name,
                }),
                status: 'pending',
                reason: null,
                next_attempt_at: now,
                provider_message_id: null,
                created_at: now,
                sent_at: null,
              })
              .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
              .execute();
            return { kind: 'performed', at: now };
          }
          default:
            return assertNever(decision);
        }
      }
      case 'create-task':
      case 'alert':
      case 'escalate': {
        const who = action.kind === 'create-task' ? action.for : action.to;
        const owner = await this.assigneeEmail(trx, run.accountId, who, round.assignees);
        if (owner === null)
          return { kind: 'skipped', at: now, reason: `nobody is ${who} of ${run.accountId ?? 'this subject'}` };
        const objective =
          action.kind === 'create-task'
            ? action.objective
            : action.kind === 'alert'
              ? action.message
              : `Escalated: a task from this playbook is overdue (${action.taskKey})`;
        const dueAt =
          action.kind === 'create-task'
            ? action.dueAt
            : action.kind === 'alert'
              ? (action.dueAt ?? new Date(now.getTime() + 3_600_000))
              : new Date(now.getTime() + 86_400_000);
        const created = await createTask(
          trx,
          {
            ownerEmail: owner,
            accountId: run.accountId,
            contactId: run.contactId,
            objective,
            talkingPoints: action.kind === 'create-task' ? action.talkingPoints : [],
            dueAt,
            source: `playbook:${run.state.playbookId}:${action.kind}`,
            idempotencyKey: action.idempotencyKey,
          },
          now,
        );
        if (created.created)
          round.recorded.push({ name: 'Task Created', at: now, properties: taskCreatedProperties(created.task) });
        return { kind: 'performed', at: now };
      }
      case 'update-trait':
        if (run.accountId !== null)
          await sql`update accounts set traits = traits || jsonb_build_object(${action.trait}::text, ${JSON.stringify(action.value)}::jsonb), updated_at = ${now} where id = ${run.accountId}`.execute(
            trx,
          );
        return { kind: 'performed', at: now };
      case 'wait':
      case 'exit':
      case 'complete':
        return { kind: 'performed', at: now };
      default:
        return assertNever(action);
    }
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
      const outcome = await this.perform(trx, { ...run, state }, action, now, round);
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

/** What a run's round remembers between its steps: the people named so far, the events the last step recorded. */
interface RoundMemory {
  readonly assignees: Map<Assignee, string | null>;
  recorded: RunEvent[];
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
