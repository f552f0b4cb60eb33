// Runs PGlite (Postgres in WebAssembly) on a worker thread and serves it over a Unix socket with the
// Postgres wire protocol. PGlite executes queries synchronously on the thread that owns it, so keeping
// it here keeps the HTTP event loop responsive during slow queries
// (docs/benchmarks/2026-11-23-event-loop-stall.md).
// Plain JavaScript because worker threads do not inherit the TypeScript loader of the main thread.
import { chmodSync, constants, cpSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { dataDirectory, socketPath, maxConnections } = workerData;

/** How long a snapshot waits for a moment without an open transaction before it gives up. */
const snapshotPatienceMilliseconds = 60_000;

/** Reads one row of every table of Tend's schema: a relation whose files are missing or unreadable fails here. */
async function checkReadable(database) {
  const tables = await database.query(`
    select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg_toast%'`);
  for (const { name } of tables.rows) await database.query(`select 1 from ${name} limit 1`);
}

/**
 * Copies the database's files into `into` between two protocol messages, outside any explicit
 * transaction (PGlite has one session, which all socket connections share). The copy is synchronous
 * inside PGlite's query lock, so nothing writes while it is taken: like the files at the instant of a
 * crash, they open to exactly the transactions committed by then (PostgreSQL replays its log at
 * start). No CHECKPOINT first: a statement of ours in that one session, between a connection's Parse
 * and its Bind, would discard the statement that connection had just prepared.
 */
async function snapshot(database, into) {
  const giveUpAt = Date.now() + snapshotPatienceMilliseconds;
  for (;;) {
    const taken = await database.runExclusive(async () => {
      if (database.isInTransaction()) return false;
      cpSync(dataDirectory, into, { recursive: true, mode: constants.COPYFILE_FICLONE });
      return true;
    });
    if (taken) return;
    if (Date.now() > giveUpAt) throw new Error('a transaction stayed open for a minute; try again');
    await new Promise((resume) => setTimeout(resume, 1));
  }
}

try {
  const database = await PGlite.create({ dataDir: dataDirectory, relaxedDurability: false });
  try {
    await checkReadable(database);
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  const server = new PGLiteSocketServer({ db: database, path: socketPath, maxConnections });
  await server.start();
  // Whoever can open the socket has the whole database, without a password: only Tend's own user may.
  chmodSync(socketPath, 0o600);
  parentPort.postMessage({ kind: 'ready' });
  parentPort.on('message', async (message) => {
    if (message?.kind === 'snapshot') {
      try {
        await snapshot(database, message.into);
        parentPort.postMessage({ kind: 'snapshot-taken', id: message.id });
      } catch (error) {
        parentPort.postMessage({ kind: 'snapshot-failed', id: message.id, message: String(error?.message ?? error) });
      }
      return;
    }
    if (message?.kind !== 'stop') return;
    try {
      await server.stop();
      await database.close();
      parentPort.postMessage({ kind: 'stopped' });
    } catch (error) {
      parentPort.postMessage({ kind: 'failed', message: String(error?.stack ?? error) });
    }
  });
} catch (error) {
  parentPort.postMessage({ kind: 'failed', message: String(error?.message ?? error) });
}
