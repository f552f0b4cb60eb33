// What the read API answers: a contact with its account and latest events, an account with its
// contacts, and events filtered by person, account and name, newest first; each within a viewer's book.
import { type Kysely, sql } from 'kysely';
import type { Book } from '../domain/viewer.js';
import { accountInBook, personInBook } from './book-scope.js';
import type { Database } from './schema.js';
import { anonymousAlias } from './tracking-writer.js';

export interface EventView {
  id: string;
  type: string;
  name: string | null;
  userId: string | null;
  anonymousId: string | null;
  accountId: string | null;
  occurredAt: string;
  receivedAt: string;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
}

export interface EventFilter {
  readonly userId?: string;
  readonly accountId?: string;
  readonly name?: string;
  readonly limit: number;
}

/** Every id a contact has been known by: itself, ids aliased to it, and its anonymous ids. */
async function identitiesOf(
  database: Kysely<Database>,
  contactId: string,
): Promise<{ ids: string[]; anonymousIds: string[] }> {
  const rows = await database
    .selectFrom('contact_aliases')
    .select('alias')
    .where('contact_id', '=', contactId)
    .execute();
  const ids = [contactId];
  const anonymousIds: string[] = [];
  for (const row of rows) {
    if (row.alias.startsWith(anonymousAlias(''))) anonymousIds.push(row.alias.slice(anonymousAlias('').length));
    else ids.push(row.alias);
  }
  return { ids, anonymousIds };
}

/** The id a user id now resolves to (after alias merges). */
async function canonicalContactId(database: Kysely<Database>, userId: string): Promise<string> {
  const alias = await database
    .selectFrom('contact_aliases')
    .select('contact_id')
    .where('alias', '=', userId)
    .executeTakeFirst();
  return alias?.contact_id ?? userId;
}

/** Events newest first; only those of the book's accounts (an event of no account is in the whole book only). */
export async function listEvents(database: Kysely<Database>, filter: EventFilter, book: Book): Promise<EventView[]> {
  let query = database
    .selectFrom('events')
    .selectAll()
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit);
  query = query.where(accountInBook(book, 'events.account_id'));
  if (filter.userId !== undefined) {
    const { ids, anonymousIds } = await identitiesOf(database, await canonicalContactId(database, filter.userId));
    query = query.where((eb) =>
      anonymousIds.length > 0
        ? eb.or([eb('contact_id', 'in', ids), eb('anonymous_id', 'in', anonymousIds)])
        : eb('contact_id', 'in', ids),
    );
  }
  if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
  if (filter.name !== undefined) query = query.where('name', '=', filter.name);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    name: row.name,
    userId: row.contact_id,
    anonymousId: row.anonymous_id,
    accountId: row.account_id,
    occurredAt: row.occurred_at.toISOString(),
    receivedAt: row.received_at.toISOString(),
    properties: row.properties,
    context: row.context,
  }));
}

/** A contact whose account is in the book, or null (unknown and outside the book look the same). */
export async function findContact(database: Kysely<Database>, userId: string, book: Book, eventLimit = 20) {
  const id = await canonicalContactId(database, userId);
  const contact = await database
    .selectFrom('contacts')
    .selectAll()
    .where('id', '=', id)
    .where(accountInBook(book, 'contacts.account_id'))
    .executeTakeFirst();
  if (!contact) return null;
  const memberships = await database
    .selectFrom('memberships')
    .leftJoin('accounts', 'accounts.id', 'memberships.account_id')
    .select(['memberships.account_id as id', 'accounts.name', 'memberships.created_at'])
    .where('memberships.contact_id', '=', id)
    .where(accountInBook(book, 'memberships.account_id'))
    .orderBy('memberships.created_at', 'desc')
    .execute();
  const account =
    contact.account_id === null
      ? null
      : await database
          .selectFrom('accounts')
          .select(['id', 'name', 'plan', 'owner_email'])
          .where('id', '=', contact.account_id)
          .executeTakeFirst();
  const owner = account ? await accountOwner(database, account.owner_email) : null;
  const { ids, anonymousIds } = await identitiesOf(database, id);
  return {
    userId: contact.id,
    requestedAs: userId === id ? undefined : userId,
    email: contact.email,
    phone: contact.phone,
    name: contact.name,
    language: contact.language,
    timezone: contact.timezone,
    traits: contact.traits,
    knownAs: { userIds: ids.filter((other) => other !== id), anonymousIds },
    account: account ? { id: account.id, name: account.name, plan: account.plan, owner } : null,
    accounts: memberships.map((row) => ({ id: row.id, name: row.name, since: row.created_at.toISOString() })),
    createdAt: contact.created_at.toISOString(),
    updatedAt: contact.updated_at.toISOString(),
    lastEvents: await listEvents(database, { userId: id, limit: eventLimit }, book),
  };
}

/**
 * The owner an account's `owner` trait names. Anyone with a write key can set that trait, so only a
 * Tend user is routed to (Reply-To, tasks, today list); any other address is kept and shown as unknown.
 */
type AccountOwner = { email: string; known: true; name: string | null } | { email: string; known: false; note: string };

async function accountOwner(database: Kysely<Database>, email: string | null): Promise<AccountOwner | null> {
  if (email === null) return null;
  const user = await database
    .selectFrom('users')
    .select(['email', 'name'])
    .where('email', '=', email)
    .executeTakeFirst();
  if (user) return { email: user.email, known: true, name: user.name };
  const note =
    'not a Tend user: add them with POST /api/v1/users (or tend import users) to route mail and tasks to them';
  return { email, known: false, note };
}

const fromMinor = (value: number | null): number | null => (value === null ? null : value / 100);

/** An account in the book, or null (unknown and outside the book look the same). */
export async function findAccount(database: Kysely<Database>, accountId: string, book: Book) {
  const account = await database
    .selectFrom('accounts')
    .selectAll()
    .where('id', '=', accountId)
    .where(personInBook(book, 'owner_email'))
    .executeTakeFirst();
  if (!account) return null;
  const contacts = await database
    .selectFrom('memberships')
    .innerJoin('contacts', 'contacts.id', 'memberships.contact_id')
    .select(['contacts.id', 'contacts.name', 'contacts.email', 'contacts.phone', 'memberships.created_at'])
    .where('memberships.account_id', '=', accountId)
    .where('contacts.merged_into', 'is', null)
    .orderBy('contacts.id')
    .execute();
  const counts = await sql<{ count: number; last: Date | null }>`
    select count(*)::int8 as count, max(occurred_at) as last from events where account_id = ${accountId}`.execute(
    database,
  );
  return {
    id: account.id,
    name: account.name,
    plan: account.plan,
    lifecycleStage: account.lifecycle_stage,
    revenue: fromMinor(account.revenue_minor),
    profit: fromMinor(account.profit_minor),
    currency: account.currency,
    owner: await accountOwner(database, account.owner_email),
    traits: account.traits,
    contacts: contacts.map((row) => ({
      userId: row.id,
      name: row.name,
      email: row.email,
      phone: row.phone,
      since: row.created_at.toISOString(),
    })),
    events: { count: counts.rows[0]?.count ?? 0, lastAt: counts.rows[0]?.last?.toISOString() ?? null },
    createdAt: account.created_at.toISOString(),
    updatedAt: account.updated_at.toISOString(),
  };
}
