// Housekeeping the embedded database does not do by itself. PGlite runs PostgreSQL in single-user
// mode, without the autovacuum launcher (dead rows were seen to stay, see
// docs/benchmarks/2026-12-07-figures-from-comments.md), so tables that are updated or used as queues
// would grow without end and their index scans slow down. A real PostgreSQL vacuums on its own and
// needs none of this.
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

/** Vacuums and analyzes the churned tables (outside any transaction: VACUUM cannot run in one). */
export async function vacuumChurnedTables(database: Kysely<Database>): Promise<void> {
  await sql.raw(`vacuum (analyze) ${churnedTables.join(', ')}`).execute(database);
}
