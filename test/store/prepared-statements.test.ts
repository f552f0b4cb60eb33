// Marked statements are prepared under a name on the connection, on a real database; others are not.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { StoreLocation } from '../../src/config/settings.js';
import { openStore, type Store } from '../../src/store/database.js';
import { prepared, preparingPool } from '../../src/store/prepared-statements.js';
import { freshLocation } from '../support/test-tend.js';

let store: Store;
let location: StoreLocation;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const fresh = await freshLocation();
  cleanup = fresh.cleanup;
  location = fresh.location;
  // One connection, so that every statement below runs on the session whose statements are listed.
  store = await openStore(fresh.location, { poolSize: 1 });
});

afterAll(async () => {
  await store?.close();
  await cleanup?.();
});

const preparedHere = async (): Promise<string[]> =>
  (
    await sql<{ statement: string }>`select statement from pg_prepared_statements order by statement`.execute(
      store.database,
    )
  ).rows.map((row) => row.statement);

describe('prepared statements', () => {
  it('prepares a marked statement once and runs it again with other values', async () => {
    const double = (value: number) =>
      prepared(sql<{ doubled: number }>`select ${value}::int * 2 as doubled`).execute(store.database);
    expect((await double(2)).rows).toEqual([{ doubled: 4 }]);
    expect((await double(21)).rows).toEqual([{ doubled: 42 }]);
    await sql`select ${3}::int + 1 as unmarked`.execute(store.database);
    const statements = await preparedHere();
    expect(statements.filter((text) => text.includes('* 2 as doubled'))).toHaveLength(1);
    expect(statements.some((text) => text.includes('unmarked'))).toBe(false);
  });

  it('prepares a marked statement afresh when its first use fell in a failed transaction', async () => {
    const find = (id: string) =>
      prepared(sql<{ id: string }>`select id from accounts where id = ${id} and 'failed first' <> ''`);
    await expect(
      store.database.transaction().execute(async (trx) => {
        await sql`select no_such_column from accounts`.execute(trx).catch(() => {});
        // The transaction is aborted: the statement's first Parse fails, so it is not prepared.
        await find('a').execute(trx);
      }),
    ).rejects.toThrow(/current transaction is aborted/);
    expect((await find('a').execute(store.database)).rows).toEqual([]);
    expect((await find('b').execute(store.database)).rows).toEqual([]);
    expect((await preparedHere()).filter((text) => text.includes('failed first'))).toHaveLength(1);
  });

  it('lets two connections to one embedded session prepare the same statement', async () => {
    // The embedded database has one session for all its connections: a name must be a connection's own.
    const poolFor = (): pg.Pool =>
      location.kind === 'postgres'
        ? new pg.Pool({ connectionString: location.url, max: 1 })
        : new pg.Pool({ host: location.dataDirectory, port: 5432, user: 'postgres', database: 'postgres', max: 1 });
    const pools = [poolFor(), poolFor()];
    // A connection still closing when the file's database is dropped is told so; that is no failure here.
    for (const pool of pools) pool.on('error', () => undefined);
    try {
      for (const pool of pools) {
        const client = await preparingPool(pool).connect();
        try {
          for (const value of [1, 2])
            expect((await client.query(`/* prepared */ select $1::int + 1 as next`, [value])).rows).toEqual([
              { next: value + 1 },
            ]);
        } finally {
          client.release();
        }
      }
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });
});
