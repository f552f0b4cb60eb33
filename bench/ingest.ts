// Ingest benchmark: a real `tend start` in its own process, fed Segment batches over loopback, on the
// embedded PGlite and on a durable PostgreSQL, then the same rows COPYed raw as the baseline. Run:
//   npm run bench:ingest -- [--events 1000000] [--batch 100] [--concurrency 8] [--backend pglite|postgres|both] [--repeat 1]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/store/embedded-postgres.js';
import { tendSourceId } from '../src/store/own-events.js';
import { onCleanup } from './support/cleanup.js';
import {
  type CopyResult,
  type ExportedEvents,
  copyIntoPglite,
  copyIntoPostgres,
  exportEvents,
} from './support/copy-baseline.js';
import { quantile, sendAll } from './support/load-client.js';
import { type PostgresCluster, createDatabase, startPostgresCluster } from './support/postgres-cluster.js';
import { startTendProcess } from './support/tend-process.js';
import { type Workload, buildWorkload } from './support/workload.js';
import { type VolumeSlice, VolumeProfile, volumeTable } from './support/volume-profile.js';

type Backend = 'pglite' | 'postgres';

interface Figures {
  readonly startSeconds: number;
  readonly eventsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly peakMegabytes: number | null;
  readonly retries: number;
  readonly failures: number;
  /** Answers with a 5xx status, retried or not: Tend under ordinary load must give none. */
  readonly serverErrors: number;
  readonly ingestSeconds: number;
  readonly copyRowsPerSecond: number;
  readonly copySeconds: number;
  /** Where the time went as the store grew (see VolumeProfile). */
  readonly slices?: readonly VolumeSlice[];
}

const { values: flags } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '8' },
    backend: { type: 'string', default: 'both' },
    repeat: { type: 'string', default: '1' },
    seed: { type: 'string', default: '20261123' },
  },
});

function positiveInteger(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

const events = positiveInteger('events', flags.events);
const batchSize = positiveInteger('batch', flags.batch);
const concurrency = positiveInteger('concurrency', flags.concurrency);
const repeat = positiveInteger('repeat', flags.repeat);
const seed = positiveInteger('seed', flags.seed);
if (batchSize > 500) throw new Error('--batch may be at most 500: Segment limits a request to 500 KB');
const backends: Backend[] =
  flags.backend === 'both'
    ? ['pglite', 'postgres']
    : flags.backend === 'pglite' || flags.backend === 'postgres'
      ? [flags.backend]
      : [];
if (backends.length === 0)
  throw new Error(`--backend must be pglite, postgres or both, got ${JSON.stringify(flags.backend)}`);

const writeKey = 'wk_bench_ingest_0123456789';
// Settings a production PostgreSQL would have; fsync and synchronous_commit stay on (durable cluster).
const postgresTuning = ['shared_buffers=512MB', 'max_wal_size=4GB', 'checkpoint_timeout=15min'];
const seconds = (milliseconds: number): number => milliseconds / 1000;
const log = (text: string): void => console.error(`[${new Date().toISOString().slice(11, 19)}] ${text}`);

function temporaryFolder(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: onCleanup(() => rmSync(path, { recursive: true, force: true })) };
}

async function withClient<T>(config: pg.ClientConfig, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * Checks that Tend stored every sent event exactly once, then exports those rows for the COPY. Tend's
 * own events (a usage milestone reached mid-run raises a signal, recorded as `Signal Raised` under
 * Tend's own source) are not the benchmark's: they are counted apart and left out of the COPY.
 */
async function verifyAndExport(client: pg.Client): Promise<ExportedEvents> {
  const counts = await client.query<{ events: number; distinct_events: number; receipts: number }>(
    `select (select count(*) from events where source_id <> $1)::int as events,
            (select count(*) from (select distinct source_id, message_id from events where source_id <> $1) as once)
              ::int as distinct_events,
            (select count(*) from event_receipts where source_id <> $1)::int as receipts`,
    [tendSourceId],
  );
  const stored = counts.rows[0];
  const own = await client.query<{ name: string; count: number }>(
    'select name, count(*)::int as count from events where source_id = $1 group by name order by name',
    [tendSourceId],
  );
  const ownCounts = own.rows.map((row) => `${row.count} ${row.name}`).join(', ');
  if (own.rows.length > 0) log(`Tend's own events (not counted): ${ownCounts}`);
  if (stored?.events !== events || stored.distinct_events !== events || stored.receipts !== events) {
    const found = `${stored?.events} events (${stored?.distinct_events} distinct) and ${stored?.receipts} receipts`;
    throw new Error(`Tend stored ${found}, expected ${events}`);
  }
  const exported = await exportEvents(client, `source_id <> '${tendSourceId}'`);
  if (exported.rows !== events) throw new Error(`exported ${exported.rows} rows, expected ${events}`);
  return exported;
}

async function runOnce(
  backend: Backend,
  workload: Workload,
  cluster: PostgresCluster | null,
  run: number,
): Promise<Figures> {
  const folder = temporaryFolder(`tend-bench-${backend}-`);
  let databaseUrl: string | null = null;
  let settings: Record<string, string>;
  if (backend === 'postgres') {
    if (!cluster) throw new Error('no PostgreSQL cluster');
    databaseUrl = await createDatabase(cluster, `tend_bench_${run}`);
    settings = { DATABASE_URL: databaseUrl };
  } else {
    settings = { TEND_DATA_DIR: folder.path };
  }
  const tend = await startTendProcess({ ...settings, TEND_WRITE_KEY: writeKey, TEND_LOG_LEVEL: 'warn' });
  log(
    `${backend}: tend start answered /health after ${seconds(tend.startMilliseconds).toFixed(2)} s (pid ${tend.pid}); sending ${events} events`,
  );
  const tenth = Math.max(1, Math.floor(workload.bodies.length / 10));
  const profile = new VolumeProfile(tend.pid, async () => {
    const embedded = { host: folder.path, port: 5432, user: 'postgres', database: 'postgres' };
    const client = new pg.Client(databaseUrl ? { connectionString: databaseUrl } : embedded);
    await client.connect();
    return client;
  });
  await profile.begin();
  let readings = Promise.resolve();
  const load = await sendAll(workload.bodies, {
    url: tend.url,
    writeKey,
    concurrency,
    onProgress: (done) => {
      if (done % tenth >= 500) return;
      readings = readings.then(async () => {
        const slice = await profile.mark(Math.min(events, done * batchSize));
        const memory = `RSS ${slice?.rssMegabytes?.toFixed(0)} MB, load ${slice?.load.toFixed(2)}`;
        const rate = slice ? `, ${Math.round(slice.eventsPerSecond)} events/s in the slice, ${memory}` : '';
        log(`${backend}: ${done} of ${workload.bodies.length} requests${rate}`);
      });
    },
  });
  await readings;
  await profile.mark(events);
  await profile.end();
  const peakMegabytes = tend.peakMemoryMegabytes();
  const errorLines = tend.errorLines();
  await tend.stop();
  if (load.serverErrors > 0) {
    log(`${backend}: ${load.serverErrors} answers were 5xx:\n  ${load.serverErrorSamples.join('\n  ')}`);
    if (errorLines.length > 0) log(`${backend}: Tend logged at error level:\n  ${errorLines.join('\n  ')}`);
  }
  if (load.failures > 0)
    throw new Error(`${load.failures} requests failed after retries; first failure: ${load.firstFailure}`);
  if (load.retries > 0) log(`${backend}: ${load.retries} requests were retried; first failure: ${load.firstFailure}`);
  log(
    `${backend}: ingest took ${seconds(load.wallMilliseconds).toFixed(1)} s; exporting the stored rows for the COPY baseline`,
  );

  let copy: CopyResult;
  if (backend === 'postgres') {
    copy = await withClient({ connectionString: databaseUrl! }, async (client) =>
      copyIntoPostgres(client, await verifyAndExport(client)),
    );
  } else {
    const embedded = await startEmbeddedPostgres(folder.path);
    let exported: ExportedEvents;
    try {
      exported = await withClient(
        { host: embedded.host, port: embedded.port, user: 'postgres', database: 'postgres' },
        verifyAndExport,
      );
    } finally {
      await embedded.stop();
    }
    copy = await copyIntoPglite(folder.path, exported);
  }
  if (copy.rows !== events) throw new Error(`COPY left ${copy.rows} rows, expected ${events}`);
  log(`${backend}: COPY of ${copy.rows} rows took ${seconds(copy.milliseconds).toFixed(1)} s`);
  folder.remove();
  return {
    startSeconds: seconds(tend.startMilliseconds),
    eventsPerSecond: events / seconds(load.wallMilliseconds),
    p50: quantile(load.latencies, 0.5),
    p99: quantile(load.latencies, 0.99),
    max: quantile(load.latencies, 1),
    peakMegabytes,
    retries: load.retries,
    failures: load.failures,
    serverErrors: load.serverErrors,
    ingestSeconds: seconds(load.wallMilliseconds),
    copyRowsPerSecond: copy.rows / seconds(copy.milliseconds),
    copySeconds: seconds(copy.milliseconds),
    slices: profile.slices,
  };
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function medianFigures(runs: Figures[]): Figures {
  const of = (key: Exclude<keyof Figures, 'slices'>): number => median(runs.map((run) => run[key] ?? Number.NaN));
  return {
    startSeconds: of('startSeconds'),
    eventsPerSecond: of('eventsPerSecond'),
    p50: of('p50'),
    p99: of('p99'),
    max: of('max'),
    peakMegabytes: of('peakMegabytes'),
    retries: of('retries'),
    failures: of('failures'),
    serverErrors: of('serverErrors'),
    ingestSeconds: of('ingestSeconds'),
    copyRowsPerSecond: of('copyRowsPerSecond'),
    copySeconds: of('copySeconds'),
  };
}

function row(label: string, figures: Figures): string {
  const cells = [
    label.padEnd(10),
    Math.round(figures.eventsPerSecond).toLocaleString('en').padStart(9),
    figures.p50.toFixed(1).padStart(7),
    figures.p99.toFixed(1).padStart(7),
    figures.max.toFixed(0).padStart(7),
    (figures.peakMegabytes === null ? '?' : figures.peakMegabytes.toFixed(0)).padStart(8),
    Math.round(figures.copyRowsPerSecond).toLocaleString('en').padStart(10),
    (figures.eventsPerSecond / figures.copyRowsPerSecond).toFixed(2).padStart(11),
    figures.startSeconds.toFixed(2).padStart(8),
    String(figures.serverErrors).padStart(4),
  ];
  return `| ${cells.join(' | ')} |`;
}

const header = `| ${['run'.padEnd(10), 'events/s'.padStart(9), 'p50 ms'.padStart(7), 'p99 ms'.padStart(7), 'max ms'.padStart(7), 'peak MB'.padStart(8), 'COPY rows/s'.padStart(10), 'ingest/COPY'.padStart(11), 'start s'.padStart(8), '5xx'.padStart(4)].join(' | ')} |`;

const began = performance.now();
log(`building ${events} events in batches of ${batchSize} (seed ${seed})`);
const workload = buildWorkload({ events, batchSize, seed, now: Date.now() });
const { counts, eventBytes } = workload;
log(
  `built ${workload.bodies.length} requests in ${seconds(performance.now() - began).toFixed(1)} s: ${counts.identify} identify, ${counts.group} group, ${counts.track} track; event JSON ${eventBytes.min}–${eventBytes.max} bytes, mean ${eventBytes.mean.toFixed(0)}`,
);

let cluster: PostgresCluster | null = null;
if (backends.includes('postgres')) {
  const started = await startPostgresCluster(postgresTuning);
  if ('skipped' in started) throw new Error(`cannot benchmark PostgreSQL: ${started.skipped}`);
  cluster = started;
}

const results = new Map<Backend, Figures[]>();
for (let run = 1; run <= repeat; run++) {
  for (const backend of backends) {
    const figures = await runOnce(backend, workload, cluster, run);
    results.set(backend, [...(results.get(backend) ?? []), figures]);
  }
}
cluster?.stop();

console.log(
  `\nIngest: ${events.toLocaleString('en')} events, batches of ${batchSize}, ${concurrency} requests in flight, ${repeat} run(s) per backend`,
);
for (const backend of backends) {
  const runs = results.get(backend) ?? [];
  console.log(
    `\n${backend === 'pglite' ? 'Embedded PGlite (worker thread + socket)' : 'PostgreSQL (durable: fsync, synchronous_commit on)'}`,
  );
  console.log(header);
  console.log(`|${header.slice(1, -1).replace(/[^|]/g, '-')}|`);
  runs.forEach((figures, index) => console.log(row(`run ${index + 1}`, figures)));
  if (runs.length > 1) console.log(row('median', medianFigures(runs)));
  runs.forEach((figures, index) => {
    console.log(`\nRun ${index + 1} as the store grew (CPU and blocks per 1,000 events of each slice):`);
    console.log(volumeTable(figures.slices ?? []));
  });
}
console.log(`\nTotal time ${seconds(performance.now() - began).toFixed(0)} s.`);
const serverErrors = [...results.values()].flat().reduce((sum, figures) => sum + figures.serverErrors, 0);
if (serverErrors > 0) {
  console.error(`\nFAILED: Tend answered ${serverErrors} request(s) with a 5xx (see above): it must answer none.`);
  process.exitCode = 1;
}
