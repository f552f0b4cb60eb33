// Listing, creating and revoking admin tokens, each change recorded in the audit log in its own
// transaction; and TEND_ADMIN_TOKEN at start, which revokes the token an earlier value set. A token is
// named by its label or prefix (secret-matching.ts). Its own times are real (the database's now).
import { type Kysely, sql } from 'kysely';
import type { AuditActor } from '../domain/audit.js';
import { TendError } from '../domain/errors.js';
import { recordAuditEntry } from './audit-log.js';
import type { Database } from './schema.js';
import { createdAndRevoked, likePrefix, theOneWorking } from './secret-matching.js';
import { hashSecret, newSecret, secretPrefix } from './secrets.js';

export interface AdminTokenRecord {
  readonly label: string;
  /** Null for a token made before Tend kept prefixes, until it is presented again as TEND_ADMIN_TOKEN. */
  readonly prefix: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

/** The label of the token that TEND_ADMIN_TOKEN sets; another value there revokes it. */
export const environmentTokenLabel = 'TEND_ADMIN_TOKEN';

function adminTokens(database: Kysely<Database>) {
  return database
    .selectFrom('admin_tokens')
    .select(['token_hash', 'label', 'token_prefix', 'created_at', 'revoked_at'])
    .orderBy('created_at')
    .orderBy('label');
}

type AdminTokenRow = Awaited<ReturnType<ReturnType<typeof adminTokens>['execute']>>[number];

const adminTokenRecord = (row: AdminTokenRow): AdminTokenRecord => ({
  label: row.label,
  prefix: row.token_prefix,
  createdAt: new Date(row.created_at),
  revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
});

export async function listAdminTokens(database: Kysely<Database>): Promise<AdminTokenRecord[]> {
  return (await adminTokens(database).execute()).map(adminTokenRecord);
}

/** A new admin token under a label no working token has (so that it can be revoked by its label). */
export async function createAdminToken(
  database: Kysely<Database>,
  label: string,
  actor: AuditActor,
  at: Date,
): Promise<{ token: string; record: AdminTokenRecord }> {
  if (label === environmentTokenLabel) {
    const message =
      `The label ${environmentTokenLabel} is kept for the token that variable sets ` +
      '(a new value there revokes it): choose another label.';
    throw new TendError('invalid_request', message, [{ field: 'label', message: 'is reserved' }]);
  }
  const token = newSecret('tend_admin');
  const prefix = secretPrefix(token);
  return database.transaction().execute(async (trx) => {
    // Two creations with one label at once: the second waits here, then finds the first.
    await sql`select pg_advisory_xact_lock(hashtext('tend admin token labels'))`.execute(trx);
    const taken = await adminTokens(trx).where('label', '=', label).where('revoked_at', 'is', null).executeTakeFirst();
    if (taken !== undefined) {
      const message =
        `A working admin token is already labelled ${JSON.stringify(label)} ` +
        `(${describeAdminToken(adminTokenRecord(taken))}): choose another label, or revoke that one first.`;
      throw new TendError('conflict', message, [{ field: 'label', message: 'is taken by a working token' }]);
    }
    const row = await trx
      .insertInto('admin_tokens')
      .values({ token_hash: hashSecret(token), label, token_prefix: prefix })
      .returning('created_at')
      .executeTakeFirstOrThrow();
    await recordAuditEntry(trx, { actor, action: 'admin-token.created', subject: prefix, details: { label } }, at);
    return { token, record: { label, prefix, createdAt: new Date(row.created_at), revokedAt: null } };
  });
}

/** Revokes the one working token that `which` names: its label, its prefix (or the start of it), or the whole token. */
export async function revokeAdminToken(
  database: Kysely<Database>,
  which: string,
  actor: AuditActor,
  at: Date,
): Promise<AdminTokenRecord> {
  return database.transaction().execute(async (trx) => {
    const rows = await adminTokens(trx)
      .where((eb) =>
        eb.or([
          eb('label', '=', which),
          eb('token_prefix', 'like', likePrefix(which)),
          eb('token_hash', '=', hashSecret(which)),
        ]),
      )
      .execute();
    const working = rows.filter((row) => row.revoked_at === null);
    const described = (row: AdminTokenRow): string => describeAdminToken(adminTokenRecord(row));
    const target = theOneWorking(which, 'admin token', working, rows, described, 'tend tokens list');
    const [revokedAt] = await revokeTokens(trx, [target.token_hash]);
    if (revokedAt === undefined)
      throw new TendError(
        'conflict',
        `The admin token ${JSON.stringify(target.label)} was revoked a moment ago by someone else.`,
        [{ field: 'token', message: 'is revoked already' }],
      );
    const record = { ...adminTokenRecord(target), revokedAt };
    await recordAuditEntry(
      trx,
      {
        actor,
        action: 'admin-token.revoked',
        subject: record.prefix ?? record.label,
        details: { label: record.label },
      },
      at,
    );
    return record;
  });
}

export function describeAdminToken(record: AdminTokenRecord): string {
  const prefix = record.prefix === null ? 'no prefix kept' : `${record.prefix}…`;
  return `"${record.label}" (${prefix}, ${createdAndRevoked(record)})`;
}

/**
 * TEND_ADMIN_TOKEN at start: accepted (added if new), and any other working token that an earlier
 * TEND_ADMIN_TOKEN set is revoked, since it was replaced. Says what it revoked, and whether the token
 * set now was itself revoked earlier (then it is refused, like any revoked token, and replaces nothing).
 */
export async function acceptEnvironmentToken(
  database: Kysely<Database>,
  token: string,
  at: Date,
): Promise<{ readonly replaced: readonly AdminTokenRecord[]; readonly revokedAt: Date | null }> {
  const actor: AuditActor = { kind: 'system', reason: 'TEND_ADMIN_TOKEN replaced' };
  const tokenHash = hashSecret(token);
  const prefix = secretPrefix(token);
  return database.transaction().execute(async (trx) => {
    const added = await trx
      .insertInto('admin_tokens')
      .values({ token_hash: tokenHash, label: environmentTokenLabel, token_prefix: prefix })
      .onConflict((conflict) => conflict.column('token_hash').doNothing())
      .returning('label')
      .executeTakeFirst();
    if (added !== undefined) {
      const created: AuditActor = { kind: 'system', reason: 'TEND_ADMIN_TOKEN set' };
      await recordAuditEntry(
        trx,
        { actor: created, action: 'admin-token.created', subject: prefix, details: { label: environmentTokenLabel } },
        at,
      );
    } else {
      // A token kept from before prefixes were stored gets its prefix now.
      await trx
        .updateTable('admin_tokens')
        .set({ token_prefix: prefix })
        .where('token_hash', '=', tokenHash)
        .where('token_prefix', 'is', null)
        .execute();
    }
    const current = await adminTokens(trx).where('token_hash', '=', tokenHash).executeTakeFirstOrThrow();
    // A revoked token set again (a configuration rolled back) replaces nothing: that would lock everyone out.
    if (current.revoked_at !== null) return { replaced: [], revokedAt: new Date(current.revoked_at) };
    const replaced = await adminTokens(trx)
      .where('label', '=', environmentTokenLabel)
      .where('token_hash', '!=', tokenHash)
      .where('revoked_at', 'is', null)
      .execute();
    const [revokedAt = null] = await revokeTokens(
      trx,
      replaced.map((row) => row.token_hash),
    );
    for (const row of replaced) {
      await recordAuditEntry(
        trx,
        { actor, action: 'admin-token.revoked', subject: row.token_prefix ?? row.label, details: { label: row.label } },
        at,
      );
    }
    return {
      replaced: replaced.map((row) => ({ ...adminTokenRecord(row), revokedAt })),
      revokedAt: current.revoked_at === null ? null : new Date(current.revoked_at),
    };
  });
}

/** Revokes the working tokens among these, now (real time, as their creation); returns when, once per token revoked. */
async function revokeTokens(database: Kysely<Database>, hashes: readonly Buffer[]): Promise<Date[]> {
  if (hashes.length === 0) return [];
  const rows = await database
    .updateTable('admin_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('token_hash', 'in', hashes)
    .where('revoked_at', 'is', null)
    .returning('revoked_at')
    .execute();
  return rows.map((row) => new Date(row.revoked_at!));
}
