// Starts the embedded database: PGlite on its own thread, reachable through a Unix socket in the
// data directory, so that the rest of Tend talks to it with the same driver (pg) and the same SQL
// as to a real PostgreSQL server.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { TendError } from '../domain/errors.js';

/** The port number only names the socket file (`.s.PGSQL.<port>`), as libpq expects. */
const socketPort = 5432;

export interface EmbeddedPostgres {
  /** Connection settings for pg: a socket directory as host. */
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

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
 * Starts PGlite for the data directory. When another Tend process already serves it, a command-line
 * tool may share that process's database (`shareRunning`); a second server may not.
 */
export async function startEmbeddedPostgres(dataDirectory: string, shareRunning = false): Promise<EmbeddedPostgres> {
  const directory = resolve(dataDirectory);
  mkdirSync(directory, { recursive: true });
  const socketPath = join(directory, `.s.PGSQL.${socketPort}`);
  if (existsSync(socketPath)) {
    if (await socketAnswers(socketPath)) {
      if (shareRunning) return { host: directory, port: socketPort, stop: async () => {} };
      throw new TendError(
        'data_directory_in_use',
        `Another Tend process is using the data directory ${directory}. Stop it, or set TEND_DATA_DIR to another folder.`,
      );
    }
    rmSync(socketPath); // left behind by a process that did not shut down cleanly
  }
  const worker = new Worker(new URL('./embedded-postgres-worker.mjs', import.meta.url), {
    workerData: { dataDirectory: join(directory, 'pgdata'), socketPath, maxConnections: 16 },
    execArgv: [],
  });
  await new Promise<void>((ready, failed) => {
    worker.once('message', (message: { kind: string; message?: string }) => {
      if (message.kind === 'ready') ready();
      else failed(new Error(`The embedded database in ${directory} could not start: ${message.message}`));
    });
    worker.once('error', failed);
  });
  let stopped: Promise<void> | null = null;
  return {
    host: directory,
    port: socketPort,
    stop: () => {
      stopped ??= new Promise<void>((done) => {
        worker.once('message', () => void worker.terminate().then(() => done()));
        worker.postMessage({ kind: 'stop' });
      });
      return stopped;
    },
  };
}
