// Runs playbooks: subjects enter when a trigger fires (in the transaction that raised the signal),
// and due runs are claimed with SKIP LOCKED and moved on step by step. Every action is keyed for
// idempotency and written in the same transaction as the run's new state (outbox rows, tasks), so a
// crash or a second worker never loses a step or does one twice.
import { type Kysely, type Transaction, sql } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { audienceAdmits } from '../domain/playbooks/audience.js';
import { assignGroup } from '../domain/playbooks/holdout.js';
import { advance, nextAction, type RunState, type StepAction, type StepOutcome, startRun } from '../domain/playbooks/journey-step.js';
import type { Assignee } from '../domain/playbooks/playbook-definition.js';
import type { RunContext } from '../domain/playbooks/run-conditions.js';
import { decideSend, defaultSendPolicy, type SendPolicy } from '../domain/playbooks/send-policy.js';
import type { SignalKind } from '../domain/relationship/signal.js';
import { assertNever } from '../domain/tracking-message.js';
import { newId } from '../store/ids.js';
import { type ClaimedRun, claimDueRuns, enterRun, rescheduleRun, saveRunState } from '../store/journey-store.js';
import type { Database } from '../store/schema.js';
import { createTask } from '../store/task-store.js';
import { cappedStatuses } from '../store/outbox-store.js';
import type { OutboxDispatcher } from './outbox-dispatcher.js';
import { type LoadedPlaybooks, playbookVersion } from './playbook-library.js';

export interface RaisedSignal {
  readonly accountId: string;
  readonly kind: SignalKind;
  readonly signalId: string;
}

export interface JourneyEngineOptions {
  readonly database: Kysely<Database>;
  readonly clock: Clock;
  readonly playbooks: LoadedPlaybooks;
  readonly sendPolicy?: SendPolicy;
  readonly batchSize?: number;
  /** Delivers what the runs put in the outbox, after each round of runs (none: rows wait for one). */
  readonly dispatcher?: OutboxDispatcher;
}

const weekMilliseconds = 7 * 86_400_000;

export class JourneyEngine {
  constructor(private readonly options: JourneyEngineOptions) {}

  /** Enters accounts whose signal was just raised into the playbooks that start on it (same transaction). */
  async enterForSignals(trx: Transaction<Database>, raised: readonly RaisedSignal[], now: Date): Promise<number> {
    let entered = 0;
    for (const signal of raised) {
      const playbooks = this.options.playbooks.playbooks.filter((playbook) => playbook.enabled && playbook.trigger.kind === 'signal' && playbook.trigger.signal === signal.kind);
      if (playbooks.length === 0) continue;
      const account = await trx.selectFrom('accounts').select(['tier', 'lifecycle_stage', 'traits']).where('id', '=', signal.accountId).executeTakeFirst();
      if (!account) continue;
      const contact = await trx
        .selectFrom('memberships')
        .innerJoin('contacts', 'contacts.id', 'memberships.contact_id')
        .select('contacts.id')
        .where('memberships.account_id', '=', signal.accountId)
        .where('contacts.merged_into', 'is', null)
        .orderBy('memberships.created_at')
        .limit(1)
        .executeTakeFirst();
      for (const playbook of playbooks) {
        if (!audienceAdmits(playbook.audience, { tier: account.tier, lifecycleStage: account.lifecycle_stage, traits: account.traits })) continue;
        const state = startRun(playbook, { runId: newId(now.getTime()), recipient: contact?.id ?? signal.accountId, group: assignGroup(playbook.id, signal.accountId, playbook.holdout), enteredAt: now });
        const started = await enterRun(trx, { state, subjectKey: signal.accountId, accountId: signal.accountId, contactId: contact?.id ?? null, trigger: { signal: signal.kind, signalId: signal.signalId }, reentry: playbook.reentry }, now);
        if (started) entered++;
      }
    }
    return entered;
  }

  /** Moves every due run as far as it can go now; returns how many runs were worked on. */
  async runDue(): Promise<number> {
    const { database, clock } = this.options;
    let total = 0;
    for (let round = 0; round < 10_000; round++) {
      const now = clock.now();
      const worked = await database.transaction().execute(async (trx) => {
        const runs = await claimDueRuns(trx, now, this.options.batchSize ?? 50);
        for (const run of runs) await this.work(trx, run, now);
        return runs.length;
      });
      total += worked;
      if (worked === 0) break;
    }
    if (this.options.dispatcher) await this.options.dispatcher.dispatchDue();
    return total;
  }

  /** Facts about the run's subject; events strictly after entry, so the event that triggered the run is not its own goal. */
  private async context(trx: Transaction<Database>, run: ClaimedRun, state: RunState, now: Date): Promise<RunContext> {
    const accountId = run.accountId;
    const [events, signals, account, contact, completed] = await Promise.all([
      accountId === null
        ? Promise.resolve([])
        : trx.selectFrom('events').select(['name', 'occurred_at', 'properties']).where('account_id', '=', accountId).where('occurred_at', '>', state.enteredAt).where('occurred_at', '<=', now).limit(2000).execute(),
      accountId === null ? Promise.resolve([]) : trx.selectFrom('signals').select('kind').where('account_id', '=', accountId).where('cleared_at', 'is', null).execute(),
      accountId === null ? Promise.resolve(undefined) : trx.selectFrom('accounts').select('traits').where('id', '=', accountId).executeTakeFirst(),
      run.contactId === null ? Promise.resolve(undefined) : trx.selectFrom('contacts').select('timezone').where('id', '=', run.contactId).executeTakeFirst(),
      state.tasks.length === 0 ? Promise.resolve([]) : trx.selectFrom('tasks').select('idempotency_key').where('idempotency_key', 'in', state.tasks.map((task) => task.idempotencyKey)).where('status', '=', 'done').execute(),
    ]);
    const openSignals = signals.map((row) => row.kind as SignalKind);
    const triggerKind = typeof run.trigger.signal === 'string' ? (run.trigger.signal as SignalKind) : null;
    return {
      events: events.map((row) => ({ name: row.name ?? '', at: row.occurred_at, properties: row.properties })),
      triggerSignalOpen: triggerKind === null || openSignals.includes(triggerKind),
      openSignals,
      traits: account?.traits ?? {},
      timezone: contact?.timezone ?? 'UTC',
      completedTasks: completed.map((row) => row.idempotency_key ?? ''),
    };
  }

  /** The user an assignee names for this account: its owner, the owner's manager, or the first user with a role. */
  private async assigneeEmail(trx: Transaction<Database>, accountId: string | null, assignee: Assignee): Promise<string | null> {
    if (assignee.startsWith('role:')) {
      const user = await trx.selectFrom('users').select('email').where('role', '=', assignee.slice(5) as 'rep' | 'manager' | 'admin').orderBy('email').executeTakeFirst();
      return user?.email ?? null;
    }
    if (accountId === null) return null;
    const owner = await trx.selectFrom('accounts').select('owner_email').where('id', '=', accountId).executeTakeFirst();
    if (!owner?.owner_email || assignee === 'owner') return owner?.owner_email ?? null;
    const manager = await sql<{ email: string }>`select manager.email from users rep join users manager on manager.id = rep.manager_id where rep.email = ${owner.owner_email}`.execute(trx);
    return manager.rows[0]?.email ?? null;
  }

  /** Performs one action inside the run's transaction; returns its outcome, or a time to come back (deferred). */
  private async perform(trx: Transaction<Database>, run: ClaimedRun, action: StepAction, now: Date): Promise<StepOutcome | { kind: 'deferred'; until: Date }> {
    switch (action.kind) {
      case 'send': {
        const contact = run.contactId === null ? undefined : await trx.selectFrom('contacts').select(['email', 'phone', 'timezone', 'name']).where('id', '=', run.contactId).executeTakeFirst();
        const consents = run.contactId === null ? [] : await trx.selectFrom('consents').select(['channel', 'status']).where('contact_id', '=', run.contactId).execute();
        const identities = [run.contactId, contact?.email?.toLowerCase(), contact?.phone].filter((value): value is string => Boolean(value));
        const blocked = identities.length === 0 ? undefined : await trx.selectFrom('do_not_contact').select('value').where('value', 'in', identities).executeTakeFirst();
        const recent = run.contactId === null ? [] : await trx.selectFrom('outbox').select('created_at').where('contact_id', '=', run.contactId).where('status', 'in', [...cappedStatuses]).where('created_at', '>', new Date(now.getTime() - weekMilliseconds)).execute();
        const consent = Object.fromEntries(consents.map((row) => [row.channel, row.status]));
        const decision = decideSend({
          channel: action.channel,
          fallback: action.fallback,
          ranking: [],
          contact: { email: contact?.email ?? null, phone: contact?.phone ?? null, timezone: contact?.timezone ?? null, consent, doNotContact: blocked !== undefined },
          recentAutomatedSends: recent.map((row) => row.created_at),
          now,
          policy: this.options.sendPolicy ?? defaultSendPolicy,
        });
        switch (decision.kind) {
          case 'defer':
            return { kind: 'deferred', until: decision.until };
          case 'skip':
            await trx.insertInto('outbox').values({ id: newId(now.getTime()), idempotency_key: action.idempotencyKey, run_id: run.id, account_id: run.accountId, contact_id: run.contactId, channel: String(action.channel), recipient: null, payload: JSON.stringify({ template: action.template, tone: action.tone, variables: action.variables }), status: 'skipped', reason: `${decision.reason}: ${decision.detail}`, next_attempt_at: null, provider_message_id: null, created_at: now, sent_at: null }).onConflict((conflict) => conflict.column('idempotency_key').doNothing()).execute();
            return { kind: 'skipped', at: now, reason: decision.reason };
          case 'send': {
            const recipient = decision.channel === 'sms' ? (contact?.phone ?? null) : (contact?.email ?? null);
            // Written with the step, delivered by the dispatcher: a crash between the two loses nothing.
            await trx
              .insertInto('outbox')
              .values({ id: newId(now.getTime()), idempotency_key: action.idempotencyKey, run_id: run.id, account_id: run.accountId, contact_id: run.contactId, channel: decision.channel, recipient, payload: JSON.stringify({ template: action.template, tone: action.tone, variables: action.variables, contactName: contact?.name ?? null }), status: 'pending', reason: null, next_attempt_at: now, provider_message_id: null, created_at: now, sent_at: null })
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
        const owner = await this.assigneeEmail(trx, run.accountId, who);
        if (owner === null) return { kind: 'skipped', at: now, reason: `nobody is ${who} of ${run.accountId ?? 'this subject'}` };
        const objective = action.kind === 'create-task' ? action.objective : action.kind === 'alert' ? action.message : `Escalated: a task from this playbook is overdue (${action.taskKey})`;
        const dueAt = action.kind === 'create-task' ? action.dueAt : action.kind === 'alert' ? (action.dueAt ?? new Date(now.getTime() + 3_600_000)) : new Date(now.getTime() + 86_400_000);
        await createTask(trx, { ownerEmail: owner, accountId: run.accountId, contactId: run.contactId, objective, talkingPoints: action.kind === 'create-task' ? action.talkingPoints : [], dueAt, source: `playbook:${run.state.playbookId}:${action.kind}`, idempotencyKey: action.idempotencyKey }, now);
        return { kind: 'performed', at: now };
      }
      case 'update-trait':
        if (run.accountId !== null) await sql`update accounts set traits = traits || jsonb_build_object(${action.trait}::text, ${JSON.stringify(action.value)}::jsonb), updated_at = ${now} where id = ${run.accountId}`.execute(trx);
        return { kind: 'performed', at: now };
      case 'wait':
      case 'exit':
      case 'complete':
        return { kind: 'performed', at: now };
      default:
        return assertNever(action);
    }
  }

  private async work(trx: Transaction<Database>, run: ClaimedRun, now: Date): Promise<void> {
    const playbook = await playbookVersion(this.options.database, this.options.playbooks, run.state.playbookId, run.state.playbookVersion);
    let state = run.state;
    if (!playbook) {
      const ended: RunState = { ...state, version: state.version + 1, status: 'exited', stepId: null, endedAt: now, endReason: 'playbook version no longer known' };
      await saveRunState(trx, state.version, ended, null, { stepId: null, action: { kind: 'exit' }, outcome: { reason: ended.endReason } }, now);
      return;
    }
    for (let step = 0; step < 25 && state.status === 'active'; step++) {
      const action = nextAction(playbook, state, await this.context(trx, run, state, now), now);
      const outcome = await this.perform(trx, { ...run, state }, action, now);
      if (outcome.kind === 'deferred') {
        await rescheduleRun(trx, run.id, outcome.until);
        return;
      }
      const next = advance(state, action, outcome);
      const due = action.kind === 'wait' ? action.until : now;
      if (!(await saveRunState(trx, state.version, next, due, { stepId: 'stepId' in action ? action.stepId : null, action, outcome }, now))) return;
      state = next;
      if (action.kind === 'wait') return;
    }
  }
}
