// Does a slow query stall the HTTP event loop? (a) PGlite opened in the main thread, as most embedded
// setups do, against (b) Tend's setup: PGlite on a worker thread behind a Unix socket, queried with pg.
// While the query runs, the event-loop delay is sampled and another process pings an HTTP server
// living in this process. Run:
//   node --import tsx bench/event-loop-stall.ts [--rows 30000000]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/store/embedded-postgres.js';
import { onCleanup } from './support/cleanup.js';

interface Stall {
  readonly queryMilliseconds: number;
  readonly loopMaxMilliseconds: number;
  readonly loopP99Milliseconds: number;
  readonly timerLateMaxMilliseconds: number;
  readonly pings: number;
  readonly pingFailures: number;
  readonly pingP99Milliseconds: number;
  readonly pingMaxMilliseconds: number;
}

const { values: flags } = parseArgs({ options: { rows: { type: 'string', default: '30000000' } } });
const rows = Number(flags.rows);
if (!Number.isInteger(rows) || rows < 1)
  throw new Error(`--rows must be a positive integer, got ${JSON.stringify(flags.rows)}`);
const slowQuery = `select count(*) as count from generate_series(1, ${rows})`;
const pingEveryMilliseconds = 20;

// The pinger runs in its own process, so that its clock keeps running while this one is stalled.
const pingerSource = `
const url = process.argv[1];
const every = Number(process.argv[2]);
const times = [];
let failures = 0;
let stopping = false;
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function ping() {
  if (stopping) return;
  const began = performance.now();
  http.get(url, { agent }, (response) => {
    response.resume();
    response.on('end', () => { times.push(performance.now() - began); setTimeout(ping, every); });
  }).on('error', () => { failures++; times.push(performance.now() - began); setTimeout(ping, every); });
}
process.stdin.on('data', () => {});
process.stdin.on('end', () => { stopping = true; process.stdout.write(JSON.stringify({ times, failures })); process.exit(0); });
ping();
`;

function quantile(sorted: number[], q: number): number {
  return sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const sleep = (milliseconds: number): Promise<void> => new Promise((done) => setTimeout(done, milliseconds));

/** Runs the query once while measuring; the HTTP server answers in this thread, as Tend's would. */
async function measure(runQuery: () => Promise<unknown>): Promise<Stall> {
  const server = createServer((_request, response) => response.end('ok'));
  // Node's default 5 s keep-alive timeout would fire first thing after a long stall and reset the
  // connection the waiting ping came on: keep it open, so the ping measures the stall itself.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const pinger = spawn(
    process.execPath,
    ['-e', pingerSource, `http://127.0.0.1:${port}/`, String(pingEveryMilliseconds)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const forgetPinger = onCleanup(() => pinger.kill('SIGKILL'));
  let output = '';
  pinger.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const pingerDone = new Promise<void>((done) => pinger.once('exit', () => done()));
  await sleep(500); // the pinger is up and has a kept-alive connection

  const histogram = monitorEventLoopDelay({ resolution: 5 });
  let timerLateMax = 0;
  let expected = performance.now() + 10;
  const timer = setInterval(() => {
    const now = performance.now();
    timerLateMax = Math.max(timerLateMax, now - expected);
    expected = now + 10;
  }, 10);
  histogram.enable();
  await sleep(200);
  const began = performance.now();
  await runQuery();
  const queryMilliseconds = performance.now() - began;
  await sleep(1_000); // let the pings that were waiting come back
  histogram.disable();
  clearInterval(timer);

  pinger.stdin.end();
  await Promise.race([pingerDone, sleep(10_000)]);
  forgetPinger();
  await new Promise<void>((done) => server.close(() => done()));
  const reported = JSON.parse(output || '{"times":[],"failures":0}') as { times: number[]; failures: number };
  const pings = reported.times.sort((a, b) => a - b);
  return {
    queryMilliseconds,
    loopMaxMilliseconds: histogram.max / 1e6,
    loopP99Milliseconds: histogram.percentile(99) / 1e6,
    timerLateMaxMilliseconds: timerLateMax,
    pings: pings.length,
    pingFailures: reported.failures,
    pingP99Milliseconds: quantile(pings, 0.99),
    pingMaxMilliseconds: quantile(pings, 1),
  };
}

function temporaryFolder(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'tend-stall-'));
  return { path, remove: onCleanup(() => rmSync(path, { recursive: true, force: true })) };
}

async function inMainThread(): Promise<Stall> {
  const folder = temporaryFolder();
  const database = await PGlite.create({ dataDir: join(folder.path, 'pgdata') });
  try {
    await database.query('select 1');
    return await measure(() => database.query(slowQuery));
  } finally {
    await database.close();
    folder.remove();
  }
}

async function onWorkerThread(): Promise<Stall> {
  const folder = temporaryFolder();
  const embedded = await startEmbeddedPostgres(folder.path);
  const client = new pg.Client({ host: embedded.host, port: embedded.port, user: 'postgres', database: 'postgres' });
  try {
    await client.connect();
    await client.query('select 1');
    return await measure(() => client.query(slowQuery));
  } finally {
    await client.end();
    await embedded.stop();
    folder.remove();
  }
}

const results: [string, Stall][] = [
  ['(a) PGlite in the main thread', await inMainThread()],
  ['(b) Tend: PGlite worker + socket', await onWorkerThread()],
];
console.log(
  `\nEvent-loop stall during \`${slowQuery}\` (HTTP ping every ${pingEveryMilliseconds} ms from another process)\n`,
);
console.log(
  '| setup | query s | loop delay max ms | loop delay p99 ms | 10 ms timer late max ms | pings (failed) | ping p99 ms | ping max ms |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const [label, stall] of results) {
  const cells = [
    label,
    (stall.queryMilliseconds / 1000).toFixed(2),
    stall.loopMaxMilliseconds.toFixed(1),
    stall.loopP99Milliseconds.toFixed(1),
    stall.timerLateMaxMilliseconds.toFixed(1),
    `${stall.pings} (${stall.pingFailures})`,
    stall.pingP99Milliseconds.toFixed(1),
    stall.pingMaxMilliseconds.toFixed(1),
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
