// Promises made to accounts, kept as `Promise …` events (the history) and their account_facts copies (what
// evaluations read): recorded once per message id, so an import run twice or a retried request adds nothing.
import { createHash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { PromiseRow } from '../domain/import-rows.js';
import type { EventFact, PromiseEventName } from '../domain/relationship/event-facts.js';
import { type AccountPromise, accountPromises } from '../domain/relationship/promises.js';
import { ownEvent, tendSourceId } from './own-events.js';
import type { Database } from './schema.js';

/** One `Promise …` event to record about an account. */
export interface PromiseEventRecord {
  readonly name: PromiseEventName;
  /** Its idempotency key: the same key twice records it once. */
  readonly messageId: string;
  readonly accountId: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly at: Date;
}

/**
 * Records the events not recorded before (by message id), with their facts; returns the accounts that got
 * any, and how many were new.
 */
export async function recordPromiseEvents(
  trx: Transaction<Database>,
  records: readonly PromiseEventRecord[],
  receivedAt: Date,
): Promise<{ accountIds: string[]; recorded: PromiseEventRecord[] }> {
  const unique = [...new Map(records.map((record) => [record.messageId, record])).values()];
  if (unique.length === 0) return { accountIds: [], recorded: [] };
  const receipts = await trx
    .insertInto('event_receipts')
    .values(
      unique.map((record) => ({ source_id: tendSourceId, message_id: record.messageId, received_at: receivedAt })),
    )
    .onConflict((conflict) => conflict.doNothing())
    .returning('message_id')
    .execute();
  const fresh = new Set(receipts.map((row) => row.message_id));
  const recorded = unique.filter((record) => fresh.has(record.messageId));
  if (recorded.length === 0) return { accountIds: [], recorded };
  await trx
    .insertInto('events')
    .values(
      recorded.map((record) => ({
        ...ownEvent(record.name, record.messageId, record.accountId, null, { ...record.properties }, record.at),
        received_at: receivedAt,
      })),
    )
    .execute();
  await trx
    .insertInto('account_facts')
    .values(
      recorded.map((record) => ({
        account_id: record.accountId,
        name: record.name,
        occurred_at: record.at,
        contact_id: null,
        properties: JSON.stringify(record.properties),
      })),
    )
    .execute();
  return { accountIds: [...new Set(recorded.map((record) => record.accountId))], recorded };
}

const fingerprint = (parts: readonly (string | null)[]) =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);

/** The promises (account and id) of these accounts Tend already has: a row about one of them changes it. */
export async function knownPromises(
  database: Kysely<Database>,
  accountIds: readonly string[],
): Promise<ReadonlySet<string>> {
  if (accountIds.length === 0) return new Set();
  const rows = await sql<{ account_id: string; promise_id: string }>`
    select distinct account_id, properties->>'promiseId' as promise_id from account_facts
    where account_id = any(${[...new Set(accountIds)]}::text[]) and name like 'Promise %'`.execute(database);
  return new Set(rows.rows.map((row) => `${row.account_id}\u0000${row.promise_id}`));
}

/**
 * The events a CRM's rows say: each new promise made (when it was, or at its closing when that came
 * earlier), a known one changed when what it says is new, and kept or withdrawn when its status says so.
 * Keyed by content, so the same file imported twice records nothing new.
 */
export function promiseEventsOfRows(
  rows: readonly PromiseRow[],
  at: Date,
  known: ReadonlySet<string>,
): PromiseEventRecord[] {
  return rows.flatMap((row) => {
    const key = `promise:${row.accountId}:${row.id}`;
    const isKnown = known.has(`${row.accountId}\u0000${row.id}`);
    const closedAt = row.closedAt ?? at;
    const madeAt = row.madeAt ?? (row.status === 'open' ? at : new Date(Math.min(closedAt.getTime(), at.getTime())));
    const made: PromiseEventRecord = {
      // The same content keys both: a first import's promise is not changed again by the second.
      name: isKnown ? 'Promise Changed' : 'Promise Made',
      messageId: `${key}:content:${fingerprint([row.title, row.dueAt, row.madeBy, row.owner])}`,
      accountId: row.accountId,
      properties: {
        promiseId: row.id,
        title: row.title,
        dueAt: row.dueAt,
        madeBy: row.madeBy,
        owner: row.owner,
        ...(row.note === null ? {} : { note: row.note }),
      },
      at: isKnown ? at : madeAt,
    };
    if (row.status === 'open') return [made];
    const closed: PromiseEventRecord = {
      name: row.status === 'kept' ? 'Promise Kept' : 'Promise Withdrawn',
      messageId: `${key}:${row.status}`,
      accountId: row.accountId,
      properties: { promiseId: row.id, title: row.title },
      at: closedAt,
    };
    return [made, closed];
  });
}

/** The account's promises at `now`, with their history, from every promise event it ever had. */
export async function promisesOfAccount(
  database: Kysely<Database>,
  accountId: string,
  now: Date,
): Promise<AccountPromise[]> {
  const rows = await sql<{ name: string; occurred_at: Date; properties: Record<string, unknown> }>`
    select name, occurred_at, properties from account_facts
    where account_id = ${accountId} and name like 'Promise %' and occurred_at <= ${now}`.execute(database);
  const facts: EventFact[] = rows.rows.map((row) => ({
    name: row.name,
    at: new Date(row.occurred_at),
    contactId: null,
    properties: row.properties,
  }));
  return accountPromises(facts);
}
