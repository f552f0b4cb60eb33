// What signing in needs to know of a user and may change: their password hash, whether they are
// disabled, and who they are as the app shows it (`GET /api/v1/me`). Disabling someone ends their sessions.
import type { Kysely } from 'kysely';
import type { AuditActor } from '../domain/audit.js';
import { TendError } from '../domain/errors.js';
import { recordAuditEntry } from './audit-log.js';
import { retriedTransaction } from './contention-retry.js';
import type { Database } from './schema.js';
import { endSessionsOf } from './sessions.js';
import { type UserRole, findUser } from './users.js';

export interface SignInCandidate {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string | null;
  readonly disabled: boolean;
}

/** The user an e-mail address names, with what a sign-in checks, or null. */
export async function signInCandidate(database: Kysely<Database>, email: string): Promise<SignInCandidate | null> {
  const row = await database
    .selectFrom('users')
    .select(['id', 'email', 'password_hash', 'disabled_at'])
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  if (row === undefined) return null;
  return { id: row.id, email: row.email, passwordHash: row.password_hash, disabled: row.disabled_at !== null };
}

export async function passwordHashOf(database: Kysely<Database>, userId: string): Promise<string | null> {
  const row = await database.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
  return row?.password_hash ?? null;
}

export async function savePasswordHash(database: Kysely<Database>, userId: string, hash: string): Promise<void> {
  await database.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
}

/**
 * Sets a person's new password and ends their other sessions (whoever else held one is out), with an
 * audit entry, all or nothing; returns how many sessions ended.
 */
export async function changePassword(
  database: Kysely<Database>,
  user: { readonly id: string; readonly email: string },
  hash: string,
  keepSession: string,
  actor: AuditActor,
  at: { readonly business: Date; readonly process: Date },
): Promise<number> {
  return retriedTransaction(database, async (trx) => {
    await savePasswordHash(trx, user.id, hash);
    const ended = await endSessionsOf(trx, user.id, at.process, keepSession);
    const details = { id: user.id, otherSessionsEnded: ended };
    await recordAuditEntry(trx, { actor, action: 'user.password-changed', subject: user.email, details }, at.business);
    return ended;
  });
}

/** A signed-in person as the app shows them: who they are, their role, manager, time zone and reps. */
export interface Profile {
  id: string;
  email: string;
  name: string | null;
  role: UserRole;
  timezone: string | null;
  managerEmail: string | null;
  hasPassword: boolean;
  disabled: boolean;
  reps: { id: string; email: string; name: string | null }[];
}

export async function profileOf(database: Kysely<Database>, userId: string): Promise<Profile | null> {
  const row = await database
    .selectFrom('users as user')
    .leftJoin('users as manager', 'manager.id', 'user.manager_id')
    .select(['user.id', 'user.email', 'user.name', 'user.role', 'user.timezone', 'manager.email as manager_email'])
    .select(['user.password_hash', 'user.disabled_at'])
    .where('user.id', '=', userId)
    .executeTakeFirst();
  if (row === undefined) return null;
  const reps =
    row.role === 'manager'
      ? await database
          .selectFrom('users')
          .select(['id', 'email', 'name'])
          .where('manager_id', '=', row.id)
          .orderBy('email')
          .execute()
      : [];
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    timezone: row.timezone,
    managerEmail: row.manager_email,
    hasPassword: row.password_hash !== null,
    disabled: row.disabled_at !== null,
    reps,
  };
}

function unknownUser(idOrEmail: string): TendError {
  return new TendError(
    'not_found',
    `No user ${JSON.stringify(idOrEmail)}: create them with POST /api/v1/users or \`tend import users\`.`,
    [{ field: 'id', message: 'is not a known user' }],
  );
}

/**
 * Disables a user (their sessions end at once, their links stop working, they cannot sign in) or enables
 * them again, with an audit entry. Their accounts, tasks and history stay as they are.
 */
export async function setUserDisabled(
  database: Kysely<Database>,
  idOrEmail: string,
  disabled: boolean,
  actor: AuditActor,
  at: { readonly business: Date; readonly process: Date },
): Promise<Profile> {
  const user = await findUser(database, idOrEmail);
  if (user === null) throw unknownUser(idOrEmail);
  if (disabled && actor.kind === 'user' && actor.email === user.email) {
    throw new TendError('conflict', 'You cannot disable yourself: ask another admin to do it.', [
      { field: 'id', message: 'is you' },
    ]);
  }
  await retriedTransaction(database, async (trx) => {
    const changed = await trx
      .updateTable('users')
      .set({ disabled_at: disabled ? at.process : null })
      .where('id', '=', user.id)
      .where('disabled_at', disabled ? 'is' : 'is not', null)
      .executeTakeFirst();
    if (disabled) {
      await endSessionsOf(trx, user.id, at.process);
      // Links made before are spent: enabling the person again must not bring an old one back.
      await trx
        .updateTable('one_time_links')
        .set({ used_at: at.process })
        .where('user_id', '=', user.id)
        .where('used_at', 'is', null)
        .execute();
    }
    if (Number(changed.numUpdatedRows) === 0) return;
    const action = disabled ? 'user.disabled' : 'user.enabled';
    await recordAuditEntry(trx, { actor, action, subject: user.email, details: { id: user.id } }, at.business);
  });
  const profile = await profileOf(database, user.id);
  if (profile === null) throw unknownUser(idOrEmail);
  return profile;
}
