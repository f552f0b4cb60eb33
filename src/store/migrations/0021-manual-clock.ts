// Where a manual clock stands, so that a Tend restarted on the same store goes on from there instead of
// going back to TEND_CLOCK_START (its events, runs and deadlines already lie beyond that instant).
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    create table manual_clock (
      only_row boolean primary key default true check (only_row),
      stands_at timestamptz not null
    )`.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop table manual_clock`.execute(database);
}
