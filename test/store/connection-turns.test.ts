// Requests before background rounds, on a real database: with every connection held, a query made
// by a request is served before queries that background rounds queued earlier.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inBackground } from '../../src/store/connection-turns.js';
import { openStore, type Store } from '../../src/store/database.js';
import { freshLocation } from '../support/test-tend.js';

let store: Store;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const fresh = await freshLocation();
  cleanup = fresh.cleanup;
  // One connection on PostgreSQL too, the embedded database's case.
  store = await openStore(fresh.location, { poolSize: 1 });
});

afterAll(async () => {
  await store?.close();
  await cleanup?.();
});

describe('turns at the connection', () => {
  it('serves a request before the background rounds queued ahead of it', async () => {
    const order: string[] = [];
    let letGo = (): void => {};
    const held = new Promise<void>((done) => (letGo = done));
    // A transaction holds the only connection until the queries below have all queued.
    const holding = store.database.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      await held;
    });
    await new Promise((done) => setTimeout(done, 20));
    const query = (name: string) =>
      sql<{ name: string }>`select ${name}::text as name`
        .execute(store.database)
        .then((result) => order.push(result.rows[0]!.name));
    const rounds = [inBackground(() => query('evaluation round')), inBackground(() => query('playbook round'))];
    await new Promise((done) => setImmediate(done));
    const request = query('request');
    letGo();
    await Promise.all([holding, request, ...rounds]);
    expect(order).toEqual(['request', 'evaluation round', 'playbook round']);
  });
});
