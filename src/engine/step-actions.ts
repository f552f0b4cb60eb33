// Performs a run's step actions in the run's transaction: a send written to the outbox (or skipped, or
// deferred), a task, an alert or an escalation for the person named, a trait set on the account.
import { type Transaction, sql } from 'kysely';
import { channelsByExpectedResponse, learnFromSends } from '../domain/models/channel-learning.js';
import type { StepAction, StepOutcome } from '../domain/playbooks/journey-step.js';
import { type MessagePriority, priorityRank } from '../domain/playbooks/message-priority.js';
import type { Assignee, MessageChannel } from '../domain/playbooks/playbook-definition.js';
import type { RunEvent } from '../domain/playbooks/run-conditions.js';
import { decideSend, defaultSendPolicy, type SendPolicy } from '../domain/playbooks/send-policy.js';
import { assertNever } from '../domain/tracking-message.js';
import { channelSendOutcomes } from '../store/channel-history.js';
import { newId } from '../store/ids.js';
import type { ClaimedRun } from '../store/journey-store.js';
import { cappedStatuses } from '../store/outbox-store.js';
import type { Database } from '../store/schema.js';
import { loadSendContact } from '../store/send-contact.js';
import { createTask, taskCreatedProperties } from '../store/task-store.js';
import { taskNotice } from '../domain/task-notices.js';
import { notifyStaff } from './staff-notices.js';
import { promiseWords } from '../domain/relationship/promises.js';
import { promisesOfAccount } from '../store/promise-store.js';

/**
 * What a run's round remembers between its steps: the people named so far, the events the last step
 * recorded.
 */
export interface RoundMemory {
  readonly assignees: Map<Assignee, string | null>;
  recorded: RunEvent[];
}

const weekMilliseconds = 7 * 86_400_000;

/**
 * Performs one action inside the run's transaction; returns its outcome, or a time to come back
 * (deferred). Events it records about the run's subject are added to `round.recorded`.
 */
export async function performAction(
  trx: Transaction<Database>,
  run: ClaimedRun,
  action: StepAction,
  now: Date,
  round: RoundMemory,
  sendPolicy: SendPolicy | undefined,
  { promiseDueDays }: { promiseDueDays?: number | undefined } = {},
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
              // Automated messages only: a person's reply in a conversation (no run) is not one.
              .where('run_id', 'is not', null)
              .where('status', 'in', [...cappedStatuses])
              .where('created_at', '>', new Date(now.getTime() - weekMilliseconds))
              .execute();
      const decision = decideSend({
        channel: action.channel,
        fallback: action.fallback,
        ranking:
          action.channel === 'best' && run.contactId !== null ? await channelRanking(trx, run.contactId, now) : [],
        contact,
        recentAutomatedSends: recent.map((row) => row.created_at),
        now,
        policy: sendPolicy ?? defaultSendPolicy,
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
              ...ofPlaybook(run, action.priority),
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
              ...ofPlaybook(run, action.priority),
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
      const owner =
        who === 'promise-owner'
          ? await promiseOwnerEmail(trx, run, now)
          : await assigneeEmail(trx, run.accountId, who, round.assignees);
      if (owner === null)
        return { kind: 'skipped', at: now, reason: `nobody is ${who} of ${run.accountId ?? 'this subject'}` };
      // The account's owner who also owns the promise hears of it once.
      if (who === 'promise-owner' && owner === (await assigneeEmail(trx, run.accountId, 'owner', round.assignees)))
        return { kind: 'skipped', at: now, reason: `the promise's owner ${owner} is the account's owner` };
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
          talkingPoints:
            action.kind === 'create-task'
              ? await withPromises(trx, run.accountId, action.talkingPoints, now, promiseDueDays)
              : [],
          dueAt,
          source: `playbook:${run.state.playbookId}:${action.kind}`,
          idempotencyKey: action.idempotencyKey,
        },
        now,
      );
      if (created.created) {
        round.recorded.push({ name: 'Task Created', at: now, properties: taskCreatedProperties(created.task) });
        // Its person hears of it as they chose (an alert at once by default), in the run's transaction.
        const { task } = created;
        await notifyStaff(
          trx,
          taskNotice(
            { id: task.id, accountId: run.accountId, objective, dueAt, ownerEmail: owner },
            { kind: 'playbook', step: action.kind, playbookId: String(run.state.playbookId) },
          ),
          now,
        );
      }
      return { kind: 'performed', at: now };
    }
    case 'update-trait':
      if (run.accountId !== null)
        await sql`update accounts
          set traits = traits || jsonb_build_object(${action.trait}::text, ${JSON.stringify(action.value)}::jsonb),
            updated_at = ${now}
          where id = ${run.accountId}`.execute(trx);
      return { kind: 'performed', at: now };
    case 'wait':
    case 'exit':
    case 'complete':
      return { kind: 'performed', at: now };
    default:
      return assertNever(action);
  }
}

/** The columns that tie a run's message to its playbook: its progress, and how soon it is claimed. */
function ofPlaybook(run: ClaimedRun, priority: MessagePriority): { playbook_id: string; priority: number } {
  return { playbook_id: run.state.playbookId, priority: priorityRank(priority) };
}

/**
 * The channels this person answers, best first: learned from their own replies and clicks to
 * earlier messages, starting from what people in general answer (e-mail a little above SMS).
 */
async function channelRanking(trx: Transaction<Database>, contactId: string, now: Date): Promise<MessageChannel[]> {
  return channelsByExpectedResponse(learnFromSends(await channelSendOutcomes(trx, contactId, now))) as MessageChannel[];
}

/** A task's talking points, and what to raise about the account's broken or soon-due promises. */
async function withPromises(
  trx: Transaction<Database>,
  accountId: string | null,
  talkingPoints: readonly string[],
  now: Date,
  promiseDueDays: number | undefined,
): Promise<readonly string[]> {
  if (accountId === null) return talkingPoints;
  const promises = promiseWords(await promisesOfAccount(trx, accountId, now), now, promiseDueDays);
  return [...talkingPoints, ...promises.talkingPoints];
}

/**
 * The owner of the promise whose signal started the run, when they are a Tend user (a team is nobody to
 * task); null otherwise.
 */
async function promiseOwnerEmail(trx: Transaction<Database>, run: ClaimedRun, now: Date): Promise<string | null> {
  const signalId = typeof run.trigger.signalId === 'string' ? run.trigger.signalId : null;
  if (signalId === null || run.accountId === null) return null;
  const signal = await trx
    .selectFrom('signals')
    .select(['kind', 'instance'])
    .where('id', '=', signalId)
    .executeTakeFirst();
  if (signal === undefined || !signal.kind.startsWith('promise-')) return null;
  const promise = (await promisesOfAccount(trx, run.accountId, now)).find(
    (candidate) => candidate.promiseId === signal.instance,
  );
  if (!promise?.owner) return null;
  const user = await trx
    .selectFrom('users')
    .select('email')
    .where('email', '=', promise.owner)
    .where('active', '=', true)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return user?.email ?? null;
}

/**
 * The user an assignee names for this account: its owner, the owner's manager, or the first user with
 * a role.
 */
async function assigneeEmail(
  trx: Transaction<Database>,
  accountId: string | null,
  assignee: Assignee,
  known: Map<Assignee, string | null>,
): Promise<string | null> {
  // A run's steps in one round name the same people: each is looked up once.
  if (known.has(assignee)) return known.get(assignee)!;
  const email = await lookUpAssignee(trx, accountId, assignee);
  known.set(assignee, email);
  return email;
}

async function lookUpAssignee(
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
  const manager = await sql<{ email: string }>`select manager.email from users rep
    join users manager on manager.id = rep.manager_id where rep.email = ${owner.owner_email}`.execute(trx);
  return manager.rows[0]?.email ?? null;
}
