// A viewer's book (domain/viewer.ts) in SQL: the conditions that keep a query to the accounts the viewer
// may see, so that a list is filtered by the database, never fetched whole and filtered afterwards.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Book } from '../domain/viewer.js';
import type { Database } from './schema.js';

/** Every account: for an admin, and for the commands run on the server. */
export const wholeBook: Book = { kind: 'everything' };

const owners = (book: { readonly ownerEmails: readonly string[] }) => sql`${[...book.ownerEmails]}::text[]`;

/** `column` (an e-mail: an account's owner, a task's owner) is one of the book's people; true for everything. */
export function personInBook(book: Book, column: string): RawBuilder<boolean> {
  switch (book.kind) {
    case 'everything':
      return sql<boolean>`true`;
    case 'owned-by':
      return sql<boolean>`${sql.ref(column)} = any(${owners(book)})`;
  }
}

/** `column`, an account id, names an account in the book; a null id is in the whole book only. */
export function accountInBook(book: Book, column: string): RawBuilder<boolean> {
  switch (book.kind) {
    case 'everything':
      return sql<boolean>`true`;
    case 'owned-by':
      return sql<boolean>`${sql.ref(column)} in (select id from accounts where owner_email = any(${owners(book)}))`;
  }
}

/** `column`, a contact id, names a person whose account is in the book. */
export function contactInBook(book: Book, column: string): RawBuilder<boolean> {
  switch (book.kind) {
    case 'everything':
      return sql<boolean>`true`;
    case 'owned-by':
      return sql<boolean>`${sql.ref(column)} in (select contacts.id from contacts
        join accounts on accounts.id = contacts.account_id where accounts.owner_email = any(${owners(book)}))`;
  }
}

/** Whether the account exists and is in the book: outside it, an account is as unknown as a wrong id. */
export async function isAccountInBook(database: Kysely<Database>, accountId: string, book: Book): Promise<boolean> {
  const found = await database
    .selectFrom('accounts')
    .select('id')
    .where('id', '=', accountId)
    .where(personInBook(book, 'owner_email'))
    .executeTakeFirst();
  return found !== undefined;
}
