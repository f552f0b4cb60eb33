// The event lane's queue (account_event_queue): accounts that events made due for evaluation, written in
// the events' own transaction, and how engines take accounts from it.
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { ClaimedAccount } from './account-due-times.js';
import { queueAccounts } from './derived-record-writes.js';
import type { Database } from './schema.js';

/**
 * Makes accounts due for evaluation at `at`, in the event lane, which the engine serves before the
 * time-driven sweep. An insert into the queue, not an update of the account: it never waits for an
 * evaluation holding the account's row, and an evaluation in flight leaves this row for the next one.
 */
export async function markAccountsDue(
  trx: Transaction<Database> | Kysely<Database>,
  accountIds: readonly string[],
  at: Date,
): Promise<void> {
  if (accountIds.length === 0) return;
  // Only accounts that exist: an event may name an account no group call has created (yet).
  await queueAccounts(sql`id = any(${[...accountIds]}::text[])`, at).execute(trx);
}

/**
 * Locks accounts queued by events, from the oldest queue rows, that no other engine holds. The window
 * is wider than the batch, and the limit comes after SKIP LOCKED, so that a second engine takes the
 * next accounts instead of finding the same oldest ones locked (an account with many rows counts once).
 * The caller must then take their queue rows with `takeQueuedEvents` before reading anything.
 */
export async function lockQueuedAccounts(
  trx: Transaction<Database>,
  now: Date,
  limit: number,
): Promise<ClaimedAccount[]> {
  const locked = await sql<ClaimedAccount>`
    select id, owner_email from accounts
    where id in (select account_id from account_event_queue where due_at <= ${now} order by due_at limit ${limit * 4})
    order by id limit ${limit} for update skip locked`.execute(trx);
  return locked.rows;
}

/**
 * Deletes the queue rows of locked accounts up to `now` and returns the accounts that had any. An
 * event that commits after this delete keeps its row, so its account is looked at again after the
 * evaluation that follows; the evaluation reads after this delete, so it sees every event whose row
 * went.
 */
export async function takeQueuedEvents(
  trx: Transaction<Database>,
  accountIds: readonly string[],
  now: Date,
): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const taken = await sql<{ account_id: string }>`
    delete from account_event_queue where account_id = any(${[...accountIds]}::text[]) and due_at <= ${now}
    returning account_id`.execute(trx);
  return new Set(taken.rows.map((row) => row.account_id));
}
