// A store of its own for one test file, opened before its tests and closed and dropped after them,
// for tests that drive the engine directly rather than through a running Tend.
import { afterAll, beforeAll } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { freshLocation } from './test-tend.js';

/** Registers the file's hooks; call the returned function inside a test to get the open store. */
export function storePerFile(): () => Store {
  let store: Store | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const fresh = await freshLocation();
    cleanup = fresh.cleanup;
    store = await openStore(fresh.location);
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });
  return () => {
    if (store === undefined) throw new Error('The store opens in beforeAll; use it inside a test.');
    return store;
  };
}
