// A throwaway PostgreSQL cluster for the benchmarks (the test suite's helper, typed here), stopped and
// deleted when the benchmark ends, and fresh databases inside it.
import pg from 'pg';
import { onCleanup } from './cleanup.js';

export interface PostgresCluster {
  /** URL of the cluster's `postgres` database, as the superuser. */
  readonly url: string;
  stop(): void;
}

interface ThrowawayPostgres {
  startThrowawayPostgres(options: {
    durable?: boolean;
    tuning?: string[];
  }): Promise<{ url: string; stop(): void } | { skipped: string }>;
}

/**
 * Starts a cluster that syncs every commit to disk (`durable`), so that ingest figures are honest,
 * or returns the reason it cannot (no PostgreSQL installed).
 */
export async function startPostgresCluster(tuning: string[]): Promise<PostgresCluster | { skipped: string }> {
  // The helper is plain JavaScript without type declarations: a computed specifier keeps TypeScript
  // from looking for them, and the interface above states its shape.
  const helper = '../../test/support/throwaway-postgres.mjs';
  const { startThrowawayPostgres } = (await import(helper)) as ThrowawayPostgres;
  const started = await startThrowawayPostgres({ durable: true, tuning });
  if ('skipped' in started) return started;
  const stop = onCleanup(() => started.stop());
  return { url: started.url, stop };
}

/** Creates an empty database in the cluster and returns its URL. */
export async function createDatabase(cluster: PostgresCluster, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  return url.toString();
}
