// Backups of a running embedded database. The process that serves PGlite answers backup requests on a
// second Unix socket in the data directory (owner-only, like the database's own): it takes a snapshot
// of the database's files between two transactions (embedded-postgres-worker.mjs says how) into a
// private staging folder, then streams it as a gzipped tar while the database goes on serving.
//
// Why a snapshot of the files, not a logical dump over the database socket: the socket server does keep
// an open transaction to its connection (it serves no other connection until that one commits), so a
// dump inside one transaction would be consistent too, but it would hold every request of Tend for the
// whole dump and have to rebuild the schema, partitions and sequences by hand. The copy holds the
// database only while the files are copied, and carries everything the database holds.
import { chmodSync, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { TendError } from '../domain/errors.js';
import { archiveStream } from './backup-archive.js';

const stagingPrefix = '.backup-staging-';
export const embeddedBackupFormat = 'tend-embedded-backup';

/** The manifest at the head of every embedded backup. */
export interface BackupManifest {
  readonly format: typeof embeddedBackupFormat;
  readonly formatVersion: 1;
  /** PostgreSQL's major version inside PGlite: only the same major version can open the files. */
  readonly postgresMajor: string;
  readonly takenAt: string;
}

/** The answer's status line when no backup follows. */
const refusal = (message: string): string => `${JSON.stringify({ ok: false, message })}\n`;

/** Named no longer than the database's socket (`.s.PGSQL.5432`): a socket's path has a length limit. */
export function backupSocketPath(directory: string): string {
  return join(directory, '.s.TEND.bkp');
}

/**
 * Answers backup requests on `path` until closed, one at a time. `snapshot` copies the database's
 * consistent files into the folder it is given.
 */
export async function serveBackups(
  path: string,
  snapshot: (into: string) => Promise<void>,
): Promise<{ close(): Promise<void> }> {
  const directory = dirname(path);
  // Left behind by a process killed during a backup; only one process serves a data directory.
  for (const name of readdirSync(directory)) {
    if (name.startsWith(stagingPrefix)) rmSync(join(directory, name), { recursive: true, force: true });
  }
  rmSync(path, { force: true });
  let busy = false;
  const connections = new Set<Socket>();
  const server: Server = createServer((connection) => {
    connections.add(connection);
    connection.once('close', () => connections.delete(connection));
    connection.on('error', () => connection.destroy());
    connection.once('data', () => {
      if (busy) return void connection.end(refusal('another backup is being taken; try again when it has finished'));
      busy = true;
      void answer(connection).finally(() => (busy = false));
    });
  });
  async function answer(connection: Socket): Promise<void> {
    const staging = mkdtempSync(join(directory, stagingPrefix));
    let streaming = false;
    try {
      await snapshot(join(staging, 'pgdata'));
      const manifest: BackupManifest = {
        format: embeddedBackupFormat,
        formatVersion: 1,
        postgresMajor: readFileSync(join(staging, 'pgdata', 'PG_VERSION'), 'utf8').trim(),
        takenAt: new Date().toISOString(),
      };
      connection.write(`${JSON.stringify({ ok: true })}\n`);
      streaming = true;
      await pipeline(archiveStream(manifest, staging), createGzip(), connection);
    } catch (error) {
      // Once the archive flows, a failure can only cut it short, which the client's check of the file finds.
      const reason = error instanceof Error ? error.message : String(error);
      if (!streaming && connection.writable) connection.end(refusal(reason));
      else connection.destroy();
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(path, () => listening());
  });
  chmodSync(path, 0o600);
  return {
    close: () =>
      new Promise<void>((closed) => {
        for (const connection of connections) connection.destroy();
        server.close(() => closed());
      }),
  };
}

/** Reads the answer's first line (a JSON status), then hands the rest of the stream on. */
function status(connection: Socket): Promise<{ ok: boolean; message?: string; rest: Buffer }> {
  return new Promise((answered, failed) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf(10);
      if (end < 0) return;
      connection.off('data', onData);
      connection.pause();
      try {
        answered({ ...JSON.parse(received.subarray(0, end).toString('utf8')), rest: received.subarray(end + 1) });
      } catch {
        failed(new Error('the backup socket answered something that is not a backup'));
      }
    };
    connection.on('data', onData);
    connection.once('error', failed);
    connection.once('end', () => failed(new Error('the running Tend closed the connection without an answer')));
  });
}

/**
 * Asks the process serving the embedded database in `directory` for a backup and writes it to `file`
 * (created owner-only; the caller checks it is whole).
 */
export async function requestBackup(directory: string, file: string): Promise<void> {
  const connection = createConnection(backupSocketPath(directory));
  await new Promise<void>((connected, failed) => {
    connection.once('connect', () => connected());
    connection.once('error', (error) =>
      failed(
        new TendError(
          'unavailable',
          `The Tend serving ${directory} takes no backups (${error.message}); ` +
            'is it an older version? Stop it and run tend backup again.',
        ),
      ),
    );
  });
  connection.write('backup\n');
  const answer = await status(connection);
  if (!answer.ok) {
    throw new TendError('unavailable', `The backup of ${directory} failed: ${answer.message ?? 'no reason given'}`);
  }
  const output = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  output.write(answer.rest);
  connection.resume();
  await pipeline(connection, output);
}
