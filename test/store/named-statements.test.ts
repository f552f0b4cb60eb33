// Repeated statements go to the database as named (prepared) ones, on PGlite and on PostgreSQL: a
// text used twice is prepared on the connection that runs it, a text used once is not, and a store
// opened with named statements off prepares nothing.
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type Store, openStore } from '../../src/store/database.js';
import { StatementNames } from '../../src/store/prepared-statements.js';
import { freshLocation, usingPostgres } from '../support/test-tend.js';

const opened: { store: Store; cleanup: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const { store, cleanup } of opened.splice(0)) {
    await store.close();
    await cleanup();
  }
});

async function open(namedStatements?: boolean): Promise<Store> {
  const { location, cleanup } = await freshLocation();
  const store = await openStore(location.kind === 'postgres' && namedStatements === false ? { ...location, namedStatements: false } : location);
  opened.push({ store, cleanup });
  return store;
}

/** Runs `work` and then lists the prepared statements, all on one connection. */
async function onOneConnection(store: Store, work: (run: (text: string) => Promise<unknown>) => Promise<void>): Promise<string[]> {
  return store.database.connection().execute(async (connection) => {
    await work((text) => sql.raw(text).execute(connection));
    const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements order by prepare_time`.execute(connection);
    return prepared.rows.map((row) => row.statement);
  });
}

describe('named statements', () => {
  it('prepares a statement on its second use and reuses it after', async () => {
    const store = await open();
    const once = 'select count(*) from accounts where id is null';
    const repeated = 'select count(*) from contacts where id is null';
    const prepared = await onOneConnection(store, async (run) => {
      await run(once);
      for (let time = 0; time < 8; time++) await run(repeated);
    });
    expect(prepared).toContain(repeated);
    expect(prepared).not.toContain(once);
    expect(prepared.filter((statement) => statement === repeated)).toHaveLength(1);
  });

  it.skipIf(!usingPostgres())('prepares nothing when turned off (for a pooler that cannot keep them)', async () => {
    const store = await open(false);
    const prepared = await onOneConnection(store, async (run) => {
      for (let time = 0; time < 4; time++) await run('select count(*) from contacts where id is null');
    });
    expect(prepared).toEqual([]);
  });

  it('gives a bounded number of texts a name, each its own', () => {
    const names = new StatementNames();
    const given = new Set<string>();
    for (let index = 0; index < 300; index++) {
      const text = `select ${index}`;
      expect(names.nameFor(text)).toBeUndefined();
      const name = names.nameFor(text);
      if (name !== undefined) given.add(name);
    }
    expect(given.size).toBe(200);
    expect(names.size).toBe(200);
    expect(names.nameFor('select 0')).toBe('tend_1');
    expect(names.nameFor('select 299')).toBeUndefined();
  });
});
