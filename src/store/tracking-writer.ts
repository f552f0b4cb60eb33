// Writes the events of accepted Tracking API requests in the ingest's transaction: the idempotency
// receipts, the contacts, accounts, memberships and aliases they upsert, and the events. A retried
// request finds its receipts and stores nothing twice. Rows that may already exist are written in key
// order, so that concurrent ingests lock them in one order.
import { type RawBuilder, type Transaction, sql } from 'kysely';
import type { FieldProblem } from '../domain/errors.js';
import type { StoredEvent } from '../domain/relationship/ingest-plan.js';
import { accountFieldsFrom, contactFieldsFrom } from '../domain/traits.js';
import { type JsonObject, type TrackingMessage, declaredAccountOf, eventNameOf } from '../domain/tracking-message.js';
import { insertEventRows } from './event-rows.js';
import { newId } from './ids.js';
import { type EventWrites, writeIngestStatement } from './ingest-statement.js';
import { mergeContact } from './contact-merge.js';
import { accountMergeSet, contactMergeSet } from './record-merge.js';
import { prepared } from './prepared-statements.js';
import type { Database } from './schema.js';

/** Anonymous ids share the alias table with user ids, under a prefix so the two can never collide. */
export const anonymousAlias = (anonymousId: string): string => `anonymous:${anonymousId}`;

const chunkSize = 1000;

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += chunkSize) result.push(items.slice(start, start + chunkSize));
  return result;
}

interface ContactChange {
  traits: JsonObject;
  firstSeen: Date;
}

/** The alias keys the messages' contacts may be known under (user ids, prefixed anonymous ids). */
function aliasKeys(entries: readonly Entry[]): string[] {
  const keys = new Set<string>();
  for (const { message } of entries) {
    if (message.userId !== null) keys.add(message.userId);
    if (message.anonymousId !== null) keys.add(anonymousAlias(message.anonymousId));
  }
  return [...keys];
}

/** Contacts only seen in events, which need a row and no update: in id order, for the lock order. */
function bareContacts(changes: Map<string, ContactChange>): { id: string; firstSeen: Date }[] {
  const rows = [...changes]
    .filter(([, change]) => Object.keys(change.traits).length === 0)
    .map(([id, change]) => ({ id, firstSeen: change.firstSeen }));
  return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Inserts the bare contacts that do not exist yet (skipping the known ones spares their row locks). */
function bareContactInsert(rows: readonly { id: string; firstSeen: Date }[], at: Date): RawBuilder<unknown> {
  return sql`insert into contacts (id, traits, created_at, updated_at)
    select id, '{}', created_at, ${at}
    from unnest(${rows.map((row) => row.id)}::text[], ${rows.map((row) => row.firstSeen)}::timestamptz[])
      as fresh(id, created_at)
    where not exists (select 1 from contacts where contacts.id = fresh.id)
    on conflict (id) do nothing`;
}

/** Creates or updates the contacts whose messages carried traits (identify calls). */
async function upsertContactsWithTraits(
  trx: Transaction<Database>,
  changes: Map<string, ContactChange>,
  at: Date,
): Promise<void> {
  const rows = [...changes]
    .filter(([, change]) => Object.keys(change.traits).length > 0)
    .map(([id, change]) => {
      const fields = contactFieldsFrom(change.traits, 'traits', [] as FieldProblem[]);
      return {
        id,
        account_id: null,
        email: fields.email,
        phone: fields.phone,
        name: fields.name,
        language: fields.language,
        timezone: fields.timezone,
        traits: JSON.stringify(change.traits),
        merged_into: null,
        created_at: change.firstSeen,
        updated_at: at,
      };
    });
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const part of chunks(rows)) {
    await trx
      .insertInto('contacts')
      .values(part)
      .onConflict((conflict) => conflict.column('id').doUpdateSet(contactMergeSet))
      .execute();
  }
}

async function upsertAccounts(
  trx: Transaction<Database>,
  changes: Map<string, ContactChange>,
  at: Date,
): Promise<void> {
  const rows = [...changes].map(([id, change]) => {
    const fields = accountFieldsFrom(change.traits, 'traits', [] as FieldProblem[]);
    return {
      id,
      name: fields.name,
      plan: fields.plan,
      lifecycle_stage: fields.lifecycleStage,
      revenue_minor: fields.revenueMinor,
      profit_minor: fields.profitMinor,
      currency: fields.currency,
      owner_email: fields.ownerEmail,
      traits: JSON.stringify(change.traits),
      created_at: change.firstSeen,
      updated_at: at,
    };
  });
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const part of chunks(rows)) {
    await trx
      .insertInto('accounts')
      .values(part)
      .onConflict((conflict) => conflict.column('id').doUpdateSet(accountMergeSet))
      .execute();
  }
}

function mergeTraits(target: Map<string, ContactChange>, id: string, traits: JsonObject, at: Date): void {
  const existing = target.get(id);
  if (existing) {
    existing.traits = { ...existing.traits, ...traits };
    if (at < existing.firstSeen) existing.firstSeen = at;
  } else {
    target.set(id, { traits: { ...traits }, firstSeen: at });
  }
}

/** One accepted request: its source, its messages in order, and when it arrived. */
export interface TrackingRequestToStore {
  readonly sourceId: string;
  readonly messages: readonly TrackingMessage[];
  readonly receivedAt: Date;
}

interface Entry {
  readonly request: number;
  readonly sourceId: string;
  readonly message: TrackingMessage;
  readonly receivedAt: Date;
}

const receiptKey = (sourceId: string, messageId: string) => `${sourceId}\u0000${messageId}`;

/** Requests written in one transaction (a group commit), their messages without repeats. */
export interface TrackingBatch {
  readonly requests: readonly TrackingRequestToStore[];
  /** The messages in order; the same messageId twice for a source is one message: the first. */
  readonly entries: readonly Entry[];
  /** When the latest request arrived: the instant the derived records and the queue rows carry. */
  readonly latestReceived: Date;
}

/** The batch of `requests`, in order, as if one after the other. */
export function trackingBatch(requests: readonly TrackingRequestToStore[]): TrackingBatch {
  const seen = new Set<string>();
  const entries: Entry[] = [];
  requests.forEach((request, index) => {
    for (const message of request.messages) {
      const key = receiptKey(request.sourceId, message.messageId);
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push({ request: index, sourceId: request.sourceId, message, receivedAt: request.receivedAt });
    }
  });
  const latestReceived = requests.reduce(
    (latest, request) => (request.receivedAt > latest ? request.receivedAt : latest),
    requests[0]?.receivedAt ?? new Date(0),
  );
  return { requests, entries, latestReceived };
}

/** The instants of the batch's events, whose partitions must exist before it is written. */
export const eventTimesOf = (batch: TrackingBatch): Date[] =>
  batch.entries.map((entry) => entry.message.timestamp ?? entry.receivedAt);

/** What writing the events did, and the part of it left for the statement of the derived records. */
export interface EventsWritten {
  /** Per request, how many of its messages were new (the others were repeats, found by their receipts). */
  readonly storedPerRequest: readonly number[];
  /** The new events, as the plan of what they imply reads them; none when all were repeats. */
  readonly stored: readonly StoredEvent[];
  /** The last events' part: it goes in the statement of the derived records (one round trip less). */
  readonly unwritten: EventWrites;
}

/**
 * Writes the batch's receipts, people, accounts and events in `trx`, except the last events' part,
 * which it returns with the new events. Nothing past the receipts when every message is a repeat.
 */
export async function writeTrackingEvents(trx: Transaction<Database>, batch: TrackingBatch): Promise<EventsWritten> {
  const { requests, entries: unique, latestReceived } = batch;
  const storedPerRequest = new Array<number>(requests.length).fill(0);
  const accepted = new Set<string>();
  const aliases = new Map<string, string>();
  for (const part of chunks(unique)) {
    // The receipts and the aliases in one statement: the aliases of messages found to be repeats are
    // read for nothing, which costs less than a second round trip.
    const sources = part.map((entry) => entry.sourceId);
    const messageIds = part.map((entry) => entry.message.messageId);
    const receivedAt = part.map((entry) => entry.receivedAt.toISOString());
    const written = await prepared(sql<{ accepted: [string, string][]; aliases: [string, string][] }>`
      with inserted as (
        insert into event_receipts (source_id, message_id, received_at)
        select source_id, message_id, received_at
        from unnest(${sources}::uuid[], ${messageIds}::text[], ${receivedAt}::timestamptz[])
          as receipt(source_id, message_id, received_at)
        order by source_id, message_id
        on conflict do nothing returning source_id, message_id)
      select (select coalesce(json_agg(json_build_array(source_id, message_id)), '[]') from inserted) as accepted,
             (select coalesce(json_agg(json_build_array(alias, contact_id)), '[]') from contact_aliases
              where alias = any(${aliasKeys(part)}::text[])) as aliases`).execute(trx);
    const row = written.rows[0]!;
    for (const [sourceId, messageId] of row.accepted) accepted.add(receiptKey(sourceId, messageId));
    for (const [alias, contactId] of row.aliases) aliases.set(alias, contactId);
  }
  const freshEntries = unique.filter((entry) => accepted.has(receiptKey(entry.sourceId, entry.message.messageId)));
  for (const entry of freshEntries) storedPerRequest[entry.request] = (storedPerRequest[entry.request] ?? 0) + 1;
  if (freshEntries.length === 0) return { storedPerRequest, stored: [], unwritten: {} };
  const fresh = freshEntries.map((entry) => entry.message);

  const contactOf = (message: TrackingMessage): string | null => {
    if (message.userId !== null) return aliases.get(message.userId) ?? message.userId;
    if (message.anonymousId !== null) return aliases.get(anonymousAlias(message.anonymousId)) ?? null;
    return null;
  };

  const contactChanges = new Map<string, ContactChange>();
  const accountChanges = new Map<string, ContactChange>();
  const memberships = new Map<string, { accountId: string; contactId: string; at: Date }>();
  const newAliases = new Map<string, string>();
  const merges: { previousId: string; contactId: string }[] = [];
  for (const entry of freshEntries) {
    const message = entry.message;
    const at = message.timestamp ?? entry.receivedAt;
    const contactId = contactOf(message);
    if (contactId !== null)
      mergeTraits(contactChanges, contactId, message.type === 'identify' ? message.traits : {}, at);
    if (message.userId !== null && message.anonymousId !== null)
      newAliases.set(anonymousAlias(message.anonymousId), contactId ?? message.userId);
    if (message.type === 'group') {
      mergeTraits(accountChanges, message.groupId, message.traits, at);
      if (contactId !== null)
        memberships.set(`${message.groupId}\u0000${contactId}`, { accountId: message.groupId, contactId, at });
    }
    if (message.type === 'alias' && contactId !== null) merges.push({ previousId: message.previousId, contactId });
  }

  // Contacts only seen in events get their row with the events, in the same statement, unless a
  // membership or a merge below must find the row first.
  const bare = bareContacts(contactChanges);
  const bareWithEvents = memberships.size === 0 && merges.length === 0 && bare.length > 0;
  if (bare.length > 0 && !bareWithEvents) await bareContactInsert(bare, latestReceived).execute(trx);
  await upsertContactsWithTraits(trx, contactChanges, latestReceived);
  if (accountChanges.size > 0) await upsertAccounts(trx, accountChanges, latestReceived);
  if (memberships.size > 0) {
    const rows = [...memberships.values()].sort((a, b) =>
      a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0,
    );
    await sql`insert into memberships (account_id, contact_id, created_at)
        select * from unnest(${rows.map((row) => row.accountId)}::text[], ${rows.map((row) => row.contactId)}::text[],
                             ${rows.map((row) => row.at)}::timestamptz[])
        on conflict do nothing`.execute(trx);
    // The latest group call names the contact's current account (last one wins within the request).
    const latest = new Map<string, string>();
    for (const row of memberships.values()) latest.set(row.contactId, row.accountId);
    const ids = [...latest.keys()].sort();
    await sql`update contacts set account_id = latest.account_id
        from unnest(${ids}::text[], ${ids.map((id) => latest.get(id)!)}::text[]) as latest(id, account_id)
        where contacts.id = latest.id and contacts.account_id is distinct from latest.account_id`.execute(trx);
  }
  if (newAliases.size > 0) {
    await trx
      .insertInto('contact_aliases')
      .values(
        [...newAliases].map(([alias, contactId]) => ({ alias, contact_id: contactId, created_at: latestReceived })),
      )
      .onConflict((conflict) => conflict.column('alias').doNothing())
      .execute();
  }
  for (const merge of merges) await mergeContact(trx, merge.previousId, merge.contactId, latestReceived);

  // Events without a declared account belong to their contact's current account.
  const undeclared = [
    ...new Set(
      fresh
        .filter((message) => declaredAccountOf(message) === null)
        .map(contactOf)
        .filter((id): id is string => id !== null),
    ),
  ];
  const accountOfContact = new Map<string, string | null>();
  if (undeclared.length > 0) {
    const result = await sql<{
      id: string;
      account_id: string | null;
    }>`select id, account_id from contacts where id = any(${undeclared}::text[])`.execute(trx);
    for (const row of result.rows) accountOfContact.set(row.id, row.account_id);
  }
  const stored: StoredEvent[] = [];
  const eventRows = freshEntries.map(({ message, sourceId, receivedAt }) => {
    const contactId = contactOf(message);
    const accountId =
      declaredAccountOf(message) ?? (contactId === null ? null : (accountOfContact.get(contactId) ?? null));
    const at = message.timestamp ?? receivedAt;
    const properties: JsonObject =
      message.type === 'identify' || message.type === 'group'
        ? message.traits
        : message.type === 'alias'
          ? { previousId: message.previousId }
          : message.type === 'track'
            ? message.properties
            : { ...message.properties, ...(message.name === null ? {} : { name: message.name }) };
    stored.push({
      sourceId,
      messageId: message.messageId,
      type: message.type,
      name: eventNameOf(message),
      contactId: contactId ?? message.userId,
      accountId,
      occurredAt: at,
      properties,
    });
    return {
      id: newId(at.getTime()),
      source_id: sourceId,
      message_id: message.messageId,
      type: message.type,
      name: eventNameOf(message),
      contact_id: contactId ?? message.userId,
      anonymous_id: message.anonymousId,
      account_id: accountId,
      occurred_at: at,
      received_at: receivedAt,
      properties: JSON.stringify(properties),
      context: JSON.stringify(message.context),
    };
  });
  // The last chunk goes in the statement of the derived records (one round trip less), the bare
  // contacts with the first (where they go with the events at all).
  const eventChunks = chunks(eventRows);
  let unwritten: EventWrites = {};
  for (const [index, part] of eventChunks.entries()) {
    unwritten = {
      ...(index === 0 && bareWithEvents ? { contacts: bareContactInsert(bare, latestReceived) } : {}),
      events: insertEventRows(part),
    };
    if (index < eventChunks.length - 1) await writeIngestStatement(trx, unwritten);
  }
  return { storedPerRequest, stored, unwritten };
}
