// Write keys and admin tokens: generated with 256 bits of randomness, shown once, stored only as
// SHA-256 hashes, and compared in constant time. A slow password hash is not needed: the secrets are
// random, not chosen by people, so a fast hash cannot be brute-forced.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId } from './ids.js';
import type { Database } from './schema.js';

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

function sameHash(stored: Buffer, presented: Buffer): boolean {
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}

/** Creates the source if needed and attaches the key; returns the source id. */
export async function addWriteKey(database: Kysely<Database>, sourceName: string, key: string): Promise<string> {
  return database.transaction().execute(async (trx) => {
    await trx.insertInto('sources').values({ id: newId(), name: sourceName }).onConflict((conflict) => conflict.column('name').doNothing()).execute();
    const source = await trx.selectFrom('sources').select('id').where('name', '=', sourceName).executeTakeFirstOrThrow();
    await trx
      .insertInto('write_keys')
      .values({ key_hash: hashSecret(key), source_id: source.id, key_prefix: key.slice(0, 10), revoked_at: null })
      .onConflict((conflict) => conflict.column('key_hash').doNothing())
      .execute();
    return source.id;
  });
}

/** The source a write key belongs to, or null for an unknown or revoked key. */
export async function sourceForWriteKey(database: Kysely<Database>, key: string): Promise<{ id: string; name: string } | null> {
  const presented = hashSecret(key);
  const row = await database
    .selectFrom('write_keys')
    .innerJoin('sources', 'sources.id', 'write_keys.source_id')
    .select(['write_keys.key_hash', 'sources.id', 'sources.name'])
    .where('write_keys.key_hash', '=', presented)
    .where('write_keys.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row || !sameHash(row.key_hash, presented)) return null;
  return { id: row.id, name: row.name };
}

export async function countAdminTokens(database: Kysely<Database>): Promise<number> {
  const row = await database.selectFrom('admin_tokens').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function addAdminToken(database: Kysely<Database>, token: string, label: string): Promise<void> {
  await database.insertInto('admin_tokens').values({ token_hash: hashSecret(token), label }).onConflict((conflict) => conflict.column('token_hash').doNothing()).execute();
}

/** The label of a valid admin token (who is acting, for the audit log), or null. */
export async function adminTokenLabel(database: Kysely<Database>, token: string): Promise<string | null> {
  const presented = hashSecret(token);
  const row = await database.selectFrom('admin_tokens').select(['token_hash', 'label']).where('token_hash', '=', presented).executeTakeFirst();
  return row !== undefined && sameHash(row.token_hash, presented) ? row.label : null;
}
