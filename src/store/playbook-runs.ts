// A playbook's runs in progress: how many stand at each step (for everyone: counts name no customer),
// and the runs themselves with the step each is at, only those of a viewer's book, a page at a time.
import { type Kysely, sql } from 'kysely';
import type { Book } from '../domain/viewer.js';
import { accountInBook } from './book-scope.js';
import { exactTime } from './exact-time.js';
import type { Database } from './schema.js';

export interface StepCountRow {
  readonly stepId: string | null;
  readonly group: 'treated' | 'holdout';
  readonly runs: number;
}

export async function activeRunsByStep(database: Kysely<Database>, playbookId: string): Promise<StepCountRow[]> {
  const rows = await sql<{ step_id: string | null; run_group: 'treated' | 'holdout'; runs: number }>`
    select state->>'stepId' as step_id, run_group, count(*)::int as runs from journey_runs
    where playbook_id = ${playbookId} and status = 'active'
    group by 1, 2`.execute(database);
  return rows.rows.map((row) => ({ stepId: row.step_id, group: row.run_group, runs: row.runs }));
}

/** Where a page of runs starts: after the run entered at this instant with this id (newest first). */
export interface RunPosition {
  readonly enteredAt: string;
  readonly id: string;
}

export interface RunRow {
  readonly id: string;
  readonly accountId: string | null;
  readonly accountName: string | null;
  readonly contactId: string | null;
  readonly contactName: string | null;
  readonly group: 'treated' | 'holdout';
  readonly stepId: string | null;
  readonly enteredAt: Date;
  readonly atStepSince: Date | null;
  readonly nextDueAt: Date | null;
  readonly awaitingEvent: string | null;
  readonly position: RunPosition;
}

/** The book's runs of the playbook in progress, newest first; one more than `limit` when there are more. */
export async function activeRuns(
  database: Kysely<Database>,
  query: { playbookId: string; book: Book; limit: number; after: RunPosition | null },
): Promise<RunRow[]> {
  const { after } = query;
  const cursor = sql`(${after?.enteredAt}::timestamptz, ${after?.id}::uuid)`;
  const past = after === null ? sql`` : sql`and (runs.entered_at, runs.id) < ${cursor}`;
  const rows = await sql<{
    id: string;
    account_id: string | null;
    account_name: string | null;
    contact_id: string | null;
    contact_name: string | null;
    run_group: 'treated' | 'holdout';
    step_id: string | null;
    entered_at: Date;
    waiting_since: string | null;
    next_due_at: Date | null;
    awaiting_event: string | null;
    position: string;
  }>`
    select runs.id, runs.account_id, accounts.name as account_name, runs.contact_id, contacts.name as contact_name,
      runs.run_group, runs.state->>'stepId' as step_id, runs.entered_at, runs.state->>'waitingSince' as waiting_since,
      runs.next_due_at, runs.awaiting_event, ${exactTime(sql`runs.entered_at`)} as position
    from journey_runs runs
    left join accounts on accounts.id = runs.account_id
    left join contacts on contacts.id = runs.contact_id
    where runs.playbook_id = ${query.playbookId} and runs.status = 'active'
      and ${accountInBook(query.book, 'runs.account_id')} ${past}
    order by runs.entered_at desc, runs.id desc
    limit ${query.limit + 1}`.execute(database);
  return rows.rows.map((row) => ({
    id: row.id,
    accountId: row.account_id,
    accountName: row.account_name,
    contactId: row.contact_id,
    contactName: row.contact_name,
    group: row.run_group,
    stepId: row.step_id,
    enteredAt: row.entered_at,
    atStepSince: row.waiting_since === null ? null : new Date(row.waiting_since),
    nextDueAt: row.next_due_at,
    awaitingEvent: row.awaiting_event,
    position: { enteredAt: row.position, id: row.id },
  }));
}
