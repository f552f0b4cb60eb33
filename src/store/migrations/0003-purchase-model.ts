// P(alive) per account from the BG/NBD model fitted on all accounts' purchases, refreshed daily.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`alter table accounts add column probability_alive double precision`.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`alter table accounts drop column probability_alive`.execute(database);
}
