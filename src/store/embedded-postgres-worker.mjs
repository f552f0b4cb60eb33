// Runs PGlite (Postgres in WebAssembly) on a worker thread and serves it over a Unix socket with the
// Postgres wire protocol. PGlite executes queries synchronously on the thread that owns it, so keeping
// it here keeps the HTTP event loop responsive during slow queries (measured: see BENCHMARKS.md).
// Plain JavaScript because worker threads do not inherit the TypeScript loader of the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { dataDirectory, socketPath, maxConnections } = workerData;

try {
  const database = await PGlite.create({ dataDir: dataDirectory, relaxedDurability: false });
  const server = new PGLiteSocketServer({ db: database, path: socketPath, maxConnections });
  await server.start();
  parentPort.postMessage({ kind: 'ready' });
  parentPort.on('message', async (message) => {
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
  parentPort.postMessage({ kind: 'failed', message: String(error?.stack ?? error) });
}
