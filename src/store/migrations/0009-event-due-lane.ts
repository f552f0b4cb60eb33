// Accounts an event made due are evaluated before the time-driven sweep: at midnight every account
// with activity is due, and an event must not wait behind all of them (measured: minutes at 1 M).
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    alter table accounts add column event_due_at timestamptz;
    create index accounts_event_due on accounts (event_due_at) where event_due_at is not null;
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop index accounts_event_due; alter table accounts drop column event_due_at;`.execute(database);
}
