// Opens the store: a real PostgreSQL when a URL is given, otherwise the embedded PGlite under the data
// directory. Both are reached with the same driver (pg) and the same SQL, so nothing above this file
// knows which one it has.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { StoreLocation } from '../config/settings.js';
import { ConnectionTurns } from './connection-turns.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';
import { preparingPool } from './prepared-statements.js';
import { migrateToLatest } from './migrator.js';
import type { Database } from './schema.js';

// bigint columns hold money in minor units and counts: well inside 2^53, so plain numbers are safe.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// Calendar days stay calendar days (YYYY-MM-DD), not instants shifted by the process's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export interface Store {
  readonly database: Kysely<Database>;
  readonly kind: StoreLocation['kind'];
  /** A human-readable place, without credentials, for start-up messages. */
  readonly description: string;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Connections in the pool; the embedded database serialises them anyway. */
  readonly poolSize?: number;
  /** Run migrations after opening (the default). */
  readonly migrate?: boolean;
  /** Use the embedded database of a Tend already running on the same data directory (command-line tools). */
  readonly shareRunning?: boolean;
}

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    parsed.username = parsed.username ? parsed.username : '';
    return parsed.toString().replace(/:@/, '@');
  } catch {
    return 'postgres (unparsable URL)';
  }
}

export async function openStore(location: StoreLocation, options: OpenStoreOptions = {}): Promise<Store> {
  let embedded: EmbeddedPostgres | null = null;
  let pool: pg.Pool;
  let connections: number;
  // A tool sharing a running Tend's embedded database would leave its prepared statements in that
  // database's one session when it exits; its few statements are not worth it.
  const prepares = !(location.kind === 'embedded' && options.shareRunning);
  if (location.kind === 'postgres') {
    connections = options.poolSize ?? 10;
    pool = new pg.Pool({ connectionString: location.url, max: connections });
  } else {
    connections = 1;
    embedded = await startEmbeddedPostgres(location.dataDirectory, { shareRunning: options.shareRunning ?? false });
    pool = new pg.Pool({
      host: embedded.host,
      port: embedded.port,
      user: 'postgres',
      database: 'postgres',
      // One connection: PGlite runs one query at a time, and a single session keeps transactions intact.
      max: connections,
      // Kept open when idle: every connection shares PGlite's one session, where a closed connection's
      // prepared statements would stay behind (a new one prepares its own, see prepared-statements).
      ...(prepares ? { idleTimeoutMillis: 0 } : {}),
    });
  }
  pool.on('error', () => {
    // An idle client lost its connection (server restart); the pool replaces it on next use.
  });
  pool.on('connect', (client) => {
    // A client in use whose connection ends (the server restarts, an administrator ends it) emits an
    // error nobody listens for while checked out, which would end the process; its query fails
    // anyway, and the pool drops the client when it is released.
    client.on('error', () => {});
    // PostgreSQL compiles a statement it estimates costly with LLVM first (`jit`, on by default): Tend's
    // statements read little, and the compiling took many times longer than running them
    // (docs/benchmarks/2026-12-07-app.md). Queued before anything the pool's user sends; a server
    // without the setting (PostgreSQL before 11) refuses it, which changes nothing.
    if (location.kind === 'postgres') client.query('set jit = off').catch(() => {});
  });
  const database = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new ConnectionTurns(prepares ? preparingPool(pool) : pool, connections) }),
  });
  try {
    if (options.migrate !== false) await migrateToLatest(database as Kysely<unknown>);
  } catch (error) {
    await database.destroy();
    await embedded?.stop();
    throw error;
  }
  let closed: Promise<void> | null = null;
  return {
    database,
    kind: location.kind,
    description:
      location.kind === 'postgres' ? withoutCredentials(location.url) : `embedded PGlite in ${location.dataDirectory}`,
    close: () => {
      closed ??= (async () => {
        await database.destroy();
        await embedded?.stop();
      })();
      return closed;
    },
  };
}
