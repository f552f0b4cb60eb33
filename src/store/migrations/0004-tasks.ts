// Tasks: follow-ups for a person (usually an account's owner) with a due time, an objective and
// talking points, an outcome when done, and an escalation to the owner's manager when late.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    create table tasks (
      id uuid primary key,
      idempotency_key text unique,
      account_id text,
      contact_id text,
      owner_email text not null,
      objective text not null,
      talking_points jsonb not null default '[]',
      due_at timestamptz not null,
      status text not null default 'open' check (status in ('open', 'done', 'cancelled')),
      outcome text check (outcome in ('reached', 'no-answer', 'saved', 'lost', 'other')),
      note text,
      source text not null default 'manual',
      created_at timestamptz not null,
      completed_at timestamptz,
      escalated_at timestamptz,
      escalated_to text
    );
    create index tasks_owner_open on tasks (owner_email, due_at) where status = 'open';
    create index tasks_escalation_due on tasks (due_at) where status = 'open' and escalated_at is null;
    create index tasks_account on tasks (account_id, created_at desc);
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop table tasks`.execute(database);
}
