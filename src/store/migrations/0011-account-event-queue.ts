// The event lane becomes a queue of its own. Marking an account due used to update its row, and so
// waited for any evaluation holding that row, with every ingest request queued behind the one waiting
// (docs/benchmarks/2026-11-30-signals.md, "The event lane as a queue table"). An insert into a queue
// waits for nobody; the engine deletes the rows it has seen in the transaction that evaluates the
// account, so an event committed during an evaluation leaves its row for the next one.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    create table account_event_queue (
      account_id text not null,
      due_at timestamptz not null
    );
    create index account_event_queue_due on account_event_queue (due_at);
    create index account_event_queue_account on account_event_queue (account_id, due_at);
    insert into account_event_queue (account_id, due_at)
      select id, event_due_at from accounts where event_due_at is not null;
  `.execute(database);
  // accounts.event_due_at stays (unused) for now: a process of the previous version still running
  // against the same PostgreSQL writes it, and would fail on every ingest if it were dropped here.
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`
    update accounts set event_due_at = queued.due_at
      from (select account_id, min(due_at) as due_at from account_event_queue group by account_id) queued
      where accounts.id = queued.account_id;
    drop table account_event_queue;
  `.execute(database);
}
