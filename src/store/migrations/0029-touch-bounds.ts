// An account's last spoken contact and its last substantive one, each found with one index probe
// rather than by reading all its touches: an evaluation reads touches from the last conversation on,
// and the cost of a day's evaluations must not grow with the years of touches behind it.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`create index interactions_spoken on interactions (account_id, occurred_at desc)
    where channel in ('phone', 'video', 'meeting')`.execute(database);
  await sql`create index interactions_substantive on interactions (account_id, occurred_at desc)
    where two_way and actor in ('rep', 'customer')`.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop index interactions_substantive`.execute(database);
  await sql`drop index interactions_spoken`.execute(database);
}
