// One-time links: `…/setup/<token>` creates the first admin, `…/sign-in/<token>` signs a person in once.
// Each is valid 24 hours and works once; only its token's SHA-256 is kept, as for sessions and keys.
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { AuditActor } from '../domain/audit.js';
import { TendError } from '../domain/errors.js';
import { recordAuditEntry } from './audit-log.js';
import { retriedTransaction } from './contention-retry.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';
import { hashSecret } from './secrets.js';
import { findUser, type UserView } from './users.js';

export type LinkPurpose = 'setup' | 'sign-in';

export const linkLifetimeMilliseconds = 24 * 3_600_000;

/** Why a link does not work, or that it does. */
export type LinkState =
  | { readonly kind: 'valid'; readonly expiresAt: Date }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'used' }
  | { readonly kind: 'expired' }
  /** A setup link once an admin exists. */
  | { readonly kind: 'admin-exists' }
  /** A sign-in link of a person since disabled. */
  | { readonly kind: 'disabled' };

/** A new link's token; made ahead of saving when the link is e-mailed first (engine/invitations.ts). */
export const newLinkToken = (): string => randomBytes(32).toString('base64url');

async function createLink(
  database: Kysely<Database>,
  purpose: LinkPurpose,
  userId: string | null,
  at: Date,
  token: string = newLinkToken(),
): Promise<{ token: string; expiresAt: Date }> {
  // Links a day past their expiry are forgotten (until then, a late click is told "expired").
  await database
    .deleteFrom('one_time_links')
    .where('expires_at', '<', new Date(at.getTime() - 86_400_000))
    .execute();
  const expiresAt = new Date(at.getTime() + linkLifetimeMilliseconds);
  await database
    .insertInto('one_time_links')
    .values({ token_hash: hashSecret(token), purpose, user_id: userId, created_at: at, expires_at: expiresAt })
    .execute();
  return { token, expiresAt };
}

/** Whether an admin who may sign in exists. */
export async function hasAdmin(database: Kysely<Database>): Promise<boolean> {
  const row = await database
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** A new setup link's token when the store has no admin yet (each start makes one), else null. */
export async function setupTokenIfNoAdmin(database: Kysely<Database>, at: Date): Promise<string | null> {
  if (await hasAdmin(database)) return null;
  return (await createLink(database, 'setup', null, at)).token;
}

/** Where a link of this kind opens in the app. */
export function linkUrl(publicUrl: string, purpose: LinkPurpose, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/${purpose}/${token}`;
}

const unknownUser = (idOrEmail: string) =>
  new TendError(
    'not_found',
    `No user ${JSON.stringify(idOrEmail)}: create them first with POST /api/v1/users or \`tend import users\`.`,
    [{ field: 'email', message: 'is not a known user' }],
  );
const disabledUser = (user: { id: string; email: string }) =>
  new TendError(
    'conflict',
    `${user.email} is disabled and cannot sign in: enable them first (POST /api/v1/users/${user.id}/enable).`,
    [{ field: 'email', message: 'is disabled' }],
  );

/** The person a sign-in link may be made for (by id or e-mail): refused when unknown or disabled. */
export async function signInLinkUser(database: Kysely<Database>, idOrEmail: string): Promise<UserView> {
  const user = await findUser(database, idOrEmail);
  if (user === null) throw unknownUser(idOrEmail);
  if (user.disabled) throw disabledUser(user);
  return user;
}

/**
 * A one-time sign-in link for a user (by id or e-mail), with an audit entry; refused for an unknown or
 * disabled user. `at.process` dates the link (real time), `at.business` the audit entry. An e-mailed
 * link was sent with `emailed.token` before it is saved here, and its audit entry says so.
 */
export async function createSignInLink(
  database: Kysely<Database>,
  idOrEmail: string,
  actor: AuditActor,
  at: { readonly business: Date; readonly process: Date },
  emailed?: { readonly token: string },
): Promise<{ token: string; expiresAt: Date; user: { id: string; email: string } }> {
  const user = await findUser(database, idOrEmail);
  if (user === null) throw unknownUser(idOrEmail);
  return retriedTransaction(database, async (trx) => {
    const disabled = await trx.selectFrom('users').select('disabled_at').where('id', '=', user.id).executeTakeFirst();
    if (disabled?.disabled_at != null) throw disabledUser(user);
    const link = await createLink(trx, 'sign-in', user.id, at.process, emailed?.token);
    const details = { id: user.id, expiresAt: link.expiresAt.toISOString(), ...(emailed ? { emailed: true } : {}) };
    const entry = { actor, action: 'user.sign-in-link-created', subject: user.email, details } as const;
    await recordAuditEntry(trx, entry, at.business);
    return { ...link, user: { id: user.id, email: user.email } };
  });
}

/** What a link is now, without using it. */
export async function linkState(
  database: Kysely<Database>,
  token: string,
  purpose: LinkPurpose,
  at: Date,
): Promise<LinkState> {
  const row = await database
    .selectFrom('one_time_links')
    .leftJoin('users', 'users.id', 'one_time_links.user_id')
    .select(['one_time_links.expires_at', 'one_time_links.used_at', 'users.disabled_at'])
    .where('one_time_links.token_hash', '=', hashSecret(token))
    .where('one_time_links.purpose', '=', purpose)
    .executeTakeFirst();
  if (row === undefined) return { kind: 'unknown' };
  if (row.used_at !== null) return { kind: 'used' };
  if (row.expires_at <= at) return { kind: 'expired' };
  if (purpose === 'setup' && (await hasAdmin(database))) return { kind: 'admin-exists' };
  if (row.disabled_at != null) return { kind: 'disabled' };
  return { kind: 'valid', expiresAt: row.expires_at };
}

/** The refusal for a link that does not work: what happened and what to do. */
export function linkRefusal(state: Exclude<LinkState, { kind: 'valid' }>, purpose: LinkPurpose): TendError {
  const again =
    purpose === 'setup' ? 'restart Tend (`npm start`) for a new set-up link' : 'ask an admin for a new sign-in link';
  const field = [{ field: 'token', message: `is ${state.kind === 'admin-exists' ? 'no longer needed' : state.kind}` }];
  switch (state.kind) {
    case 'unknown':
      return new TendError('not_found', `This link is not known: check it was copied whole, or ${again}.`, field);
    case 'used':
      return new TendError('not_found', `This link was used already (each works once): ${again}.`, field);
    case 'expired':
      return new TendError('not_found', `This link expired (links last 24 hours): ${again}.`, field);
    case 'admin-exists':
      return new TendError(
        'conflict',
        'Tend has an admin already: sign in, or ask an admin for a sign-in link.',
        field,
      );
    case 'disabled':
      return new TendError('not_found', 'This link’s person is disabled: ask an admin of your Tend.', field);
  }
}

/** Uses a sign-in link once: the user it signs in, or why it does not work (nothing changes then). */
export async function useSignInLink(
  database: Kysely<Database>,
  token: string,
  at: Date,
): Promise<{ kind: 'signed-in'; userId: string } | Exclude<LinkState, { kind: 'valid' }>> {
  const used = await database
    .updateTable('one_time_links')
    .set({ used_at: at })
    .where('token_hash', '=', hashSecret(token))
    .where('purpose', '=', 'sign-in')
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .where('user_id', 'in', (eb) => eb.selectFrom('users').select('id').where('disabled_at', 'is', null))
    .returning('user_id')
    .executeTakeFirst();
  if (used?.user_id != null) return { kind: 'signed-in', userId: used.user_id };
  const state = await linkState(database, token, 'sign-in', at);
  return state.kind === 'valid' ? { kind: 'unknown' } : state;
}

export interface FirstAdmin {
  readonly name: string;
  readonly email: string;
  readonly passwordHash: string;
}

/**
 * Uses a setup link to create the first admin (or to make an existing user of that e-mail the admin),
 * all or nothing: refused, with nothing stored, when the link does not work or an admin exists already.
 * Setups are taken one at a time, so two links used at once cannot make two first admins.
 */
export async function useSetupLink(
  database: Kysely<Database>,
  token: string,
  admin: FirstAdmin,
  at: { readonly business: Date; readonly process: Date },
): Promise<{ kind: 'created'; userId: string } | Exclude<LinkState, { kind: 'valid' }>> {
  return retriedTransaction(database, async (trx) => {
    await sql`select pg_advisory_xact_lock(${setupLock})`.execute(trx);
    const state = await linkState(trx, token, 'setup', at.process);
    if (state.kind !== 'valid') return state;
    await trx
      .updateTable('one_time_links')
      .set({ used_at: at.process })
      .where('token_hash', '=', hashSecret(token))
      .execute();
    const email = admin.email.trim().toLowerCase();
    const saved = await trx
      .insertInto('users')
      .values({
        id: newId(at.business.getTime()),
        email,
        name: admin.name,
        role: 'admin',
        manager_id: null,
        created_at: at.business,
        password_hash: admin.passwordHash,
      })
      .onConflict((conflict) =>
        conflict.column('email').doUpdateSet({
          name: admin.name,
          role: 'admin',
          password_hash: admin.passwordHash,
          disabled_at: null,
        }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    const actor = { kind: 'system', reason: 'first-admin set-up link' } as const;
    const details = { id: saved.id, role: 'admin', managerId: null, firstAdmin: true };
    await recordAuditEntry(trx, { actor, action: 'user.saved', subject: email, details }, at.business);
    return { kind: 'created', userId: saved.id };
  });
}

/** The advisory lock that serializes first-admin setups (an arbitrary number, Tend's own). */
const setupLock = 7_302_019;
