// Named prepared statements for the few statements every ingest runs. Sent unnamed, each was parsed,
// analysed and planned anew on every call: for the events' statement (a WITH of up to ten parts) and
// the evaluation's read that was a good share of each call on the embedded database, whose one
// connection is the ingest's bottleneck (docs/benchmarks/2026-12-01-signals.md, "Prepared statements
// on the hot path"). A statement marked with `prepared` is sent under a name derived from its text,
// so the server parses it once per connection and may reuse its plan.
// Only marked statements are: their texts do not vary with the number of rows (values go in arrays),
// only with which of their parts a call needs, where the texts of most other statements vary with
// the rows and would fill the server with one-off plans. A marked statement's values must be strings,
// numbers, dates, booleans, nulls or arrays of them: pg keeps a name as prepared even when a value
// failed to convert and the statement was closed, and that name would then fail on every later call.
import { createHash, randomBytes } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import type pg from 'pg';
import type { ConnectionPool } from './connection-turns.js';

const marker = '/* prepared */ ';

/** Marks a statement to be prepared under a name; its text must not vary with the values. */
export function prepared<T>(statement: RawBuilder<T>): RawBuilder<T> {
  return sql<T>`${sql.raw(marker)}${statement}`;
}

type Query = (...arguments_: unknown[]) => unknown;

/**
 * A pool whose connections send marked statements as named prepared statements, at most
 * `namesPerConnection` different ones a connection (the rest go unnamed, as before). Names are the
 * connection's own: the embedded database has one session, shared by every connection to it (a
 * command-line tool beside a running Tend, or a connection opened again after an error), and a name
 * another connection prepared there would be refused as already existing.
 */
export function preparingPool(pool: ConnectionPool, namesPerConnection = 100): ConnectionPool {
  const names = new WeakMap<pg.PoolClient, Set<string>>();
  return {
    async connect() {
      const client = await pool.connect();
      if (names.has(client)) return client;
      const named = new Set<string>();
      names.set(client, named);
      const connectionName = randomBytes(4).toString('hex');
      const query = client.query as unknown as Query;
      (client as unknown as { query: Query }).query = function (this: pg.PoolClient, ...arguments_: unknown[]) {
        const [text, values] = arguments_;
        if (typeof text !== 'string' || !text.startsWith(marker) || arguments_.length > 2)
          return query.apply(this, arguments_);
        const name = `tend_${connectionName}_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
        if (!named.has(name)) {
          if (named.size >= namesPerConnection) return query.apply(this, arguments_);
          named.add(name);
        }
        return query.call(this, { name, text, values });
      };
      return client;
    },
    end: () => pool.end(),
  };
}
