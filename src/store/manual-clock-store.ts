// The instant a manual clock stands at, kept in the store: each move is saved before the work due at
// the new instant runs, so a restart (or a crash) resumes at the latest instant any work saw.
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/** Where the manual clock last stood, or null on a store that never ran one. */
export async function storedClockInstant(database: Kysely<Database>): Promise<Date | null> {
  const row = await database.selectFrom('manual_clock').select('stands_at').executeTakeFirst();
  return row?.stands_at ?? null;
}

/** Saves where the manual clock stands; never moves the stored instant back. */
export async function storeClockInstant(database: Kysely<Database>, at: Date): Promise<void> {
  await sql`insert into manual_clock (only_row, stands_at) values (true, ${at})
    on conflict (only_row) do update set stands_at = greatest(manual_clock.stands_at, excluded.stands_at)`.execute(
    database,
  );
}
