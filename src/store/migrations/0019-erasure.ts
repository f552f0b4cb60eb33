// Erasure of a person (GDPR article 17): what must outlive their data is an opt-out that keeps being
// honoured, so their user ids, e-mail addresses and phone numbers are kept as SHA-256 hashes only, never
// linked to the pseudonym their remaining records carry. Their anonymous events (before they were
// identified) are found by anonymous id, which needs an index on the few events that have no person.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    create table erased_identities (
      identity_hash text primary key,
      kind text not null check (kind in ('user-id', 'email', 'phone')),
      erased_at timestamptz not null
    );
    create index events_anonymous on events (anonymous_id) where contact_id is null and anonymous_id is not null;
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop index events_anonymous; drop table erased_identities;`.execute(database);
}
