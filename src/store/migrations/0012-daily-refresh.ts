// Two due-times per account instead of one. `next_check_at` becomes exact: the next instant at which
// time alone raises or clears a signal (a cadence coming due, a deadline passing). `refresh_due_at`
// is the daily look at everything that drifts a little each day (days overdue in a reason, activity
// windows, P(alive), the health history). With one due-time every account came due at each UTC
// midnight, and a cadence falling due waited behind a long refresh of all
// (docs/benchmarks/2026-11-30-signals.md, "deadlines apart from the daily refresh").
//
// The first midnight after the upgrade is like the old ones (every account's old due-time is that
// midnight, all in the deadline lane), and so is every account a process of the previous version
// evaluates while both run: that version never moves `refresh_due_at`, so such an account may be
// evaluated twice that day. Nothing is lost either way. Adding the column is instant; the index is
// built under the table's lock, briefly (docs/benchmarks/2026-12-07-figures-from-comments.md).
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  // No backfill: every account evaluated before has a next_check_at at or before the next midnight
  // (the old rule), and its next evaluation sets both due-times.
  await sql`
    alter table accounts add column refresh_due_at timestamptz;
    create index accounts_refresh_due on accounts (refresh_due_at) where refresh_due_at is not null;
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`
    update accounts set next_check_at = least(coalesce(next_check_at, refresh_due_at), refresh_due_at)
      where refresh_due_at is not null;
    drop index accounts_refresh_due;
    alter table accounts drop column refresh_due_at;
  `.execute(database);
}
