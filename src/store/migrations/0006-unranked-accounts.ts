// Finding due accounts without a tier must not scan every due account; a partial index answers it at
// once (docs/benchmarks/2026-11-23-signals.md, "Where the time goes").
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`create index accounts_unranked_due on accounts (next_check_at) where tier is null`.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop index accounts_unranked_due`.execute(database);
}
