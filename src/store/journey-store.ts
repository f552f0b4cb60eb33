// Journey runs in the store: entering subjects (once per active run, with the playbook's re-entry
// rule), claiming due runs with SKIP LOCKED, and saving each new state only over the version it was
// decided from, so that two workers can never both advance one run.
import { type Kysely, type Transaction, sql } from 'kysely';
import type { RunState } from '../domain/playbooks/journey-step.js';
import type { ReentryPolicy } from '../domain/playbooks/playbook-definition.js';
import { prepared } from './prepared-statements.js';
import type { Database } from './schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

const dateFields = ['enteredAt', 'waitingSince', 'lastSendAt', 'endedAt'] as const;

export function serialiseRunState(state: RunState): string {
  return JSON.stringify(state);
}

/** RunState from its JSON form (dates come back as strings). */
export function parseRunState(raw: Record<string, unknown>): RunState {
  const state = { ...raw } as Record<string, unknown>;
  for (const field of dateFields)
    state[field] = typeof state[field] === 'string' ? new Date(state[field] as string) : null;
  state.tasks = ((raw.tasks as { stepId: string; idempotencyKey: string; dueAt: string }[]) ?? []).map((task) => ({
    ...task,
    dueAt: new Date(task.dueAt),
  }));
  return state as unknown as RunState;
}

export interface NewRun {
  readonly state: RunState;
  readonly subjectKey: string;
  readonly accountId: string | null;
  readonly contactId: string | null;
  readonly trigger: Record<string, unknown>;
  readonly reentry: ReentryPolicy;
}

/**
 * The re-entry rule as a condition on the subject's latest run (none yet: always admitted). It goes
 * into the insert itself, so that entering costs one statement.
 */
function reentryAllows(run: NewRun, now: Date) {
  const latest = sql`(select ended_at from journey_runs
    where playbook_id = ${run.state.playbookId} and subject_key = ${run.subjectKey}
    order by entered_at desc limit 1)`;
  switch (run.reentry.kind) {
    case 'always':
      return sql`true`;
    case 'never':
      return sql`not exists ${latest}`;
    case 'after':
      return sql`not exists (select 1 from ${latest} as latest
        where latest.ended_at is null or latest.ended_at > ${new Date(now.getTime() - run.reentry.after.ms)})`;
    default: {
      const unknown: never = run.reentry;
      throw new Error(`unknown re-entry rule ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Starts a run unless one is active for the subject, or the re-entry rule forbids it; true if started.
 * The run keeps its account's health score of the moment (the latest day's row, within the same statement:
 * one step down the health key), for the results by risk band.
 */
export async function enterRun(trx: Executor, run: NewRun, now: Date): Promise<boolean> {
  const entryHealthScore = sql`(select score from health_scores
    where account_id = ${run.accountId}::text and day <= ${now.toISOString().slice(0, 10)}::date
    order by day desc limit 1)`;
  const inserted = await prepared(sql<{ id: string }>`
    insert into journey_runs (id, playbook_id, playbook_version, subject_key, account_id, contact_id, run_group, status,
                              state, version, next_due_at, trigger, entered_at, entry_health_score)
    select ${run.state.runId}::uuid, ${run.state.playbookId}::text, ${run.state.playbookVersion}::int,
           ${run.subjectKey}::text, ${run.accountId}::text, ${run.contactId}::text, ${run.state.group}::text,
           'active', ${serialiseRunState(run.state)}::jsonb, ${run.state.version}::int, ${now}::timestamptz,
           ${JSON.stringify(run.trigger)}::jsonb, ${now}::timestamptz, ${entryHealthScore}
    where ${reentryAllows(run, now)}
    on conflict (playbook_id, subject_key) where status = 'active' do nothing
    returning id`).execute(trx);
  return inserted.rows.length > 0;
}

export interface ClaimedRun {
  readonly id: string;
  readonly accountId: string | null;
  readonly contactId: string | null;
  readonly trigger: Record<string, unknown>;
  readonly state: RunState;
}

export async function claimDueRuns(trx: Transaction<Database>, now: Date, limit: number): Promise<ClaimedRun[]> {
  const rows = await trx
    .selectFrom('journey_runs')
    .select(['id', 'account_id', 'contact_id', 'trigger', 'state'])
    .where('status', '=', 'active')
    .where('next_due_at', '<=', now)
    .orderBy('next_due_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((row) => ({
    id: row.id,
    accountId: row.account_id,
    contactId: row.contact_id,
    trigger: row.trigger,
    state: parseRunState(row.state),
  }));
}

/**
 * Locks the accounts of claimed runs that no one else holds, and returns their ids. A run takes its
 * account's lock before it works (an `update-trait` step writes the account), never after its own run
 * row: an evaluation holds the account first and may then wait on that run row (entering the same
 * playbook), and the opposite order would deadlock the two.
 */
export async function lockRunAccounts(trx: Transaction<Database>, runs: readonly ClaimedRun[]): Promise<Set<string>> {
  const ids = [...new Set(runs.map((run) => run.accountId).filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Set();
  const locked = await trx
    .selectFrom('accounts')
    .select('id')
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .skipLocked()
    .execute();
  return new Set(locked.map((row) => row.id));
}

/** Saves the run's new state over the version it was decided from; false when another worker moved it first. */
/** One step a run took: the state's version after it, and what was done. */
export interface RunStepRecord {
  readonly version: number;
  readonly stepId: string | null;
  readonly action: unknown;
  readonly outcome: unknown;
}

/**
 * Saves a run's state after the steps it took in one round, with their history rows, in one
 * statement: a run may take several steps in a round, and each round trip cost more than the write
 * on the embedded database under ingest load (docs/benchmarks/2026-12-01-signals.md, "all the steps of
 * the round in one statement"). False when the run was not at `previousVersion` any more; the steps'
 * actions are keyed, so doing them again adds nothing.
 */
export async function saveRunState(
  trx: Executor,
  previousVersion: number,
  state: RunState,
  nextDueAt: Date | null,
  steps: readonly RunStepRecord[],
  now: Date,
  awaitingEvent: string | null = null,
): Promise<boolean> {
  const active = state.status === 'active';
  const saved = await prepared(sql<{ saved: number }>`
    with updated as (
      update journey_runs
      set state = ${serialiseRunState(state)}::jsonb, version = ${state.version}, status = ${state.status},
        next_due_at = ${active ? nextDueAt : null}::timestamptz,
        awaiting_event = ${active ? awaitingEvent : null}::text,
        ended_at = ${state.endedAt}::timestamptz, end_reason = ${state.endReason}::text,
        goal_reached = goal_reached or ${state.endReason === 'goal-reached'}
      where id = ${state.runId} and version = ${previousVersion}
      returning id
    ), history as (
      insert into run_steps (run_id, version, step_id, action, outcome, at)
      select updated.id, step.version, step.step_id, step.action, step.outcome, ${now}::timestamptz
      from updated, unnest(${steps.map((step) => step.version)}::int[], ${steps.map((step) => step.stepId)}::text[],
                           ${steps.map((step) => JSON.stringify(step.action))}::jsonb[],
                           ${steps.map((step) => JSON.stringify(step.outcome))}::jsonb[])
                    as step(version, step_id, action, outcome)
    )
    select count(*)::int8 as saved from updated`).execute(trx);
  return Number(saved.rows[0]?.saved ?? 0) > 0;
}

/** Reschedules a run without changing its state (a deferred send). */
export async function rescheduleRun(trx: Executor, runId: string, at: Date): Promise<void> {
  await trx.updateTable('journey_runs').set({ next_due_at: at }).where('id', '=', runId).execute();
}

export async function nextRunDue(database: Kysely<Database>, after: Date, until: Date): Promise<Date | null> {
  const row = await database
    .selectFrom('journey_runs')
    .select((eb) => eb.fn.min('next_due_at').as('at'))
    .where('status', '=', 'active')
    .where('next_due_at', '>', after)
    .where('next_due_at', '<=', until)
    .executeTakeFirst();
  const schedule = await database
    .selectFrom('playbook_schedules')
    .select((eb) => eb.fn.min('next_fire_at').as('at'))
    .where('next_fire_at', '>', after)
    .where('next_fire_at', '<=', until)
    .executeTakeFirst();
  const times = [row?.at, schedule?.at].filter((at): at is Date => Boolean(at)).map((at) => new Date(at).getTime());
  return times.length === 0 ? null : new Date(Math.min(...times));
}

/**
 * Claims a scheduled playbook whose firing time has come (SKIP LOCKED: one worker fires it) and moves
 * its next firing time on; a playbook seen for the first time is only scheduled, not fired. Returns
 * true when the caller should fire it now, inside `trx`.
 */
export async function claimScheduleFiring(
  trx: Transaction<Database>,
  playbookId: string,
  now: Date,
  nextAfter: (at: Date) => Date,
): Promise<boolean> {
  const row = await trx
    .selectFrom('playbook_schedules')
    .select('next_fire_at')
    .where('playbook_id', '=', playbookId)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (!row) {
    await trx
      .insertInto('playbook_schedules')
      .values({ playbook_id: playbookId, next_fire_at: nextAfter(now) })
      .onConflict((conflict) => conflict.column('playbook_id').doNothing())
      .execute();
    return false;
  }
  if (row.next_fire_at > now) return false;
  // Times missed while Tend was down fire once, not once each.
  await trx
    .updateTable('playbook_schedules')
    .set({ next_fire_at: nextAfter(now) })
    .where('playbook_id', '=', playbookId)
    .execute();
  return true;
}

/** Makes the runs of these accounts that wait for one of these events due now (the event has come). */
export async function wakeRunsAwaiting(
  trx: Executor,
  accountIds: readonly string[],
  eventNames: readonly string[],
  now: Date,
): Promise<void> {
  if (accountIds.length === 0 || eventNames.length === 0) return;
  await sql`update journey_runs set next_due_at = ${now}
    where status = 'active' and account_id = any(${[...accountIds].sort()}::text[])
      and awaiting_event = any(${[...eventNames]}::text[]) and next_due_at > ${now}`.execute(trx);
}
