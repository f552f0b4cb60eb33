// Erasure of a person (GDPR article 17), in one transaction: their personal data goes from every table,
// their records stay under a pseudonym (erased:<uuid>) so that accounts keep their history and counts,
// and what the law requires stays: a record that the erasure happened, and an opt-out kept as hashes.
// What each table keeps is decided in erasure-person-rows.ts and erasure-mentions.ts.
import { randomUUID } from 'node:crypto';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { AuditActor } from '../domain/audit.js';
import { identitiesInTraits, mentionPatterns, type PersonIdentities } from '../domain/personal-data.js';
import type { JsonObject } from '../domain/tracking-message.js';
import { recordAuditEntry } from './audit-log.js';
import {
  ErasureCounts,
  type ErasureScope,
  eraseFromUnknownTables,
  eraseQuotesAboutPerson,
} from './erasure-mentions.js';
import { erasePersonRows } from './erasure-person-rows.js';
import { type ErasedIdentity, restoreErasedIdentities, suppressIdentities } from './erasure-suppression.js';
import { markAccountsDue } from './account-event-queue.js';
import { retriedTransaction } from './contention-retry.js';
import type { Database } from './schema.js';
import { anonymousAlias } from './tracking-writer.js';

export interface ErasureOutcome {
  /** The pseudonym the person's remaining records carry; nothing links it to who they were. */
  readonly erasedId: string;
  readonly erasedAt: string;
  /** Rows changed or deleted per table. */
  readonly rows: Record<string, number>;
}

/** A person as stored: every id they are known by, and where their data may be quoted. */
export interface StoredPerson {
  /** Their current user id first, then ids merged into it. */
  readonly ids: string[];
  readonly anonymousIds: string[];
  readonly accountIds: string[];
  readonly identities: PersonIdentities;
}

type Reader = Kysely<Database> | Transaction<Database>;

/**
 * Finds the person a user id names (an id merged into another resolves to the survivor), with all
 * their ids; null for an unknown id. Locks their contact row, so that two erasures take turns.
 */
export async function findStoredPerson(trx: Reader, userId: string): Promise<StoredPerson | null> {
  const alias = await trx
    .selectFrom('contact_aliases')
    .select('contact_id')
    .where('alias', '=', userId)
    .executeTakeFirst();
  let main = alias?.contact_id ?? userId;
  for (let hops = 0; ; hops++) {
    const row = await trx
      .selectFrom('contacts')
      .select('merged_into')
      .where('id', '=', main)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return null;
    if (row.merged_into === null || hops > 20) break;
    main = row.merged_into;
  }
  const ids = [main];
  const anonymousIds: string[] = [];
  for (let index = 0; index < ids.length; index++) {
    const known = ids[index]!;
    const aliases = await trx.selectFrom('contact_aliases').select('alias').where('contact_id', '=', known).execute();
    const merged = await trx.selectFrom('contacts').select('id').where('merged_into', '=', known).execute();
    for (const other of [...aliases.map((row) => row.alias), ...merged.map((row) => row.id)]) {
      if (other.startsWith(anonymousAlias(''))) anonymousIds.push(other.slice(anonymousAlias('').length));
      else if (!ids.includes(other)) ids.push(other);
    }
  }
  const theirEvents = sql`(contact_id = any(${ids}::text[])
    or (contact_id is null and anonymous_id = any(${anonymousIds}::text[])))`;
  const accounts = await sql<{ account_id: string }>`
    select account_id from memberships where contact_id = any(${ids}::text[])
    union select account_id from contacts where id = any(${ids}::text[]) and account_id is not null
    union select distinct account_id from events where account_id is not null and ${theirEvents}`.execute(trx);
  const identities = await identitiesOf(trx, [...ids, ...anonymousIds], ids, theirEvents);
  return { ids, anonymousIds, accountIds: accounts.rows.map((row) => row.account_id), identities };
}

/** Their e-mail addresses, phone numbers and names: from their contact rows, and every identify call they made. */
async function identitiesOf(
  trx: Reader,
  allIds: string[],
  contactIds: string[],
  theirEvents: RawBuilder<unknown>,
): Promise<PersonIdentities> {
  const contacts = await trx
    .selectFrom('contacts')
    .select(['email', 'phone', 'name', 'traits'])
    .where('id', 'in', contactIds)
    .execute();
  const identified = await sql<{ traits: Record<string, unknown> }>`
    select distinct jsonb_build_object('email', properties->'email', 'phone', properties->'phone',
      'name', properties->'name', 'firstName', properties->'firstName', 'lastName', properties->'lastName') as traits
    from events where type = 'identify' and ${theirEvents}`.execute(trx);
  const emails = new Set<string>();
  const phones = new Set<string>();
  const names = new Set<string>();
  const traits = [
    ...contacts.map((row) => ({ ...row.traits, email: row.email, phone: row.phone, name: row.name })),
    ...identified.rows.map((row) => row.traits),
  ];
  for (const each of traits) {
    const present = Object.fromEntries(Object.entries(each).filter(([, value]) => value !== null)) as JsonObject;
    const found = identitiesInTraits(present);
    found.emails.forEach((email) => emails.add(email));
    found.phones.forEach((phone) => phones.add(phone));
    found.names.forEach((name) => names.add(name));
  }
  return { ids: allIds, emails: [...emails], phones: [...phones], names: [...names] };
}

/** Erases the person a user id names, all or nothing; null when Tend knows no such person. */
export async function erasePerson(
  database: Kysely<Database>,
  userId: string,
  actor: AuditActor,
  now: Date,
): Promise<ErasureOutcome | null> {
  // A deadlock with a concurrent write (an event for their account) is retried whole: nothing is half-done.
  return retriedTransaction(database, async (trx) => {
    const person = await findStoredPerson(trx, userId);
    return person === null ? null : eraseStoredPerson(trx, person, actor, now);
  });
}

async function eraseStoredPerson(
  trx: Transaction<Database>,
  person: StoredPerson,
  actor: AuditActor,
  now: Date,
): Promise<ErasureOutcome> {
  const scope: ErasureScope = {
    erasedId: `erased:${randomUUID()}`,
    ids: person.ids,
    anonymousIds: person.anonymousIds,
    person: person.identities,
    accountIds: person.accountIds,
    own: mentionPatterns(person.identities, 'own records'),
    others: mentionPatterns(person.identities, 'other records'),
    now,
  };
  const counts = new ErasureCounts();
  await erasePersonRows(trx, scope, counts);
  await eraseQuotesAboutPerson(trx, scope, counts);
  for (const [table, rows] of await eraseFromUnknownTables(trx, scope)) counts.add(table, rows);
  counts.add(
    'erased_identities',
    await suppressIdentities(
      trx,
      [
        ...person.ids.map((value) => ({ kind: 'user-id' as const, value })),
        ...person.identities.emails.map((value) => ({ kind: 'email' as const, value })),
        ...person.identities.phones.map((value) => ({ kind: 'phone' as const, value })),
      ],
      now,
    ),
  );
  // Their accounts are judged again without them (a signal about them is cleared, their activity gone).
  await markAccountsDue(trx, person.accountIds, now);
  const rows = counts.toJSON();
  await recordAuditEntry(trx, { actor, action: 'contact.erased', subject: scope.erasedId, details: { rows } }, now);
  return { erasedId: scope.erasedId, erasedAt: now.toISOString(), rows };
}

/**
 * After a restore from a backup taken before some erasures: keeps their hashed identities again and
 * erases anew every person stored under an erased user id since before that id was erased (someone
 * who came back under it later is a new person, and stays). Pass the list read (`erasureList`) from
 * the database before it was replaced, or kept beside the backups. Returns how many were erased.
 */
export async function reapplyErasures(
  database: Kysely<Database>,
  list: readonly ErasedIdentity[],
  now: Date,
): Promise<number> {
  await restoreErasedIdentities(database, list);
  const userIds = list.filter((identity) => identity.kind === 'user-id');
  if (userIds.length === 0) return 0;
  const hashes = userIds.map((identity) => identity.hash);
  const times = userIds.map((identity) => identity.erasedAt);
  const found = await sql<{ id: string }>`select id from contacts
    join unnest(${hashes}::text[], ${times}::timestamptz[]) as erased(hash, at)
      on erased.hash = encode(sha256(convert_to(contacts.id, 'UTF8')), 'hex')
    where contacts.merged_into is null and contacts.created_at < erased.at`.execute(database);
  const actor: AuditActor = { kind: 'system', reason: 'an erasure re-applied after a restore' };
  let erased = 0;
  for (const { id } of found.rows) if (await erasePerson(database, id, actor, now)) erased++;
  return erased;
}
