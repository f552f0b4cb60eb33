// People's sessions: a random 256-bit token in their cookie, only its SHA-256 kept here (as write keys),
// so that a session can be ended from the server (signing out, a new password, an admin disabling the
// person) and a copy of the table signs nobody in. Times are the process clock's, not the business's.
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Viewer } from '../domain/viewer.js';
import type { Database } from './schema.js';
import { hashSecret } from './secrets.js';

export type SessionStart = 'password' | 'link' | 'setup';

/** How long a session may go unused before it ends, and how often its last use is written down. */
export interface SessionLifetime {
  readonly idleMilliseconds: number;
}

/** Last use is written at most once a minute: one write per person a minute, not per request. */
const touchEveryMilliseconds = 60_000;

/** A new session for a user; returns the token for the cookie (shown to nobody else, never stored). */
export async function startSession(
  database: Kysely<Database>,
  userId: string,
  startedBy: SessionStart,
  at: Date,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await database
    .insertInto('sessions')
    .values({ token_hash: hashSecret(token), user_id: userId, started_by: startedBy, created_at: at, last_seen_at: at })
    .execute();
  return token;
}

/** A session that still works, with its user. */
export interface LiveSession {
  readonly userId: string;
  readonly startedBy: SessionStart;
  readonly createdAt: Date;
}

function cutoff(at: Date, lifetime: SessionLifetime): Date {
  return new Date(at.getTime() - lifetime.idleMilliseconds);
}

/** The session behind a token when it still works (not ended, not idle too long, its user not disabled). */
export async function liveSession(
  database: Kysely<Database>,
  token: string,
  at: Date,
  lifetime: SessionLifetime,
): Promise<LiveSession | null> {
  const row = await database
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.user_id', 'sessions.started_by', 'sessions.created_at'])
    .where('sessions.token_hash', '=', hashSecret(token))
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.last_seen_at', '>', cutoff(at, lifetime))
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? null : { userId: row.user_id, startedBy: row.started_by, createdAt: row.created_at };
}

/**
 * Who a session token signs in, as the API sees them (their role from `users`; a manager with the e-mails
 * of the users they manage), or null for an unknown, ended or idle session or a disabled user. Writes
 * down the session's use (at most once a minute), which keeps it from going idle.
 */
export async function viewerForSession(
  database: Kysely<Database>,
  token: string,
  at: Date,
  lifetime: SessionLifetime,
): Promise<Viewer | null> {
  const tokenHash = hashSecret(token);
  const row = await database
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.email', 'users.name', 'users.role', 'sessions.last_seen_at'])
    .select(
      sql<string[]>`array(select rep.email from users rep where rep.manager_id = users.id order by rep.email)`.as(
        'rep_emails',
      ),
    )
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.last_seen_at', '>', cutoff(at, lifetime))
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) return null;
  if (at.getTime() - row.last_seen_at.getTime() >= touchEveryMilliseconds) {
    await database
      .updateTable('sessions')
      .set({ last_seen_at: at })
      .where('token_hash', '=', tokenHash)
      .where('last_seen_at', '<', at)
      .execute();
  }
  const user = { id: row.id, email: row.email, name: row.name };
  const actor = { kind: 'user', email: row.email } as const;
  switch (row.role) {
    case 'admin':
      return { kind: 'admin', actor, user };
    case 'manager':
      return { kind: 'manager', actor, user, repEmails: row.rep_emails };
    case 'rep':
      return { kind: 'rep', actor, user };
  }
}

/** Forgets a user's sessions that no longer work (ended, or idle too long), so the table does not grow. */
export async function forgetEndedSessions(
  database: Kysely<Database>,
  userId: string,
  at: Date,
  lifetime: SessionLifetime,
): Promise<void> {
  await database
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('revoked_at', 'is not', null), eb('last_seen_at', '<=', cutoff(at, lifetime))]))
    .execute();
}

/** Ends one session (signing out); ending an ended one changes nothing. */
export async function endSession(database: Kysely<Database>, token: string, at: Date): Promise<void> {
  await database
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('token_hash', '=', hashSecret(token))
    .where('revoked_at', 'is', null)
    .execute();
}

/** Ends every session of a user, but the one whose token is `keep` (a new password keeps the changer's). */
export async function endSessionsOf(
  database: Kysely<Database>,
  userId: string,
  at: Date,
  keep: string | null = null,
): Promise<number> {
  let update = database
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keep !== null) update = update.where('token_hash', '!=', hashSecret(keep));
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
