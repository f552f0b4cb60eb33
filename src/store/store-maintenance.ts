// Housekeeping the embedded database does not do by itself. PGlite runs PostgreSQL in single-user
// mode, without the autovacuum launcher (dead rows were seen to stay, see
// docs/benchmarks/2026-12-07-figures-from-comments.md), so tables that are updated or used as queues
// would grow without end and their index scans slow down. A real PostgreSQL vacuums on its own and
// needs none of this.
//
// Like autovacuum, a table is vacuumed only once its dead rows are a share of its live ones, and
// analyzed once its changes are: a vacuum reads the whole of a table's indexes, so vacuuming every
// table every day made each day cost more as history (health rows, activity days) piled up
// (docs/benchmarks/2026-12-07-year-of-history.md). With thresholds proportional to size, a large table is
// vacuumed less often, and the work per day follows the day's changes, not the table's age.
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/** Tables whose rows are updated or deleted all day: due-times, queues, runs, messages, signals, daily counts. */
const churnedTables = [
  'accounts',
  'account_event_queue',
  'journey_triggers',
  'journey_runs',
  'outbox',
  'signals',
  'health_scores',
  'tasks',
  'contacts',
  'account_activity_days',
  'contact_activity_days',
] as const;

/** PostgreSQL's own autovacuum defaults: a base number of rows plus a share of the live ones. */
export const upkeepThresholds = {
  vacuum: { base: 50, share: 0.2 },
  analyze: { base: 50, share: 0.1 },
} as const;

export interface TableActivity {
  readonly table: string;
  readonly liveRows: number;
  readonly deadRows: number;
  readonly changedSinceAnalyze: number;
}

/** Which tables are due a vacuum (with analyze), and which only an analyze. */
export function upkeepDue(tables: readonly TableActivity[]): { vacuum: string[]; analyze: string[] } {
  const vacuum: string[] = [];
  const analyze: string[] = [];
  for (const table of tables) {
    const { base, share } = upkeepThresholds.vacuum;
    if (table.deadRows > base + share * table.liveRows) vacuum.push(table.table);
    else if (
      table.changedSinceAnalyze >
      upkeepThresholds.analyze.base + upkeepThresholds.analyze.share * table.liveRows
    )
      analyze.push(table.table);
  }
  return { vacuum, analyze };
}

/**
 * Vacuums (and analyzes) the churned tables that have enough dead rows, and analyzes those changed
 * enough, outside any transaction (VACUUM cannot run in one). Returns what it did.
 */
export async function vacuumChurnedTables(
  database: Kysely<Database>,
): Promise<{ vacuum: string[]; analyze: string[] }> {
  // The counts are flushed to the shared statistics at most once a second unless asked; the next
  // statement then reads this process's latest changes too.
  await sql`select pg_stat_force_next_flush()`.execute(database);
  const tables = [...churnedTables];
  const { rows } = await sql<{ table: string; live: string; dead: string; changed: string }>`
    select relname as table, n_live_tup as live, n_dead_tup as dead, n_mod_since_analyze as changed
    from pg_stat_user_tables where schemaname = current_schema() and relname = any(${tables}::text[])`.execute(
    database,
  );
  const activity = rows.map((row) => ({
    table: row.table,
    liveRows: Number(row.live),
    deadRows: Number(row.dead),
    changedSinceAnalyze: Number(row.changed),
  }));
  // A table never counted yet (a fresh start) is vacuumed: better once too often than a bloat unseen.
  const counted = new Set(activity.map((table) => table.table));
  const due = upkeepDue(activity);
  due.vacuum.push(...churnedTables.filter((table) => !counted.has(table)));
  if (due.vacuum.length > 0) await sql.raw(`vacuum (analyze) ${due.vacuum.join(', ')}`).execute(database);
  if (due.analyze.length > 0) await sql.raw(`analyze ${due.analyze.join(', ')}`).execute(database);
  return due;
}
