// Touches found by the person they were with: a touch imported before its person's row (files come in
// any order) is attached to the person's account when the person arrives, and a person's export and
// erasure find their touches without reading every account's.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`create index interactions_contact on interactions (contact_id) where contact_id is not null`.execute(
    database,
  );
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop index interactions_contact`.execute(database);
}
