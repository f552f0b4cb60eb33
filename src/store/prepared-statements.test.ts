import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { nextCheckWrites } from './account-due-times.js';
import { insertEventRows } from './event-rows.js';
import { healthWrites } from './health-queries.js';
import { ownEvent } from './own-events.js';
import { preparingPool } from './prepared-statements.js';
import type { Database } from './schema.js';
import { signalWrites } from './signal-store.js';
import type { WritePart } from './write-together.js';

const marked = (text: string) => `/* prepared */ ${text}`;

/** One connection that records what each query was sent as. */
function recordingPool(): { pool: Parameters<typeof preparingPool>[0]; sent: unknown[][] } {
  const sent: unknown[][] = [];
  const client = {
    query: (...arguments_: unknown[]) => sent.push(arguments_),
    release: () => {},
  } as unknown as pg.PoolClient;
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
    expect(sent.map((arguments_) => (typeof arguments_[0] === 'string' ? 'unnamed' : 'named'))).toEqual([
      'named',
      'named',
      'unnamed',
      'named',
      'named',
    ]);
  });
});

describe('statements prepared on the hot path', () => {
  // Compiles without a database: only the SQL text is compared.
  const compiler = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (database) => new PostgresIntrospector(database),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  const textOf = (parts: readonly WritePart[]): string =>
    parts.map((part) => part.statement.compile(compiler).sql).join('\n');
  const at = new Date('2026-01-01T00:00:00Z');
  const rows = (count: number) => Array.from({ length: count }, (_, index) => `acct_${index}`);

  it('keep one text whatever the number of rows', () => {
    const events = (count: number) => [
      {
        name: 'events',
        statement: insertEventRows(
          rows(count).map((account) => ownEvent('Signal Raised', `m-${account}`, account, null, {}, at)),
        ),
      },
    ];
    const health = (count: number) =>
      healthWrites(
        rows(count).map((account) => ({
          account_id: account,
          day: '2026-01-01',
          score: 50,
          configured_score: 50,
          churn_probability: null,
          components: '{}',
          top_reasons: '[]',
          computed_at: at,
        })),
      );
    const signals = (count: number) => {
      const signal = {
        kind: 'neglected' as const,
        severity: 40,
        valueAtStakeMinor: 100,
        reasons: ['overdue'],
        deadlineAt: null,
        instance: '',
      };
      const open = rows(count).map((account, index) => ({
        id: `00000000-0000-0000-0000-00000000000${index}`,
        account_id: account,
        kind: 'detractor',
        instance: '',
        raised_at: at,
        severity: 10,
        value_at_stake_minor: 0,
        reasons: [],
        deadline_at: null,
        owner_email: null,
        contact_id: null,
      }));
      return signalWrites(
        rows(count).map((account) => ({ accountId: account, owner: null, active: [signal] })),
        at,
        open,
      ).parts;
    };
    const standing = {
      healthScore: 50,
      lastContactAt: null,
      valueMinor: 0,
      neglected: true,
      asyncOnly: false,
      revenueAtRiskMinor: 100,
    };
    const checks = (count: number) =>
      nextCheckWrites(
        rows(count).map((account) => ({ accountId: account, at, standing })),
        at,
      );
    for (const build of [events, health, signals, checks]) {
      expect(textOf(build(1))).toBe(textOf(build(3)));
      expect(textOf(build(1))).not.toBe('');
    }
  });
});
