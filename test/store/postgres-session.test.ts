// Every connection Tend opens to PostgreSQL runs without JIT compilation: the server compiles a statement
// it estimates costly before running it (on by default), and for Tend's statements the compiling took
// many times longer than running them (docs/benchmarks/2026-12-07-app.md).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { freshLocation, usingPostgres } from '../support/test-tend.js';

describe.skipIf(!usingPostgres())("Tend's PostgreSQL sessions", () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshLocation();
    cleanup = fresh.cleanup;
    store = await openStore(fresh.location, { poolSize: 3 });
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  it('turn JIT compilation off on every connection of the pool', async () => {
    // Three at once, so that the pool opens three connections.
    const setting = sql<{ jit: string; pid: number }>`
      select current_setting('jit') as jit, pg_backend_pid() as pid, pg_sleep(0.05)`;
    const settings = await Promise.all([1, 2, 3].map(() => setting.execute(store.database)));
    const rows = settings.map((result) => result.rows[0]!);
    expect(new Set(rows.map((row) => row.pid)).size).toBe(3);
    expect(rows.map((row) => row.jit)).toEqual(['off', 'off', 'off']);
  });
});
