// Named (prepared) statements for the statements Tend sends again and again. An unnamed statement is
// parsed and planned on every call; the ingest path's large WITH statements spent about a third as
// long being planned as being run (pg_stat_statements, signals benchmark). A named one is parsed once
// per connection, and after a few runs PostgreSQL may keep a generic plan and skip planning.
// Statements whose text varies (a VALUES list as long as the rows) would give every connection an
// ever-growing set: only a text seen twice is named, and never more than a fixed number of texts.
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/** Distinct statement texts given a name, per process; each connection prepares those it runs. */
const mostNamedStatements = 200;
/** Texts counted while waiting for their second use; the count starts over when it is full. */
const mostCountedTexts = 5_000;

/** Decides which statement texts are worth a name, and gives each one a name of its own. */
export class StatementNames {
  private readonly names = new Map<string, string>();
  private readonly seenOnce = new Set<string>();

  /** The text's name, or undefined to send it unnamed. */
  nameFor(text: string): string | undefined {
    const known = this.names.get(text);
    if (known !== undefined || this.names.size >= mostNamedStatements) return known;
    if (!this.seenOnce.has(text)) {
      if (this.seenOnce.size >= mostCountedTexts) this.seenOnce.clear();
      this.seenOnce.add(text);
      return undefined;
    }
    this.seenOnce.delete(text);
    const name = `tend_${this.names.size + 1}`;
    this.names.set(text, name);
    return name;
  }

  get size(): number {
    return this.names.size;
  }
}

/** A pool for Kysely whose clients send repeated statements as named ones. */
export function poolWithNamedStatements(pool: pg.Pool, names: StatementNames = new StatementNames()): PostgresPool {
  // One wrapper per connection: Kysely keeps its own state per client object it is given.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    connect: async () => {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (wrapper === undefined) {
        wrapper = namingClient(client, names);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

function namingClient(client: pg.PoolClient, names: StatementNames): PostgresPoolClient {
  // Kysely calls query(text, parameters) for statements and query(cursor) for streams.
  const query = (textOrCursor: unknown, parameters?: readonly unknown[]): Promise<PostgresQueryResult<unknown>> => {
    if (typeof textOrCursor !== 'string') return client.query(textOrCursor as pg.QueryConfig) as unknown as Promise<PostgresQueryResult<unknown>>;
    const name = names.nameFor(textOrCursor);
    const config: pg.QueryConfig = name === undefined ? { text: textOrCursor, values: parameters as unknown[] } : { name, text: textOrCursor, values: parameters as unknown[] };
    return client.query(config) as unknown as Promise<PostgresQueryResult<unknown>>;
  };
  return { query: query as PostgresPoolClient['query'], release: () => client.release() };
}
