// How many rows each of Tend's tables holds: printed after a backup is restored, so a person sees at a
// glance that the events, signals, runs and messages they expect are there.
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/** Rows per table of the public schema, by table name (a partitioned table counted once, whole). */
export type RecordCounts = Readonly<Record<string, number>>;

export async function countRecords(database: Kysely<Database>): Promise<RecordCounts> {
  const tables = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
    order by c.relname`.execute(database);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const result = await sql<{ count: number }>`select count(*)::int8 as count from ${sql.table(name)}`.execute(
      database,
    );
    counts[name] = Number(result.rows[0]?.count ?? 0);
  }
  return counts;
}
