// A manager's "escalated to me": the open tasks escalated to a person, in due order, without reading
// every task of the book.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`create index tasks_escalated_open on tasks (escalated_to, due_at, id)
    where status = 'open' and escalated_to is not null`.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop index tasks_escalated_open`.execute(database);
}
