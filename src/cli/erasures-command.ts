// `tend erasures export FILE` and `tend restore FILE --erasures LIST`: a backup taken before an erasure
// still holds the erased person, so the list of erasures (hashed identities and when, no personal data)
// is kept beside the backups and re-applied after a restore.
import { readFileSync, writeFileSync } from 'node:fs';
import { TendError } from '../domain/errors.js';
import type { StoreLocation } from '../config/settings.js';
import { openStore } from '../store/database.js';
import { reapplyErasures } from '../store/erasure.js';
import { type ErasedIdentity, erasureList } from '../store/erasure-suppression.js';
import { storeLocationFrom } from '../config/environment.js';

const kinds = new Set(['user-id', 'email', 'phone']);

/** Reads an erasure list written by `tend erasures export`, naming what is wrong with it. */
export function readErasureList(file: string): ErasedIdentity[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TendError('invalid_file', `${file} is not an erasure list made by tend erasures export (${reason}).`, [
      { field: '--erasures', message: 'is not readable JSON' },
    ]);
  }
  const erasures = (parsed as { erasures?: unknown }).erasures;
  if (!Array.isArray(erasures)) {
    throw new TendError('invalid_file', `${file} has no "erasures" list: make it with tend erasures export FILE.`, [
      { field: '--erasures', message: 'has no erasures' },
    ]);
  }
  return erasures.map((entry, index) => {
    const { hash, kind, erasedAt } = (entry ?? {}) as Record<string, unknown>;
    const valid =
      typeof hash === 'string' &&
      /^[0-9a-f]{64}$/.test(hash) &&
      typeof kind === 'string' &&
      kinds.has(kind) &&
      typeof erasedAt === 'string' &&
      !Number.isNaN(Date.parse(erasedAt));
    if (!valid) {
      throw new TendError(
        'invalid_file',
        `${file}: erasures[${index}] is not a hashed identity with kind and erasedAt; the file may have been edited.`,
        [{ field: `erasures[${index}]`, message: 'is malformed' }],
      );
    }
    return { hash, kind, erasedAt } as ErasedIdentity;
  });
}

export async function exportErasuresCommand(file: string): Promise<void> {
  const store = await openStore(storeLocationFrom(process.env), { shareRunning: true });
  try {
    const erasures = await erasureList(store.database);
    writeFileSync(file, `${JSON.stringify({ exportedAt: new Date().toISOString(), erasures }, null, 1)}\n`, {
      mode: 0o600,
    });
    console.log(
      `Wrote ${erasures.length} hashed identities of erased people to ${file}. ` +
        `Keep it beside your backups: after a restore, run tend restore BACKUP --erasures ${file}.`,
    );
  } finally {
    await store.close();
  }
}

/** After a restore: erases again everyone the list says was erased after the backup was taken. */
export async function reapplyErasureList(location: StoreLocation, list: readonly ErasedIdentity[]): Promise<number> {
  const store = await openStore(location);
  try {
    return await reapplyErasures(store.database, list, new Date());
  } finally {
    await store.close();
  }
}
