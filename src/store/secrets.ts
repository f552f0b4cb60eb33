// Write keys and admin tokens: generated with 256 bits of randomness, shown once, stored only as
// SHA-256 hashes, and compared in constant time. A slow password hash is not needed: the secrets are
// random, not chosen by people, so a fast hash cannot be brute-forced.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { WriteKeyKind } from '../domain/write-key-kinds.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';

/** The source a write key sends for, and what the key may send. */
export interface WriteKeySource {
  readonly id: string;
  readonly name: string;
  readonly kind: WriteKeyKind;
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Characters of the secret itself kept in clear, to tell keys apart in lists and logs. */
const clearCharacters = 4;

/**
 * The part of a secret kept in clear: the marker of a generated one (`wk_`, `tend_admin_`) and its next
 * 4 characters, or the first 4 of a chosen one (a 16-character TEND_WRITE_KEY keeps 12 unknown).
 */
export function secretPrefix(secret: string): string {
  const marker = /^(wk_|tend_admin_)/.exec(secret)?.[0] ?? '';
  return secret.slice(0, marker.length + clearCharacters);
}

export function sameHash(stored: Buffer, presented: Buffer): boolean {
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}

/** Creates the source if needed and attaches the key (if not attached yet); returns the source id. */
export async function addWriteKey(
  database: Kysely<Database>,
  sourceName: string,
  key: string,
  kind: WriteKeyKind = 'server',
): Promise<string> {
  return database.transaction().execute(async (trx) => {
    await trx
      .insertInto('sources')
      .values({ id: newId(), name: sourceName })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .execute();
    const source = await trx
      .selectFrom('sources')
      .select('id')
      .where('name', '=', sourceName)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('write_keys')
      .values({
        key_hash: hashSecret(key),
        source_id: source.id,
        key_prefix: secretPrefix(key),
        kind,
        revoked_at: null,
      })
      .onConflict((conflict) => conflict.column('key_hash').doNothing())
      .execute();
    return source.id;
  });
}

/** The source a write key belongs to, or null for an unknown or revoked key. */
export async function sourceForWriteKey(database: Kysely<Database>, key: string): Promise<WriteKeySource | null> {
  const presented = hashSecret(key);
  const row = await database
    .selectFrom('write_keys')
    .innerJoin('sources', 'sources.id', 'write_keys.source_id')
    .select(['write_keys.key_hash', 'write_keys.kind', 'sources.id', 'sources.name'])
    .where('write_keys.key_hash', '=', presented)
    .where('write_keys.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row || !sameHash(row.key_hash, presented)) return null;
  return { id: row.id, name: row.name, kind: row.kind === 'browser' ? 'browser' : 'server' };
}

/** Write keys on record, revoked or not: none means a first start, which creates one. */
export async function countWriteKeys(database: Kysely<Database>): Promise<number> {
  const keys = await sql<{ count: number }>`select count(*)::int8 as count from write_keys`.execute(database);
  return keys.rows[0]?.count ?? 0;
}

/** Admin tokens that still work. */
export async function countAdminTokens(database: Kysely<Database>): Promise<number> {
  const row = await database
    .selectFrom('admin_tokens')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Adds a token (kept as it is if known, revoked or not); true when it was new. */
export async function addAdminToken(database: Kysely<Database>, token: string, label: string): Promise<boolean> {
  const tokenHash = hashSecret(token);
  const prefix = secretPrefix(token);
  const inserted = await database
    .insertInto('admin_tokens')
    .values({ token_hash: tokenHash, label, token_prefix: prefix })
    .onConflict((conflict) => conflict.column('token_hash').doNothing())
    .returning('label')
    .executeTakeFirst();
  if (inserted !== undefined) return true;
  // A token kept from before prefixes were stored gets its prefix the next time it is presented here.
  await database
    .updateTable('admin_tokens')
    .set({ token_prefix: prefix })
    .where('token_hash', '=', tokenHash)
    .where('token_prefix', 'is', null)
    .execute();
  return false;
}

/** The label of a valid admin token (who is acting, for the audit log), or null for an unknown or revoked one. */
export async function adminTokenLabel(database: Kysely<Database>, token: string): Promise<string | null> {
  const presented = hashSecret(token);
  const row = await database
    .selectFrom('admin_tokens')
    .select(['token_hash', 'label'])
    .where('token_hash', '=', presented)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined && sameHash(row.token_hash, presented) ? row.label : null;
}
