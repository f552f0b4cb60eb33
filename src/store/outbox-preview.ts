// The e-mail of one message of the outbox, as HTML, for the app's preview: a message outside the viewer's
// book is as unknown as one that does not exist.
import type { Kysely } from 'kysely';
import type { Book } from '../domain/viewer.js';
import { accountInBook } from './book-scope.js';
import type { Database } from './schema.js';

/** The message's HTML; null when it has none (a text message, a plain-text e-mail); undefined when not in the book. */
export async function outboxMessageHtml(
  database: Kysely<Database>,
  id: string,
  book: Book,
): Promise<string | null | undefined> {
  const row = await database
    .selectFrom('outbox')
    .select('message')
    .where('id', '=', id)
    .where(accountInBook(book, 'outbox.account_id'))
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const html = row.message?.html;
  return typeof html === 'string' && html !== '' ? html : null;
}
