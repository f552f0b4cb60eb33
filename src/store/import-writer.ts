// Writes imported accounts, contacts and interactions in chunks, one transaction per chunk. Rows that
// would change nothing are left untouched, so importing the same file twice changes nothing.
import { type Kysely, sql } from 'kysely';
import type { AccountRow, ContactRow, ImportRow, InteractionRow } from '../domain/import-rows.js';
import { newId } from './ids.js';
import { accountMergeChanges, accountMergeSet } from './record-merge.js';
import type { Database } from './schema.js';

export interface ChunkOutcome {
  /** Rows that created or changed a record. */
  readonly changed: number;
  /** Rows identical to what was already stored. */
  readonly unchanged: number;
}

async function writeAccounts(database: Kysely<Database>, rows: AccountRow[], at: Date): Promise<number> {
  const result = await database
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
    .onConflict((conflict) =>
      conflict
        .column('id')
        .doUpdateSet(accountMergeSet)
        .where(accountMergeChanges),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

async function writeContacts(database: Kysely<Database>, rows: ContactRow[], at: Date): Promise<number> {
  const result = await database
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
        .where(sql<boolean>`(coalesce(excluded.account_id, contacts.account_id), coalesce(excluded.email, contacts.email), coalesce(excluded.phone, contacts.phone),
          coalesce(excluded.name, contacts.name), coalesce(excluded.language, contacts.language), coalesce(excluded.timezone, contacts.timezone), contacts.traits || excluded.traits)
          is distinct from (contacts.account_id, contacts.email, contacts.phone, contacts.name, contacts.language, contacts.timezone, contacts.traits)`),
    )
    .executeTakeFirst();
  const members = rows.filter((row) => row.accountId !== null);
  if (members.length > 0) {
    await database
      .insertInto('memberships')
      .values(members.map((row) => ({ account_id: row.accountId as string, contact_id: row.id, created_at: at })))
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * The account each person belongs to now (through an alias, for ids merged into another), or null
 * for people unknown or in no account yet.
 */
export async function currentAccountsOf(database: Kysely<Database>, userIds: readonly string[]): Promise<Map<string, string | null>> {
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

async function writeInteractions(database: Kysely<Database>, rows: InteractionRow[], at: Date): Promise<number> {
  // A touch logged against a person counts for the account the person is in: the audit, cadence
  // and neglect read touches by account.
  const accountOf = await currentAccountsOf(database, rows.flatMap((row) => (row.accountId === null && row.contactId !== null ? [row.contactId] : [])));
  const result = await database
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
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** Writes one chunk of rows of a single kind; a later row with the same id wins within the chunk. */
export async function writeImportChunk(database: Kysely<Database>, rows: ImportRow[], at: Date): Promise<ChunkOutcome> {
  if (rows.length === 0) return { changed: 0, unchanged: 0 };
  const byKey = new Map<string, ImportRow>();
  for (const row of rows) byKey.set(row.kind === 'interactions' ? row.externalId : row.id, row);
  const unique = [...byKey.values()];
  const changed = await database.transaction().execute(async (trx) => {
    const first = unique[0] as ImportRow;
    switch (first.kind) {
      case 'accounts':
        return writeAccounts(trx, unique as AccountRow[], at);
      case 'contacts':
        return writeContacts(trx, unique as ContactRow[], at);
      case 'interactions':
        return writeInteractions(trx, unique as InteractionRow[], at);
    }
  });
  return { changed, unchanged: rows.length - changed };
}
