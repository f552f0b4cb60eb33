// The opt-out an erasure leaves behind: the erased person's user ids, e-mail addresses and phone numbers,
// kept as SHA-256 hashes of their normalised form, so that Tend can recognise them (a re-import, a new
// identify) and never contact them again, without keeping what they were.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { normalisedEmail, normalisedPhone } from '../domain/personal-data.js';
import type { Database } from './schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

export type ErasedIdentityKind = 'user-id' | 'email' | 'phone';

/** One hashed identity of an erased person: what a restore re-applies. */
export interface ErasedIdentity {
  readonly hash: string;
  readonly kind: ErasedIdentityKind;
  readonly erasedAt: string;
}

/** The hash an identity is kept as; e-mail addresses and phone numbers are normalised first. */
function identityHash(kind: ErasedIdentityKind, value: string): string {
  const normal = kind === 'email' ? normalisedEmail(value) : kind === 'phone' ? normalisedPhone(value) : value;
  return createHash('sha256').update(normal, 'utf8').digest('hex');
}

/** Keeps the hashes of an erased person's identities; returns how many were new. */
export async function suppressIdentities(
  executor: Executor,
  identities: readonly { kind: ErasedIdentityKind; value: string }[],
  at: Date,
): Promise<number> {
  const rows = new Map<string, { identity_hash: string; kind: ErasedIdentityKind; erased_at: Date }>();
  for (const { kind, value } of identities) {
    if (value.trim() === '') continue;
    const hash = identityHash(kind, value);
    rows.set(hash, { identity_hash: hash, kind, erased_at: at });
  }
  return insertHashes(executor, [...rows.values()]);
}

type HashRow = { identity_hash: string; kind: string; erased_at: Date | string };

async function insertHashes(executor: Executor, rows: readonly HashRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await executor
    .insertInto('erased_identities')
    .values(rows)
    .onConflict((conflict) => conflict.column('identity_hash').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0);
}

/**
 * Whether any identity of a person about to be contacted (their id, e-mail, phone, or the address a
 * message is about to go to) belongs to someone who was erased.
 */
export async function isErasedIdentity(
  executor: Executor,
  identities: { contactId: string | null; email: string | null; phone: string | null; recipient: string | null },
): Promise<boolean> {
  const hashes: string[] = [];
  if (identities.contactId !== null) hashes.push(identityHash('user-id', identities.contactId));
  for (const address of [identities.email, identities.phone, identities.recipient]) {
    if (address === null || address.trim() === '') continue;
    hashes.push(identityHash(address.includes('@') ? 'email' : 'phone', address));
  }
  if (hashes.length === 0) return false;
  const found = await executor
    .selectFrom('erased_identities')
    .select('identity_hash')
    .where('identity_hash', 'in', hashes)
    .executeTakeFirst();
  return found !== undefined;
}

/** Every hashed identity of everyone erased: keep it beside backups, and re-apply it after a restore. */
export async function erasureList(executor: Executor): Promise<ErasedIdentity[]> {
  const rows = await executor
    .selectFrom('erased_identities')
    .selectAll()
    .orderBy('erased_at')
    .orderBy('identity_hash')
    .execute();
  return rows.map((row) => ({
    hash: row.identity_hash,
    kind: row.kind as ErasedIdentityKind,
    erasedAt: row.erased_at.toISOString(),
  }));
}

/** Keeps hashed identities from an erasure list (after a restore); returns how many were new. */
export async function restoreErasedIdentities(executor: Executor, list: readonly ErasedIdentity[]): Promise<number> {
  const rows = list.map(({ hash, kind, erasedAt }) => ({ identity_hash: hash, kind, erased_at: erasedAt }));
  return insertHashes(executor, rows);
}
