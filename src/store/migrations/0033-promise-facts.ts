// Promises made to an account (`Promise Made`, `… Changed`, `… Kept`, `… Withdrawn`) become relationship
// facts: kept in account_facts like invoices, and read whole however old they are, since a promise made
// two years ago can still be open. The partial index lets an evaluation read them without the account's
// older facts. Promise events stored before this migration are copied in.
import { type Kysely, sql } from 'kysely';

const promiseNames = ['Promise Made', 'Promise Changed', 'Promise Kept', 'Promise Withdrawn'];

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`insert into account_facts (account_id, name, occurred_at, contact_id, properties)
    select account_id, name, occurred_at, contact_id, properties from events
    where account_id is not null and name = any(${promiseNames}::text[])`.execute(database);
  await sql`create index account_facts_promises on account_facts (account_id) where name like 'Promise %'`.execute(
    database,
  );
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop index account_facts_promises`.execute(database);
  await sql`delete from account_facts where name like 'Promise %'`.execute(database);
}
