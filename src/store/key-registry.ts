// Listing, creating and revoking write keys, each change recorded in the audit log in its own
// transaction. A key is named by its prefix (what the list shows): see secret-matching.ts. A key's own
// times are real (the database's now); its audit entries follow Tend's clock, as the rest of the log.
import { type Kysely, sql } from 'kysely';
import type { AuditActor } from '../domain/audit.js';
import { TendError } from '../domain/errors.js';
import type { WriteKeyKind } from '../domain/write-key-kinds.js';
import { recordAuditEntry } from './audit-log.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';
import { hashSecret, newSecret, secretPrefix } from './secrets.js';
import { createdAndRevoked, likePrefix, theOneWorking } from './secret-matching.js';

export interface WriteKeyRecord {
  readonly prefix: string;
  readonly source: string;
  readonly kind: WriteKeyKind;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

const kindOf = (kind: string): WriteKeyKind => (kind === 'browser' ? 'browser' : 'server');
function writeKeys(database: Kysely<Database>) {
  return database
    .selectFrom('write_keys')
    .innerJoin('sources', 'sources.id', 'write_keys.source_id')
    .select([
      'write_keys.key_hash',
      'write_keys.key_prefix',
      'write_keys.kind',
      'write_keys.created_at',
      'write_keys.revoked_at',
      'sources.name',
    ])
    .orderBy('write_keys.created_at')
    .orderBy('write_keys.key_prefix');
}

type WriteKeyRow = Awaited<ReturnType<ReturnType<typeof writeKeys>['execute']>>[number];

const writeKeyRecord = (row: WriteKeyRow): WriteKeyRecord => ({
  prefix: row.key_prefix,
  source: row.name,
  kind: kindOf(row.kind),
  createdAt: new Date(row.created_at),
  revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
});

export async function listWriteKeys(database: Kysely<Database>): Promise<WriteKeyRecord[]> {
  return (await writeKeys(database).execute()).map(writeKeyRecord);
}

/** A new key for a source (created if new), printed once by the caller: only its hash is kept. */
export async function createWriteKey(
  database: Kysely<Database>,
  wanted: { readonly source: string; readonly kind: WriteKeyKind },
  actor: AuditActor,
  at: Date,
): Promise<{ key: string; record: WriteKeyRecord }> {
  const key = newSecret('wk');
  const prefix = secretPrefix(key);
  return database.transaction().execute(async (trx) => {
    await trx
      .insertInto('sources')
      .values({ id: newId(), name: wanted.source })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .execute();
    const source = await trx
      .selectFrom('sources')
      .select('id')
      .where('name', '=', wanted.source)
      .executeTakeFirstOrThrow();
    const row = await trx
      .insertInto('write_keys')
      .values({
        key_hash: hashSecret(key),
        source_id: source.id,
        key_prefix: prefix,
        kind: wanted.kind,
        revoked_at: null,
      })
      .returning('created_at')
      .executeTakeFirstOrThrow();
    await recordAuditEntry(
      trx,
      { actor, action: 'write-key.created', subject: prefix, details: { source: wanted.source, kind: wanted.kind } },
      at,
    );
    return {
      key,
      record: {
        prefix,
        source: wanted.source,
        kind: wanted.kind,
        createdAt: new Date(row.created_at),
        revokedAt: null,
      },
    };
  });
}

/**
 * Revokes the one working key that `which` names: its prefix (or the start of it), or the whole key.
 * Refuses, naming the candidates, a prefix that fits several working keys, none, or only revoked ones.
 */
export async function revokeWriteKey(
  database: Kysely<Database>,
  which: string,
  actor: AuditActor,
  at: Date,
): Promise<WriteKeyRecord> {
  return database.transaction().execute(async (trx) => {
    const rows = await writeKeys(trx)
      .where((eb) =>
        eb.or([
          eb('write_keys.key_prefix', 'like', likePrefix(which)),
          eb('write_keys.key_hash', '=', hashSecret(which)),
        ]),
      )
      .execute();
    const working = rows.filter((row) => row.revoked_at === null);
    const described = (row: WriteKeyRow): string => describeWriteKey(writeKeyRecord(row));
    const target = theOneWorking(which, 'write key', working, rows, described, 'tend keys list');
    const revoked = await trx
      .updateTable('write_keys')
      .set({ revoked_at: sql<Date>`now()` })
      .where('key_hash', '=', target.key_hash)
      .where('revoked_at', 'is', null)
      .returning('revoked_at')
      .executeTakeFirst();
    if (revoked === undefined)
      throw new TendError('conflict', `The write key ${target.key_prefix} was revoked a moment ago by someone else.`, [
        { field: 'prefix', message: 'is revoked already' },
      ]);
    const record = { ...writeKeyRecord(target), revokedAt: new Date(revoked.revoked_at!) };
    await recordAuditEntry(
      trx,
      {
        actor,
        action: 'write-key.revoked',
        subject: record.prefix,
        details: { source: record.source, kind: record.kind },
      },
      at,
    );
    return record;
  });
}

export function describeWriteKey(record: WriteKeyRecord): string {
  return `${record.prefix}… (source ${JSON.stringify(record.source)}, ${record.kind}, ${createdAndRevoked(record)})`;
}
