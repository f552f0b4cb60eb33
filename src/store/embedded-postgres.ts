// Starts the embedded database: PGlite on its own thread, reachable through a Unix socket in the
// data directory, so that the rest of Tend talks to it with the same driver (pg) and the same SQL
// as to a real PostgreSQL server. The directory and the socket are private to Tend's user.
import { chmodSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { TendError } from '../domain/errors.js';
import { backupSocketPath, serveBackups } from './backup-socket.js';

/** The port number only names the socket file (`.s.PGSQL.<port>`), as libpq expects. */
const socketPort = 5432;

export interface EmbeddedPostgres {
  /** Connection settings for pg: a socket directory as host. */
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /**
   * When another Tend process already serves the data directory, a command-line tool may share that
   * process's database; a second server may not.
   */
  readonly shareRunning?: boolean;
}

type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'failed'; message: string }
  | { kind: 'stopped' }
  | { kind: 'snapshot-taken'; id: number }
  | { kind: 'snapshot-failed'; id: number; message: string };

/** Whether something already answers on the socket (another Tend process on the same data dir). */
function socketAnswers(path: string): Promise<boolean> {
  return new Promise((done) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      done(true);
    });
    probe.once('error', () => done(false));
  });
}

/**
 * Creates the data directory readable by Tend's user alone, whatever the umask, and closes one that
 * others could enter: anyone who reaches the socket inside has the whole database without a password.
 */
export function makePrivateDirectory(directory: string): void {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const mode = statSync(directory).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  chmodSync(directory, 0o700);
  process.emitWarning(
    `The data directory ${directory} was open to other users (mode ${mode.toString(8).padStart(4, '0')}); ` +
      'Tend made it private (0700), since whoever reaches the database socket inside can read and change everything.',
    { type: 'TendWarning', code: 'TEND_DATA_DIRECTORY_MODE' },
  );
}

function couldNotStart(directory: string, reason: string): TendError {
  return new TendError(
    'data_directory_damaged',
    `The embedded database in ${directory} could not start: ${reason}. If its files are damaged (a full disk, ` +
      'a crash of the machine, files changed by hand), restore your last backup into an empty directory with ' +
      '`TEND_DATA_DIR=NEW_DIRECTORY tend restore FILE` and start Tend there (README: Backup and restore).',
  );
}

export async function startEmbeddedPostgres(
  dataDirectory: string,
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const directory = resolve(dataDirectory);
  makePrivateDirectory(directory);
  const socketPath = join(directory, `.s.PGSQL.${socketPort}`);
  if (existsSync(socketPath)) {
    if (await socketAnswers(socketPath)) {
      if (options.shareRunning) return { host: directory, port: socketPort, stop: async () => {} };
      throw new TendError(
        'data_directory_in_use',
        `Another Tend process is using the data directory ${directory}. ` +
          'Stop it, or set TEND_DATA_DIR to another folder.',
      );
    }
    rmSync(socketPath); // left behind by a process that did not shut down cleanly
  }
  const worker = new Worker(new URL('./embedded-postgres-worker.mjs', import.meta.url), {
    workerData: { dataDirectory: join(directory, 'pgdata'), socketPath, maxConnections: 16 },
    execArgv: [],
  });
  const snapshots = new Map<number, { taken: () => void; failed: (error: Error) => void }>();
  let stoppedSignal: (() => void) | null = null;
  await new Promise<void>((ready, failed) => {
    worker.on('message', (message: WorkerMessage) => {
      switch (message.kind) {
        case 'ready':
          return ready();
        case 'failed':
          if (stoppedSignal !== null) return stoppedSignal();
          return failed(couldNotStart(directory, message.message));
        case 'stopped':
          return stoppedSignal?.();
        case 'snapshot-taken':
          snapshots.get(message.id)?.taken();
          return void snapshots.delete(message.id);
        case 'snapshot-failed':
          snapshots.get(message.id)?.failed(new Error(message.message));
          return void snapshots.delete(message.id);
      }
    });
    worker.once('error', (error) => failed(couldNotStart(directory, error.message)));
    worker.once('exit', (code) => failed(couldNotStart(directory, `its thread ended (exit code ${code})`)));
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  let nextSnapshot = 1;
  const backups = await serveBackups(backupSocketPath(directory), (into) => {
    const id = nextSnapshot++;
    return new Promise<void>((taken, failed) => {
      snapshots.set(id, { taken, failed });
      worker.postMessage({ kind: 'snapshot', id, into });
    });
  });
  let stopped: Promise<void> | null = null;
  return {
    host: directory,
    port: socketPort,
    stop: () => {
      stopped ??= (async () => {
        await backups.close();
        await new Promise<void>((done) => {
          // The worker answers 'stopped' or 'failed'; either way it is finished with the database.
          stoppedSignal = done;
          worker.once('error', () => done());
          worker.postMessage({ kind: 'stop' });
        });
        await worker.terminate();
      })();
      return stopped;
    },
  };
}
