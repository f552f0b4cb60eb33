import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { preparingPool } from './prepared-statements.js';

const marked = (text: string) => `/* prepared */ ${text}`;

/** One connection that records what each query was sent as. */
function recordingPool(): { pool: Parameters<typeof preparingPool>[0]; sent: unknown[][] } {
  const sent: unknown[][] = [];
  const client = { query: (...arguments_: unknown[]) => sent.push(arguments_), release: () => {} } as unknown as pg.PoolClient;
  return { pool: { connect: async () => client, end: async () => {} }, sent };
}

describe('preparingPool', () => {
  it('names marked statements by their text, and leaves the others alone', async () => {
    const { pool, sent } = recordingPool();
    const client = await preparingPool(pool).connect();
    await client.query(marked('select $1::int'), [1]);
    await client.query(marked('select $1::int'), [2]);
    await client.query('select $1::int', [3]);
    const [first, second, third] = sent;
    const named = first![0] as { name: string; text: string; values: unknown[] };
    expect(named.name).toMatch(/^tend_[0-9a-f]{8}_[0-9a-f]{24}$/);
    expect(named).toEqual({ name: named.name, text: marked('select $1::int'), values: [1] });
    expect(second![0]).toEqual({ name: named.name, text: marked('select $1::int'), values: [2] });
    expect(third).toEqual(['select $1::int', [3]]);
  });

  it('prepares at most the allowed number of texts on a connection, the rest unnamed', async () => {
    const { pool, sent } = recordingPool();
    const preparing = preparingPool(pool, 2);
    const client = await preparing.connect();
    for (const text of ['select 1', 'select 2', 'select 3', 'select 1']) await client.query(marked(text), []);
    // The same connection checked out again keeps its names (and is not wrapped twice).
    const again = await preparing.connect();
    await again.query(marked('select 2'), []);
    expect(sent.map((arguments_) => (typeof arguments_[0] === 'string' ? 'unnamed' : 'named'))).toEqual(['named', 'named', 'unnamed', 'named', 'named']);
  });
});
