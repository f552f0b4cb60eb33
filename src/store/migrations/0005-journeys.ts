// Playbooks (versioned), each subject's run through one (its state, version, next due time and
// history), the outbox of actions keyed for idempotency, and consent and do-not-contact records.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    create table playbooks (
      id text primary key,
      version integer not null,
      name text not null,
      enabled boolean not null,
      definition jsonb not null,
      source_file text,
      loaded_at timestamptz not null
    );
    create table playbook_versions (
      playbook_id text not null,
      version integer not null,
      definition jsonb not null,
      loaded_at timestamptz not null,
      primary key (playbook_id, version)
    );

    create table journey_runs (
      id uuid primary key,
      playbook_id text not null,
      playbook_version integer not null,
      subject_key text not null,
      account_id text,
      contact_id text,
      run_group text not null check (run_group in ('treated', 'holdout')),
      status text not null check (status in ('active', 'exited', 'completed')),
      state jsonb not null,
      version integer not null,
      next_due_at timestamptz,
      trigger jsonb not null default '{}',
      entered_at timestamptz not null,
      ended_at timestamptz,
      end_reason text,
      goal_reached boolean not null default false
    );
    create unique index journey_runs_one_active on journey_runs (playbook_id, subject_key) where status = 'active';
    create index journey_runs_due on journey_runs (next_due_at) where status = 'active';
    create index journey_runs_playbook on journey_runs (playbook_id, entered_at);

    -- Every state change of a run, keyed by its version: a stale change cannot be recorded twice.
    create table run_steps (
      run_id uuid not null,
      version integer not null,
      step_id text,
      action jsonb not null,
      outcome jsonb not null,
      at timestamptz not null,
      primary key (run_id, version)
    );

    create table outbox (
      id uuid primary key,
      idempotency_key text not null unique,
      run_id uuid,
      account_id text,
      contact_id text,
      channel text not null,
      recipient text,
      payload jsonb not null,
      status text not null check (status in ('pending', 'sent', 'delivered-locally', 'skipped', 'failed')),
      reason text,
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      provider_message_id text,
      created_at timestamptz not null,
      sent_at timestamptz
    );
    create index outbox_pending on outbox (next_attempt_at) where status = 'pending';
    create index outbox_contact on outbox (contact_id, created_at desc);

    create table consents (
      contact_id text not null,
      channel text not null,
      status text not null check (status in ('opted-in', 'opted-out')),
      at timestamptz not null,
      source text not null,
      primary key (contact_id, channel)
    );
    create table do_not_contact (
      value text primary key,
      reason text,
      at timestamptz not null
    );
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop table do_not_contact; drop table consents; drop table outbox; drop table run_steps;
    drop table journey_runs; drop table playbook_versions; drop table playbooks;`.execute(database);
}
