// Accounts an event made due are evaluated before the time-driven sweep: at midnight every account
// with activity is due, and an event must not wait behind all of them
// (docs/benchmarks/2026-11-23-signals.md, "Where the time goes").
// Also the indexes the playbooks' lookups by phone and by subject need.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    alter table accounts add column event_due_at timestamptz;
    create index accounts_event_due on accounts (event_due_at) where event_due_at is not null;
    -- Inbound texts and STOP find their contact by phone number.
    create index contacts_phone on contacts (phone) where phone is not null;
    -- The re-entry rule looks up a subject's latest run of a playbook (segment and schedule triggers ask often).
    create index journey_runs_subject on journey_runs (playbook_id, subject_key, entered_at desc);
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop index journey_runs_subject; drop index contacts_phone; drop index accounts_event_due;
    alter table accounts drop column event_due_at;`.execute(database);
}
