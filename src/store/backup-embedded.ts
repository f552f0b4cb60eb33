// `tend backup` and `tend restore` for the embedded database. A backup is taken by the process serving
// the data directory (backup-socket.ts: a consistent snapshot while Tend runs); when no Tend runs, this
// process serves it for the moment of the backup. A restore fills an empty directory, then starts the
// database on it once to prove it opens, and removes what it wrote if anything fails.
import { closeSync, createReadStream, existsSync, openSync, readdirSync, readSync } from 'node:fs';
import { renameSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { TendError } from '../domain/errors.js';
import { type ArchiveEntry, ArchiveProblem, type ArchiveVisitor, manifestName } from './backup-archive.js';
import { readArchive, unpackInto } from './backup-archive.js';
import { type BackupManifest, embeddedBackupFormat, requestBackup } from './backup-socket.js';
import { countRecords, type RecordCounts } from './backup-counts.js';
import { openStore } from './database.js';
import { makePrivateDirectory, startEmbeddedPostgres } from './embedded-postgres.js';

export interface CheckedBackup {
  readonly manifest: BackupManifest;
  readonly files: number;
  readonly bytes: number;
}

/** Reads a backup file through, checking it is whole; `also` sees each database entry (to unpack it). */
async function readBackup(file: string, also?: ArchiveVisitor): Promise<CheckedBackup> {
  let manifest: BackupManifest | null = null;
  let manifestBytes: Buffer[] | null = null;
  let files = 0;
  let bytes = 0;
  let sawVersion = false;
  const visitor: ArchiveVisitor = {
    entry: (entry: ArchiveEntry) => {
      if (entry.name === manifestName && manifest === null) {
        manifestBytes = [];
        return;
      }
      if (manifest === null) throw new ArchiveProblem(`it does not start with ${manifestName}: not a Tend backup`);
      if (!entry.name.startsWith('pgdata/') && entry.name !== 'pgdata') {
        throw new ArchiveProblem(`it holds ${entry.name}, outside the database`);
      }
      if (entry.name === 'pgdata/PG_VERSION') sawVersion = true;
      if (entry.kind === 'file') files += 1;
      also?.entry(entry);
    },
    content: (chunk) => {
      if (manifestBytes !== null) return void manifestBytes.push(chunk);
      bytes += chunk.length;
      also?.content(chunk);
    },
    end: (entry) => {
      if (manifestBytes !== null) {
        manifest = parseManifest(Buffer.concat(manifestBytes));
        manifestBytes = null;
        return;
      }
      also?.end(entry);
    },
  };
  try {
    await readArchive(createReadStream(file).pipe(createGunzip()), visitor);
  } catch (error) {
    if (error instanceof ArchiveProblem) {
      throw new TendError('invalid_file', `${file} cannot be restored: ${error.message}.`);
    }
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('Z_')) {
      throw new TendError('invalid_file', `${file} cannot be restored: it is damaged or cut short (${error.message}).`);
    }
    throw error;
  }
  if (manifest === null || !sawVersion) {
    throw new TendError('invalid_file', `${file} cannot be restored: it holds no database.`);
  }
  return { manifest, files, bytes };
}

function parseManifest(text: Buffer): BackupManifest {
  let parsed: Partial<BackupManifest>;
  try {
    parsed = JSON.parse(text.toString('utf8')) as Partial<BackupManifest>;
  } catch {
    throw new ArchiveProblem(`its ${manifestName} is not JSON`);
  }
  if (parsed.format !== embeddedBackupFormat || parsed.formatVersion !== 1) {
    const says = `${JSON.stringify(parsed.format)} ${parsed.formatVersion}`;
    throw new ArchiveProblem(`it is not a backup this version of Tend reads (${manifestName} says ${says})`);
  }
  return parsed as BackupManifest;
}

/**
 * Backs up the embedded database in `directory` to `file`, a new file. The file appears under its name
 * only once it has been read back whole.
 */
export async function backupEmbedded(directory: string, file: string): Promise<CheckedBackup> {
  const dataDirectory = resolve(directory);
  checkNewBackupFile(file);
  if (!existsSync(join(dataDirectory, 'pgdata', 'PG_VERSION'))) {
    throw new TendError(
      'not_found',
      `There is no embedded database in ${dataDirectory} to back up. ` +
        'Set TEND_DATA_DIR to the data directory Tend uses.',
    );
  }
  const partial = `${file}.${process.pid}.partial`;
  const embedded = await startEmbeddedPostgres(dataDirectory, { shareRunning: true });
  try {
    await requestBackup(dataDirectory, partial);
    const checked = await readBackup(partial);
    renameSync(partial, file);
    return checked;
  } finally {
    rmSync(partial, { force: true });
    await embedded.stop();
  }
}

/** What a file to restore holds, from its first bytes. */
function sniff(file: string): 'gzip' | 'pg_dump' | 'other' {
  if (!existsSync(file)) throw new TendError('invalid_file', `${file} does not exist.`);
  const descriptor = openSync(file, 'r');
  const head = Buffer.alloc(5);
  try {
    readSync(descriptor, head, 0, 5, 0);
  } finally {
    closeSync(descriptor);
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.toString('latin1') === 'PGDMP') return 'pg_dump';
  return 'other';
}

/** Whether `file` looks like a PostgreSQL dump (custom format) rather than an embedded backup. */
export function isPostgresDump(file: string): boolean {
  return sniff(file) === 'pg_dump';
}

/** A backup goes to a new file in a folder that exists: it never overwrites one. */
export function checkNewBackupFile(file: string): void {
  if (existsSync(file)) {
    throw new TendError('conflict', `${file} already exists: a backup never overwrites a file; choose a new name.`);
  }
  if (!existsSync(dirname(file))) {
    throw new TendError(
      'invalid_file',
      `The folder ${dirname(file)} does not exist: create it, or put the backup elsewhere.`,
    );
  }
}

/** The first few names of a list, for a message. */
export function firstOf(names: readonly string[]): string {
  return `${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`;
}

export interface RestoredEmbedded extends CheckedBackup {
  readonly counts: RecordCounts;
}

/**
 * Restores `file` into `directory`, which must be empty or not exist: a restore never mixes two
 * databases. The file is checked whole before anything is written.
 */
export async function restoreEmbedded(file: string, directory: string): Promise<RestoredEmbedded> {
  const dataDirectory = resolve(directory);
  const kind = sniff(file);
  if (kind === 'pg_dump') {
    const hint = 'restore it into an empty PostgreSQL database by setting DATABASE_URL';
    throw new TendError('invalid_file', `${file} is a PostgreSQL dump (pg_dump); ${hint}.`);
  }
  if (kind !== 'gzip') {
    throw new TendError('invalid_file', `${file} is not a Tend backup (a gzipped tar made by tend backup).`);
  }
  const present = existsSync(dataDirectory) ? readdirSync(dataDirectory) : null;
  if (present !== null && present.length > 0) {
    throw new TendError(
      'conflict',
      `The data directory ${dataDirectory} is not empty (it holds ${firstOf(present)}). tend restore fills only an ` +
        'empty or new directory: set TEND_DATA_DIR to a new one, or move this one aside first.',
    );
  }
  await readBackup(file);
  makePrivateDirectory(dataDirectory);
  try {
    const checked = await readBackup(file, unpackInto(dataDirectory));
    // Started once on its own (the same start Tend makes): the files open and every table reads.
    const store = await openStore({ kind: 'embedded', dataDirectory }, { migrate: false });
    try {
      return { ...checked, counts: await countRecords(store.database) };
    } finally {
      await store.close();
    }
  } catch (error) {
    for (const name of readdirSync(dataDirectory)) rmSync(join(dataDirectory, name), { recursive: true, force: true });
    if (present === null) rmdirSync(dataDirectory);
    throw error;
  }
}
