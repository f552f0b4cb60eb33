// A person's decision to send an outbox message again: only one that is unconfirmed (it may have gone
// out) or failed, since the outbox never repeats a send on its own guess.
import type { Kysely, Transaction } from 'kysely';
import type { Book } from '../domain/viewer.js';
import { accountInBook } from './book-scope.js';
import type { Database, OutboxStatus } from './schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** A message sent again (it was unconfirmed or failed), or one in a state that cannot be sent again. */
export type ResendOutcome =
  | { readonly resent: true; readonly previousStatus: 'unconfirmed' | 'failed' }
  | { readonly resent: false; readonly previousStatus: OutboxStatus };

/**
 * A person's decision to send a message again that is unconfirmed (it may have gone out) or failed:
 * pending at once, attempts counted afresh. Returns the status it had, or null for no such message in
 * the book (`by` says who asked, for the message's reason).
 */
export async function resendMessage(
  database: Executor,
  id: string,
  now: Date,
  book: Book,
  by = 'an admin',
): Promise<ResendOutcome | null> {
  const row = await database
    .selectFrom('outbox')
    .select('status')
    .where('id', '=', id)
    .where(accountInBook(book, 'outbox.account_id'))
    .executeTakeFirst();
  if (!row) return null;
  if (row.status !== 'unconfirmed' && row.status !== 'failed') return { previousStatus: row.status, resent: false };
  await database
    .updateTable('outbox')
    .set({
      status: 'pending',
      attempts: 0,
      worker_id: null,
      handed_over_at: null,
      next_attempt_at: now,
      reason: `sent again at the request of ${by} (was ${row.status})`,
    })
    .where('id', '=', id)
    .where('status', '=', row.status)
    .execute();
  return { previousStatus: row.status, resent: true };
}
