// Events that start playbooks (an outage, a new lead's form) are queued in the transaction that
// stores them, so a run starts even if the process stops right after the commit; the journey engine
// drains the queue with SKIP LOCKED. A run waiting for an event names it, so that the event, when it
// comes, makes the run due at once instead of at its timeout. Scheduled playbooks keep their next
// firing time in the store, so a restart neither skips nor repeats one. Links in e-mails go through
// Tend (message_links, tokens hashed), so a click is recorded as Message Clicked.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    create table journey_triggers (
      id bigint generated always as identity primary key,
      event_name text not null,
      account_id text,
      contact_id text,
      properties jsonb not null,
      occurred_at timestamptz not null,
      queued_at timestamptz not null
    );
    create table playbook_schedules (
      playbook_id text primary key,
      next_fire_at timestamptz not null
    );
    create table message_links (
      token_hash text primary key,
      outbox_id uuid not null,
      url text not null
    );
    create index message_links_outbox on message_links (outbox_id);
    alter table journey_runs add column awaiting_event text;
    create index journey_runs_awaiting on journey_runs (account_id, awaiting_event)
      where status = 'active' and awaiting_event is not null;
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop index journey_runs_awaiting; alter table journey_runs drop column awaiting_event;
    drop table message_links; drop table playbook_schedules; drop table journey_triggers`.execute(database);
}
