// The business's own people: reps, managers and admins, and who manages whom.
import { type Kysely, sql } from 'kysely';
import type { AuditActor } from '../domain/audit.js';
import { TendError } from '../domain/errors.js';
import type { Book } from '../domain/viewer.js';
import { recordAuditEntry } from './audit-log.js';
import { personInBook } from './book-scope.js';
import { newId } from './ids.js';
import { queueForEvaluation } from './import-writer.js';
import type { Database } from './schema.js';
import { retriedTransaction } from './contention-retry.js';

export type UserRole = 'rep' | 'manager' | 'admin';
export const userRoles: readonly UserRole[] = ['rep', 'manager', 'admin'];

export interface UserView {
  id: string;
  email: string;
  name: string | null;
  role: UserRole;
  managerEmail: string | null;
  createdAt: string;
  /** A disabled person cannot sign in (an admin disabled them). */
  disabled: boolean;
}

export interface NewUser {
  readonly email: string;
  readonly name: string | null;
  readonly role: UserRole;
  readonly managerEmail: string | null;
}

const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** Finds a user by id or e-mail address. */
export async function findUser(database: Kysely<Database>, idOrEmail: string): Promise<UserView | null> {
  const row = await database
    .selectFrom('users as user')
    .leftJoin('users as manager', 'manager.id', 'user.manager_id')
    .select(['user.id', 'user.email', 'user.name', 'user.role', 'manager.email as manager_email', 'user.created_at'])
    .select('user.disabled_at')
    .where((eb) => (isUuid(idOrEmail) ? eb('user.id', '=', idOrEmail) : eb('user.email', '=', idOrEmail.toLowerCase())))
    .executeTakeFirst();
  return row ? viewOf(row) : null;
}

/** The users whose books are in `book` (an admin's: everyone; a manager's: their team and themself). */
export async function listUsers(database: Kysely<Database>, book: Book): Promise<UserView[]> {
  const rows = await database
    .selectFrom('users as user')
    .leftJoin('users as manager', 'manager.id', 'user.manager_id')
    .select(['user.id', 'user.email', 'user.name', 'user.role', 'manager.email as manager_email', 'user.created_at'])
    .select('user.disabled_at')
    .where(personInBook(book, 'user.email'))
    .orderBy('user.email')
    .execute();
  return rows.map(viewOf);
}

function viewOf(row: {
  id: string;
  email: string;
  name: string | null;
  role: UserRole;
  manager_email: string | null;
  created_at: Date;
  disabled_at: Date | null;
}): UserView {
  const { id, email, name, role } = row;
  const disabled = row.disabled_at !== null;
  return { id, email, name, role, managerEmail: row.manager_email, createdAt: row.created_at.toISOString(), disabled };
}

/**
 * Creates or updates users by e-mail, in order; a manager may be one of the same batch (CSV import)
 * or already known. Everything or nothing is written, with an audit entry per user (`actor` made the change).
 */
export async function upsertUsers(
  database: Kysely<Database>,
  users: readonly NewUser[],
  actor: AuditActor,
  at: Date,
): Promise<UserView[]> {
  return retriedTransaction(database, async (trx) => {
    const emails = users.map((user) => user.email.toLowerCase());
    const created = new Set<string>();
    for (const user of users) {
      const saved = await trx
        .insertInto('users')
        .values({
          id: newId(at.getTime()),
          email: user.email.toLowerCase(),
          name: user.name,
          role: user.role,
          manager_id: null,
          created_at: at,
        })
        .onConflict((conflict) =>
          conflict.column('email').doUpdateSet({
            name: (eb) => eb.fn.coalesce(eb.ref('excluded.name'), eb.ref('users.name')),
            role: (eb) => eb.ref('excluded.role'),
          }),
        )
        // xmax is 0 only for a row this statement inserted.
        .returning(sql<boolean>`xmax = 0`.as('inserted'))
        .executeTakeFirstOrThrow();
      if (saved.inserted) created.add(user.email.toLowerCase());
    }
    for (const user of users) {
      if (user.managerEmail === null) continue;
      const manager = await trx
        .selectFrom('users')
        .select('id')
        .where('email', '=', user.managerEmail.toLowerCase())
        .executeTakeFirst();
      if (!manager) {
        throw new TendError(
          'invalid_request',
          `Manager ${user.managerEmail} of ${user.email} is not a user: ` +
            'create the manager first (or in the same import).',
          [{ field: 'managerEmail', message: 'is not a known user' }],
        );
      }
      if (user.managerEmail.toLowerCase() === user.email.toLowerCase()) {
        throw new TendError('invalid_request', `${user.email} cannot be their own manager.`, [
          { field: 'managerEmail', message: 'is the user themself' },
        ]);
      }
      await trx
        .updateTable('users')
        .set({ manager_id: manager.id })
        .where('email', '=', user.email.toLowerCase())
        .execute();
    }
    // Accounts whose owner trait named them before they were users: their open signals are theirs now.
    await sql`update signals set owner_email = accounts.owner_email from accounts
      where accounts.id = signals.account_id and accounts.owner_email = any(${emails}::text[])
        and signals.cleared_at is null and signals.owner_email is distinct from accounts.owner_email`.execute(trx);
    // And the accounts of users new here are evaluated again as theirs: an evaluation in flight may
    // have read them ownerless.
    const owned = await sql<{ id: string }>`select id from accounts
      where owner_email in (select email from users
                            where email = any(${emails}::text[]) and created_at = ${at})`.execute(trx);
    await queueForEvaluation(
      trx,
      owned.rows.map((account) => account.id),
    );
    const views = [];
    for (const email of emails) {
      const view = await findUser(trx, email);
      if (view) views.push(view);
    }
    for (const view of views) {
      const manager = view.managerEmail === null ? undefined : await findUser(trx, view.managerEmail);
      const managerId = manager?.id ?? null;
      const details = { id: view.id, role: view.role, managerId, created: created.has(view.email) };
      await recordAuditEntry(trx, { actor, action: 'user.saved', subject: view.email, details }, at);
    }
    return views;
  });
}

/** The users a manager manages directly. */
export async function teamOf(
  database: Kysely<Database>,
  managerId: string,
): Promise<{ id: string; email: string; name: string | null }[]> {
  return database
    .selectFrom('users')
    .select(['id', 'email', 'name'])
    .where('manager_id', '=', managerId)
    .orderBy('email')
    .execute();
}
