// Stores one accepted Tracking API request in a single transaction: the idempotency receipts, the
// contacts, accounts, memberships and aliases it upserts, and its events. A retried request finds its
// receipts and stores nothing twice; a failure rolls everything back.
import { type Kysely, type RawBuilder, type Transaction, sql } from 'kysely';
import type { FieldProblem } from '../domain/errors.js';
import { accountFieldsFrom, contactFieldsFrom } from '../domain/traits.js';
import { type JsonObject, type TrackingMessage, declaredAccountOf, eventNameOf } from '../domain/tracking-message.js';
import type { EventPartitions } from './event-partitions.js';
import {
  type EngineWork,
  EvaluationAtIngestFailed,
  type IngestPolicy,
  type StoredEvent,
  deriveRelationshipRecords,
  noIngestPolicy,
} from '../domain/relationship/ingest-plan.js';
import { insertEventRows } from './event-rows.js';
import { newId } from './ids.js';
import { accountMergeSet, contactMergeSet } from './record-merge.js';
import { retryingOn } from './contention-retry.js';
import { prepared } from './prepared-statements.js';
import type { Database } from './schema.js';
import { type WritePart, writeTogether } from './write-together.js';

export interface RecordOutcome {
  readonly stored: number;
  readonly duplicates: number;
  /** What these events left the engine to do after the commit (see EngineWork). */
  readonly engineWork: EngineWork;
}

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

async function mergeContact(
  trx: Transaction<Database>,
  previousId: string,
  contactId: string,
  at: Date,
): Promise<void> {
  const previous = await trx.selectFrom('contacts').selectAll().where('id', '=', previousId).executeTakeFirst();
  await trx
    .insertInto('contact_aliases')
    .values({ alias: previousId, contact_id: contactId, created_at: at })
    .onConflict((conflict) => conflict.column('alias').doUpdateSet({ contact_id: contactId }))
    .execute();
  await trx
    .updateTable('contact_aliases')
    .set({ contact_id: contactId })
    .where('contact_id', '=', previousId)
    .execute();
  if (!previous || previousId === contactId) return;
  // The newer identity wins where both have a trait; the older one fills the gaps.
  await sql`
    insert into contacts (id, account_id, email, phone, name, language, timezone, traits, created_at, updated_at)
    values (${contactId}, ${previous.account_id}, ${previous.email}, ${previous.phone}, ${previous.name}, ${previous.language},
            ${previous.timezone}, ${JSON.stringify(previous.traits)}, ${previous.created_at}, ${at})
    on conflict (id) do update set
      account_id = coalesce(contacts.account_id, excluded.account_id), email = coalesce(contacts.email, excluded.email),
      phone = coalesce(contacts.phone, excluded.phone), name = coalesce(contacts.name, excluded.name),
      language = coalesce(contacts.language, excluded.language), timezone = coalesce(contacts.timezone, excluded.timezone),
      traits = excluded.traits || contacts.traits, created_at = least(contacts.created_at, excluded.created_at), updated_at = excluded.updated_at`.execute(
    trx,
  );
  await sql`insert into memberships (account_id, contact_id, created_at)
    select account_id, ${contactId}, created_at from memberships where contact_id = ${previousId}
    on conflict do nothing`.execute(trx);
  await trx
    .updateTable('contacts')
    .set({ merged_into: contactId, updated_at: at })
    .where('id', '=', previousId)
    .execute();
  // The merged person's activity is the surviving one's: left behind, it would look like someone who
  // stopped signing in. Found through the accounts they were in (the key starts with the account).
  await sql`with moved as (
      delete from contact_activity_days
      where account_id in (select account_id from memberships where contact_id in (${previousId}, ${contactId})) and contact_id = ${previousId}
      returning account_id, activity, day, count)
    insert into contact_activity_days (account_id, activity, day, contact_id, count)
    select account_id, activity, day, ${contactId}, count from moved order by account_id, activity, day
    on conflict (account_id, activity, day, contact_id) do update set count = contact_activity_days.count + excluded.count`.execute(
    trx,
  );
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
    select id, '{}', created_at, ${at} from unnest(${rows.map((row) => row.id)}::text[], ${rows.map((row) => row.firstSeen)}::timestamptz[]) as fresh(id, created_at)
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

/**
 * Records the messages of one request for a source, all or nothing, and returns how many were new.
 * `receivedAt` stamps messages that carry no timestamp of their own.
 */
export async function recordTrackingMessages(
  database: Kysely<Database>,
  partitions: EventPartitions,
  sourceId: string,
  messages: TrackingMessage[],
  receivedAt: Date,
  policy: IngestPolicy = noIngestPolicy,
): Promise<RecordOutcome> {
  const [outcome] = await recordTrackingRequests(database, partitions, [{ sourceId, messages, receivedAt }], policy);
  return outcome as RecordOutcome;
}

/**
 * Records several requests in one transaction (group commit: the statements and the commit are
 * shared), in order, as if one after the other; returns each request's outcome. All or nothing for
 * the group: the caller retries requests one by one if the group fails for another reason than
 * contention (run again here) or the database being unavailable.
 */
export async function recordTrackingRequests(
  database: Kysely<Database>,
  partitions: EventPartitions,
  requests: readonly TrackingRequestToStore[],
  policy: IngestPolicy = noIngestPolicy,
): Promise<RecordOutcome[]> {
  // The same messageId twice for a source is one message: keep the first.
  const seen = new Set<string>();
  const unique: Entry[] = [];
  requests.forEach((request, index) => {
    for (const message of request.messages) {
      const key = receiptKey(request.sourceId, message.messageId);
      if (seen.has(key)) continue;
      seen.add(key);
      unique.push({ request: index, sourceId: request.sourceId, message, receivedAt: request.receivedAt });
    }
  });
  const latestReceived = requests.reduce(
    (latest, request) => (request.receivedAt > latest ? request.receivedAt : latest),
    requests[0]?.receivedAt ?? new Date(0),
  );
  // Lost to a concurrent writer (another group, an engine round, a partition created at the same
  // moment): everything runs again, and the receipts keep a message from being stored twice.
  return retryingOn(database, async () => {
    await partitions.ensure(unique.map((entry) => entry.message.timestamp ?? entry.receivedAt));
    try {
      return await writeRequests(database, unique, requests, latestReceived, policy);
    } catch (error) {
      // The evaluation failed (and told its error handler): the events are stored without it, and their
      // accounts queued for the engine's lanes, in a transaction of their own.
      if (!(error instanceof EvaluationAtIngestFailed)) throw error;
      return writeRequests(database, unique, requests, latestReceived, { ...policy, evaluateDue: undefined });
    }
  });
}

async function writeRequests(
  database: Kysely<Database>,
  unique: readonly Entry[],
  requests: readonly TrackingRequestToStore[],
  latestReceived: Date,
  policy: IngestPolicy,
): Promise<RecordOutcome[]> {
  const storedPerRequest = new Array<number>(requests.length).fill(0);
  let engineWork: EngineWork = 'none';
  const outcomes = () =>
    requests.map((request, index) => ({
      stored: storedPerRequest[index] ?? 0,
      duplicates: request.messages.length - (storedPerRequest[index] ?? 0),
      engineWork,
    }));
  return database.transaction().execute(async (trx) => {
    const accepted = new Set<string>();
    const aliases = new Map<string, string>();
    for (const part of chunks(unique)) {
      // The receipts and the aliases in one statement: the aliases of messages found to be repeats are
      // read for nothing, which costs less than a second round trip.
      const written = await prepared(sql<{ accepted: [string, string][]; aliases: [string, string][] }>`
        with inserted as (
          insert into event_receipts (source_id, message_id, received_at)
          select source_id, message_id, received_at
          from unnest(${part.map((entry) => entry.sourceId)}::uuid[], ${part.map((entry) => entry.message.messageId)}::text[], ${part.map((entry) => entry.receivedAt.toISOString())}::timestamptz[])
            as receipt(source_id, message_id, received_at)
          order by source_id, message_id
          on conflict do nothing returning source_id, message_id)
        select (select coalesce(json_agg(json_build_array(source_id, message_id)), '[]') from inserted) as accepted,
               (select coalesce(json_agg(json_build_array(alias, contact_id)), '[]') from contact_aliases where alias = any(${aliasKeys(part)}::text[])) as aliases`).execute(
        trx,
      );
      const row = written.rows[0]!;
      for (const [sourceId, messageId] of row.accepted) accepted.add(receiptKey(sourceId, messageId));
      for (const [alias, contactId] of row.aliases) aliases.set(alias, contactId);
    }
    const freshEntries = unique.filter((entry) => accepted.has(receiptKey(entry.sourceId, entry.message.messageId)));
    for (const entry of freshEntries) storedPerRequest[entry.request] = (storedPerRequest[entry.request] ?? 0) + 1;
    if (freshEntries.length === 0) return outcomes();
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
        select * from unnest(${rows.map((row) => row.accountId)}::text[], ${rows.map((row) => row.contactId)}::text[], ${rows.map((row) => row.at)}::timestamptz[])
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
    let leading: WritePart[] = [];
    for (const [index, part] of eventChunks.entries()) {
      leading =
        index === 0 && bareWithEvents
          ? [{ name: 'contacts_seen', statement: bareContactInsert(bare, latestReceived) }]
          : [];
      leading.push({ name: 'stored_events', statement: insertEventRows(part) });
      if (index < eventChunks.length - 1) await writeTogether(trx, leading);
    }
    engineWork = await deriveRelationshipRecords(trx, leading, stored, latestReceived, policy);
    return outcomes();
  });
}
