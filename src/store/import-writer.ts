// Writes imported accounts, contacts, interactions and promises in chunks, one transaction per chunk. Rows that
// would change nothing are left untouched, so importing the same file twice changes nothing. Each
// chunk queues the accounts it changed for the engine's event lane, as an ingested event does.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { AccountRow, ContactRow, ImportRow, InteractionRow, PromiseRow } from '../domain/import-rows.js';
import { knownPromises, type PromiseEventRecord, promiseEventsOfRows, recordPromiseEvents } from './promise-store.js';
import { newId } from './ids.js';
import { accountMergeChanges, accountMergeSet } from './record-merge.js';
import type { Database } from './schema.js';
import { retriedTransaction } from './contention-retry.js';

/**
 * Queues accounts for the engine's event lane, due at once: an import may run in another process whose
 * clock is not the engine's (a manual clock stands behind the system time), and its accounts must not
 * wait for that clock to catch up. Only accounts that exist are queued.
 */
export async function queueForEvaluation(trx: Transaction<Database>, accountIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(accountIds)];
  if (ids.length === 0) return;
  await sql`insert into account_event_queue (account_id, due_at)
    select id, '-infinity'::timestamptz from accounts where id = any(${ids}::text[])`.execute(trx);
}

/** How many rows created or changed a record, and the accounts those changes concern. */
interface WrittenRows {
  readonly changed: number;
  readonly accountIds: string[];
}

export interface ChunkOutcome {
  /** Rows that created or changed a record. */
  readonly changed: number;
  /** Rows identical to what was already stored. */
  readonly unchanged: number;
}

/** Writes the accounts; returns the ids of those created or changed. */
async function writeAccounts(database: Kysely<Database>, rows: AccountRow[], at: Date): Promise<string[]> {
  const written = await database
    .insertInto('accounts')
    .values(
      rows.map((row) => ({
        id: row.id,
        name: row.fields.name,
        plan: row.fields.plan,
        lifecycle_stage: row.fields.lifecycleStage,
        revenue_minor: row.fields.revenueMinor,
        profit_minor: row.fields.profitMinor,
        currency: row.fields.currency,
        owner_email: row.fields.ownerEmail,
        traits: JSON.stringify(row.traits),
        created_at: row.createdAt ?? at,
        updated_at: at,
      })),
    )
    .onConflict((conflict) => conflict.column('id').doUpdateSet(accountMergeSet).where(accountMergeChanges))
    .returning('id')
    .execute();
  return written.map((row) => row.id);
}

/**
 * Writes the people; returns how many were created or changed, and the accounts they concern: the one
 * each is in now, and the one a changed person was in before (a move changes both).
 */
async function writeContacts(database: Kysely<Database>, rows: ContactRow[], at: Date): Promise<WrittenRows> {
  const ids = rows.map((row) => row.id);
  const before = await database.selectFrom('contacts').select(['id', 'account_id']).where('id', 'in', ids).execute();
  const written = await database
    .insertInto('contacts')
    .values(
      rows.map((row) => ({
        id: row.id,
        account_id: row.accountId,
        email: row.fields.email,
        phone: row.fields.phone,
        name: row.fields.name,
        language: row.fields.language,
        timezone: row.fields.timezone,
        traits: JSON.stringify(row.traits),
        merged_into: null,
        created_at: at,
        updated_at: at,
      })),
    )
    .onConflict((conflict) =>
      conflict
        .column('id')
        .doUpdateSet({
          account_id: sql`coalesce(excluded.account_id, contacts.account_id)`,
          email: sql`coalesce(excluded.email, contacts.email)`,
          phone: sql`coalesce(excluded.phone, contacts.phone)`,
          name: sql`coalesce(excluded.name, contacts.name)`,
          language: sql`coalesce(excluded.language, contacts.language)`,
          timezone: sql`coalesce(excluded.timezone, contacts.timezone)`,
          traits: sql`contacts.traits || excluded.traits`,
          updated_at: sql`excluded.updated_at`,
        })
        .where(sql<boolean>`(coalesce(excluded.account_id, contacts.account_id),
          coalesce(excluded.email, contacts.email), coalesce(excluded.phone, contacts.phone),
          coalesce(excluded.name, contacts.name),
          coalesce(excluded.language, contacts.language), coalesce(excluded.timezone, contacts.timezone),
          contacts.traits || excluded.traits)
          is distinct from (contacts.account_id, contacts.email, contacts.phone, contacts.name, contacts.language,
                            contacts.timezone, contacts.traits)`),
    )
    .returning(['id', 'account_id'])
    .execute();
  const members = rows.filter((row) => row.accountId !== null);
  if (members.length > 0) {
    await database
      .insertInto('memberships')
      .values(members.map((row) => ({ account_id: row.accountId as string, contact_id: row.id, created_at: at })))
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }
  const changedIds = new Set(written.map((row) => row.id));
  const concerned = [...written, ...before.filter((row) => changedIds.has(row.id))];
  const attached = await attachWaitingTouches(
    database,
    written.flatMap((row) => (row.account_id === null ? [] : [row.id])),
  );
  const accountIds = [...concerned.flatMap((row) => (row.account_id === null ? [] : [row.account_id])), ...attached];
  return { changed: written.length, accountIds };
}

/**
 * Touches imported before their person was (interactions by userId, then contacts) belong to no account
 * until the person arrives; they are attached to the person's account then, whatever order the files
 * came in. Returns the accounts that got touches.
 */
async function attachWaitingTouches(database: Kysely<Database>, contactIds: readonly string[]): Promise<string[]> {
  if (contactIds.length === 0) return [];
  const result = await sql<{ account_id: string }>`
    update interactions set account_id = contacts.account_id
    from contacts
    where contacts.id = any(${contactIds}::text[]) and contacts.account_id is not null
      and interactions.contact_id = contacts.id and interactions.account_id is null
    returning interactions.account_id`.execute(database);
  return [...new Set(result.rows.map((row) => row.account_id))];
}

/**
 * The account each person belongs to now (through an alias, for ids merged into another), or null
 * for people unknown or in no account yet.
 */
export async function currentAccountsOf(
  database: Kysely<Database>,
  userIds: readonly string[],
): Promise<Map<string, string | null>> {
  const accounts = new Map<string, string | null>(userIds.map((id) => [id, null]));
  if (userIds.length === 0) return accounts;
  const result = await sql<{ user_id: string; account_id: string | null }>`
    select asked.user_id, contacts.account_id
    from unnest(${[...new Set(userIds)]}::text[]) as asked(user_id)
    left join contact_aliases on contact_aliases.alias = asked.user_id
    join contacts on contacts.id = coalesce(contact_aliases.contact_id, asked.user_id)`.execute(database);
  for (const row of result.rows) accounts.set(row.user_id, row.account_id);
  return accounts;
}

/** Writes the touches; returns the accounts of those new (a touch already stored is never rewritten). */
async function writeInteractions(
  database: Kysely<Database>,
  rows: InteractionRow[],
  at: Date,
): Promise<(string | null)[]> {
  // A touch logged against a person counts for the account the person is in: the audit, cadence
  // and neglect read touches by account.
  const accountOf = await currentAccountsOf(
    database,
    rows.flatMap((row) => (row.accountId === null && row.contactId !== null ? [row.contactId] : [])),
  );
  const written = await database
    .insertInto('interactions')
    .values(
      rows.map((row) => ({
        id: newId(row.occurredAt.getTime()),
        external_id: row.externalId,
        account_id: row.accountId ?? (row.contactId === null ? null : (accountOf.get(row.contactId) ?? null)),
        contact_id: row.contactId,
        user_email: row.userEmail,
        channel: row.channel,
        direction: row.direction,
        actor: row.actor,
        two_way: row.twoWay,
        objective: row.objective,
        summary: row.summary,
        occurred_at: row.occurredAt,
        created_at: at,
      })),
    )
    .onConflict((conflict) => conflict.column('external_id').doNothing())
    .returning('account_id')
    .execute();
  return written.map((row) => row.account_id);
}

/** Writes rows of one kind; returns how many were created or changed, and the accounts that concerns. */
async function writeRows(
  trx: Transaction<Database>,
  kind: ImportRow['kind'],
  rows: ImportRow[],
  at: Date,
): Promise<WrittenRows> {
  switch (kind) {
    case 'accounts': {
      const ids = await writeAccounts(trx, rows as AccountRow[], at);
      return { changed: ids.length, accountIds: ids };
    }
    case 'contacts':
      return writeContacts(trx, rows as ContactRow[], at);
    case 'interactions': {
      const accounts = await writeInteractions(trx, rows as InteractionRow[], at);
      return { changed: accounts.length, accountIds: accounts.flatMap((id) => (id === null ? [] : [id])) };
    }
    case 'promises': {
      const promises = rows as PromiseRow[];
      const known = await knownPromises(
        trx,
        promises.map((row) => row.accountId),
      );
      const { accountIds, recorded } = await recordPromiseEvents(trx, promiseEventsOfRows(promises, at, known), at);
      const changed = new Set(recorded.map((record) => `${record.accountId}\u0000${record.properties.promiseId}`));
      return { changed: changed.size, accountIds };
    }
  }
}

/**
 * Records promise events (made through the API: kept, withdrawn, changed) and queues their accounts for
 * evaluation in the same transaction; returns those recorded (a repeated message id records nothing).
 */
export async function writePromiseEvents(
  database: Kysely<Database>,
  records: readonly PromiseEventRecord[],
  at: Date,
): Promise<PromiseEventRecord[]> {
  return retriedTransaction(database, async (trx) => {
    const { accountIds, recorded } = await recordPromiseEvents(trx, records, at);
    await queueForEvaluation(trx, accountIds);
    return recorded;
  });
}

/** What makes a row the same record as another: a promise's id is its own only within its account. */
function importKeyOf(row: ImportRow): string {
  switch (row.kind) {
    case 'interactions':
      return row.externalId;
    case 'promises':
      return `${row.accountId}\u0000${row.id}`;
    default:
      return row.id;
  }
}

/**
 * Writes one chunk of rows of a single kind; a later row with the same id wins within the chunk. The
 * accounts it created or changed, and those whose people or touches it did, are queued for evaluation
 * in the same transaction, so the running engine evaluates them as if their events had come through
 * the API. New accounts have no tier: the engine places them in one within seconds and evaluates them again.
 */
export async function writeImportChunk(database: Kysely<Database>, rows: ImportRow[], at: Date): Promise<ChunkOutcome> {
  if (rows.length === 0) return { changed: 0, unchanged: 0 };
  const byKey = new Map<string, ImportRow>();
  for (const row of rows) byKey.set(importKeyOf(row), row);
  const unique = [...byKey.values()];
  const changed = await retriedTransaction(database, async (trx) => {
    const written = await writeRows(trx, (unique[0] as ImportRow).kind, unique, at);
    await queueForEvaluation(trx, written.accountIds);
    return written.changed;
  });
  return { changed, unchanged: rows.length - changed };
}
