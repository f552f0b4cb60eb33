// Signals benchmark (issue 4): loads a synthetic book of business (accounts, contacts, touches,
// events) into PostgreSQL or PGlite, times full sweeps of the evaluation, then runs a real
// `tend start` under a steady ingest load and measures event → signal latency and today-list latency.
//   npm run bench:signals -- [--backend postgres|pglite] [--accounts N] [--contacts-per-account 3]
//     [--events N] [--seconds 30] [--rate events/s] [--reps N] [--engines 1,2] [--sweep-seconds 60]
//     [--first-sweep-seconds 1200] [--warm-seconds 5] [--today 500]
// The first sweep evaluates every account once, with the most engines asked for, so that each has
// the due-times its own evaluation set; each later sweep is a day on, and measures how long the
// deadlines that came take (every account's deadline lane) and how fast the daily refresh goes.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { seededRandom } from '../src/domain/models/random.js';
import type { StoreLocation } from '../src/config/settings.js';
import { openStore } from '../src/store/database.js';
import { startEmbeddedPostgres } from '../src/store/embedded-postgres.js';
import { onCleanup } from './support/cleanup.js';
import { quantile } from './support/load-client.js';
import { createDatabase, startPostgresCluster } from './support/postgres-cluster.js';
import { type Breakdown, breakdownSweep } from './support/signals-breakdown.js';
import { type DatasetShape, type LoadedCounts, type Query, loadDataset } from './support/signals-dataset.js';
import { type SweepFigures, timeSweep } from './support/signals-sweep.js';
import {
  type IngestLoad,
  type ProbeResult,
  type TodayResult,
  buildIngestBodies,
  paceIngest,
  probeLatency,
  todayLatency,
} from './support/signals-traffic.js';
import { cpuSecondsOf, machineTicks, startTendProcess } from './support/tend-process.js';

type Backend = 'postgres' | 'pglite';
const { values: flags } = parseArgs({
  options: {
    backend: { type: 'string', default: 'postgres' },
    accounts: { type: 'string' },
    'contacts-per-account': { type: 'string', default: '3' },
    events: { type: 'string' },
    reps: { type: 'string' },
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string' },
    'probe-every': { type: 'string', default: '100' },
    engines: { type: 'string', default: '1,2' },
    batch: { type: 'string', default: '500' },
    'sweep-seconds': { type: 'string', default: '60' },
    'first-sweep-seconds': { type: 'string', default: '1200' },
    'warm-seconds': { type: 'string', default: '5' },
    today: { type: 'string', default: '500' },
    'breakdown-accounts': { type: 'string', default: '20000' },
    seed: { type: 'string', default: '20261123' },
  },
});

function positive(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

const backend = flags.backend as Backend;
if (backend !== 'postgres' && backend !== 'pglite')
  throw new Error(`--backend must be postgres or pglite, got ${JSON.stringify(flags.backend)}`);
const accounts = positive('accounts', flags.accounts ?? (backend === 'postgres' ? '1000000' : '100000'));
const contactsPerAccount = positive('contacts-per-account', flags['contacts-per-account']);
const events = positive('events', flags.events ?? String(accounts * 10));
// About 500 accounts per rep (a full book), 2 000 reps at 1 M accounts.
const reps = positive('reps', flags.reps ?? String(Math.max(1, Math.round(accounts / 500))));
const seconds = positive('seconds', flags.seconds);
// Half the rate the ingest benchmark reached (BENCHMARKS.md, signals, 2026-12-01 late morning, medians
// of 3 with the evaluation in the ingest transaction: PostgreSQL 6,999 events/s, PGlite 4,154 events/s,
// on this 2-core machine; on 2026-11-30, 5,698 and 4,168, when PostgreSQL's rate here was 2,850).
const rate = positive('rate', flags.rate ?? (backend === 'postgres' ? '3500' : '2080'));
const probeEvery = positive('probe-every', flags['probe-every']);
const engineCounts = (flags.engines ?? '1')
  .split(',')
  .map((text) => positive('engines', text))
  .filter((count) => backend === 'postgres' || count === 1);
const batchSize = positive('batch', flags.batch);
const sweepSeconds = positive('sweep-seconds', flags['sweep-seconds']);
const firstSweepSeconds = positive('first-sweep-seconds', flags['first-sweep-seconds']);
const warmSeconds = positive('warm-seconds', flags['warm-seconds']);
const todayCount = positive('today', flags.today);
const breakdownAccounts = Math.min(accounts, positive('breakdown-accounts', flags['breakdown-accounts']));
const seed = positive('seed', flags.seed);

const writeKey = 'wk_bench_signals_0123456789';
const adminToken = 'tend_admin_bench_signals_0123456789';
const dayMilliseconds = 86_400_000;
// wal_compression: see "Scale out on PostgreSQL" in the README (less WAL for each commit to wait for).
// shared_buffers 4 GB instead of 512 MB was tried at 1 M accounts (a 10 GB database): the live phase's
// p99 was 72 and 145 ms in two runs, against 67–155 ms with 512 MB, so it stays (BENCHMARKS.md).
const postgresTuning = [
  'wal_compression=lz4',
  'shared_buffers=512MB',
  'max_wal_size=4GB',
  'checkpoint_timeout=15min',
  'maintenance_work_mem=512MB',
  'shared_preload_libraries=pg_stat_statements',
];
const log = (text: string): void => console.error(`[${new Date().toISOString().slice(11, 19)}] ${text}`);
const secondsSince = (began: number): number => (performance.now() - began) / 1000;

async function connect(config: pg.ClientConfig): Promise<{ query: Query; end: () => Promise<void> }> {
  const client = new pg.Client(config);
  await client.connect();
  return { query: (text) => client.query(text), end: () => client.end() };
}

/** Accounts for the probes: drawn at random, without an open detractor signal (it must be new). */
async function probeAccounts(query: Query, count: number): Promise<string[]> {
  const random = seededRandom(seed + 1);
  const drawn = Array.from({ length: count * 2 }, () => `'acct_${random.integer(accounts)}'`);
  const result = await query(`select id from unnest(array[${drawn.join(',')}]) with ordinality as drawn(id, position)
    where not exists (select 1 from signals where account_id = drawn.id and kind = 'detractor' and cleared_at is null) order by position`);
  return [...new Set(result.rows.map((row) => String(row.id)))].slice(0, count);
}

interface Report {
  loadSeconds: number;
  counts: LoadedCounts;
  sweeps: { label: string; figures: SweepFigures }[];
  breakdown: Breakdown | null;
  ingest: IngestLoad | null;
  warmUp: { ingest: IngestLoad; probes: ProbeResult } | null;
  idleProbes: ProbeResult | null;
  probes: ProbeResult | null;
  backlogAfterIngest: number | null;
  /** During the measured load: Tend's CPU in cores, and the machine's busy share of all cores. */
  loadCpu: { tendCores: number | null; machineBusy: number | null };
  today: TodayResult | null;
}

const began = performance.now();
// The data end at the first sweep; each later sweep is a day on, the last a few minutes before the
// real time `tend start` will run on, so that it starts with nothing due.
const sweepDays = engineCounts.length;
const anchor = new Date(Math.floor((Date.now() - sweepDays * dayMilliseconds) / 60_000) * 60_000 - 5 * 60_000);
const shape: DatasetShape = { accounts, contactsPerAccount, events, reps, anchor };
log(
  `${backend}: ${accounts} accounts, ${accounts * contactsPerAccount} contacts, ~${events} events, ${reps} reps; data up to ${anchor.toISOString()}`,
);

let location: StoreLocation;
let lanes: { query: Query; end: () => Promise<void> }[];
let tendSettings: Record<string, string>;
let stopDatabase: () => Promise<void>;
// PGlite has one owner: the benchmark's own instance stops before `tend start` opens the folder.
let stopEmbedded: (() => Promise<void>) | null = null;
if (backend === 'postgres') {
  const cluster = await startPostgresCluster(postgresTuning);
  if ('skipped' in cluster) throw new Error(`cannot benchmark PostgreSQL: ${cluster.skipped}`);
  const url = await createDatabase(cluster, 'tend_signals');
  location = { kind: 'postgres', url };
  lanes = [await connect({ connectionString: url }), await connect({ connectionString: url })];
  await lanes[0]!.query('create extension pg_stat_statements');
  tendSettings = { DATABASE_URL: url };
  stopDatabase = async () => cluster.stop();
} else {
  const folder = mkdtempSync(join(tmpdir(), 'tend-bench-signals-'));
  const removeFolder = onCleanup(() => rmSync(folder, { recursive: true, force: true }));
  const embedded = await startEmbeddedPostgres(folder);
  location = { kind: 'embedded', dataDirectory: folder };
  lanes = [await connect({ host: embedded.host, port: embedded.port, user: 'postgres', database: 'postgres' })];
  tendSettings = { TEND_DATA_DIR: folder };
  stopDatabase = async () => removeFolder();
  stopEmbedded = () => embedded.stop();
}
const admin = lanes[0]!.query;
const store = await openStore(location, { shareRunning: true, poolSize: 2 });

log('loading');
const loadBegan = performance.now();
const counts = await loadDataset(
  store.database,
  lanes.map((lane) => lane.query),
  shape,
  log,
);
const loadSeconds = secondsSince(loadBegan);
log(`loaded in ${loadSeconds.toFixed(1)} s: ${JSON.stringify(counts)}`);

const report: Report = {
  loadSeconds,
  counts,
  sweeps: [],
  breakdown: null,
  ingest: null,
  warmUp: null,
  idleProbes: null,
  probes: null,
  backlogAfterIngest: null,
  loadCpu: { tendCores: null, machineBusy: null },
  today: null,
};
const mostEngines = Math.max(...engineCounts);
const enginesWord = (engines: number): string => `${engines} engine${engines > 1 ? 's' : ''}`;
const sweepPlan = [
  {
    label: `sweep 1 (first evaluation after the load, every account), ${enginesWord(mostEngines)}`,
    at: anchor,
    engines: mostEngines,
    allDue: true,
    limitSeconds: firstSweepSeconds,
  },
  ...engineCounts.map((engines, index) => ({
    label: `sweep ${index + 2} (${index + 1} day${index > 0 ? 's' : ''} later), ${enginesWord(engines)}`,
    at: new Date(anchor.getTime() + (index + 1) * dayMilliseconds),
    engines,
    allDue: false,
    limitSeconds: sweepSeconds,
  })),
];
for (const plan of sweepPlan) {
  log(`sweep: ${plan.label}`);
  const figures = await timeSweep(
    admin,
    location,
    plan.at,
    {
      engines: plan.engines,
      batchSize,
      limitSeconds: plan.limitSeconds,
      allDue: plan.allDue,
      withStatements: backend === 'postgres',
    },
    log,
  );
  log(
    `  ${figures.evaluated} evaluated in ${(figures.milliseconds / 1000).toFixed(1)} s (${Math.round(figures.accountsPerSecond)}/s), ${figures.raised} raised, ${figures.cleared} cleared; deadlines: ${figures.deadlineEvaluated} of ${figures.deadlineDue} in ${(figures.deadlineMilliseconds / 1000).toFixed(1)} s${figures.finished ? '' : `; stopped at the time limit, ${figures.leftOver} left over`}`,
  );
  report.sweeps.push({ label: plan.label, figures });
}
const lastSweepAt = sweepPlan[sweepPlan.length - 1]!.at;
log(`breakdown over ${breakdownAccounts} accounts (profiled)`);
report.breakdown = await breakdownSweep(
  store.database,
  new Date(lastSweepAt.getTime() + 60_000),
  accounts,
  Math.max(1, Math.round(accounts / breakdownAccounts)),
  batchSize,
);
log(`  ${report.breakdown.accounts} in ${(report.breakdown.milliseconds / 1000).toFixed(1)} s`);

const idleSeconds = 10;
const probesWanted = Math.ceil(((seconds + idleSeconds + warmSeconds) * 1000) / probeEvery) + 50;
const probes = await probeAccounts(admin, probesWanted);
if (backend === 'postgres') {
  // A checkpoint before the live phase, as a database in service has had: the load and the sweeps
  // wrote gigabytes of WAL since the last one, so no finished WAL file was recycled yet, and the live
  // phase had to create (zero-fill and sync) a new 16 MB file every ~3.7 s; each creation held every
  // commit in flight for 50–77 ms (measured 2026-12-01 with log_min_duration_statement). A server
  // that checkpoints as usual recycles old WAL files instead.
  // And the tables the sweeps churned vacuumed: sweep 1 evaluates every account for the first time
  // (a million signals, health rows and Signal Raised events), and autovacuum then worked on them
  // through the live phase of some runs and not of others (seen 2026-12-01 with ps), one more cause
  // of runs of the same code differing several-fold at p99.
  const vacuumBegan = performance.now();
  await admin('vacuum (analyze) signals, health_scores, accounts, account_event_queue, events');
  log(`vacuum of the swept tables before the live phase: ${secondsSince(vacuumBegan).toFixed(1)} s`);
  const checkpointBegan = performance.now();
  await admin('checkpoint');
  log(`checkpoint before the live phase: ${secondsSince(checkpointBegan).toFixed(1)} s`);
}
await store.close();
if (stopEmbedded !== null) {
  for (const lane of lanes) await lane.end();
  await stopEmbedded();
}

const requestsPerSecond = rate / 100;
const warmRequests = Math.ceil(requestsPerSecond * warmSeconds);
const bodies = buildIngestBodies(
  { accounts, contactsPerAccount, reps },
  warmRequests + Math.ceil(requestsPerSecond * seconds),
  100,
  seed,
);
log(`starting tend (${bodies.length} ingest requests of 100 events ready)`);
const tend = await startTendProcess(
  { ...tendSettings, TEND_WRITE_KEY: writeKey, TEND_ADMIN_TOKEN: adminToken, TEND_LOG_LEVEL: 'warn' },
  300_000,
);
const contactOf = (account: string): string => `user_${Number(account.slice(5)) * contactsPerAccount}`;
const warmBegan = performance.now();
const warm = await probeLatency(tend.url, writeKey, adminToken, probes.slice(0, 1), contactOf, 0, 300_000, () => false);
log(
  `warm-up probe seen after ${(quantile(warm.latencies, 1) / 1000).toFixed(1)} s (engine's first ranking; waited ${secondsSince(warmBegan).toFixed(1)} s)`,
);
// The first seconds after a start run cold code (JIT, caches, query plans): measured at the small
// scale, the first 1–2.5 s of probes took 100–300 ms where the rest took 25–60 ms. The same load
// warms Tend up first, and is reported apart.
log(`warming up: ingesting at ${rate} events/s for ${warmSeconds} s with probes (reported apart)`);
const warmProbes = probes.slice(1, 1 + Math.ceil((warmSeconds * 1000) / probeEvery));
const warmStopAt = performance.now() + warmSeconds * 1000;
const warmStop = (): boolean => performance.now() >= warmStopAt;
const [warmIngest, warmProbed] = await Promise.all([
  paceIngest(tend.url, writeKey, bodies.slice(0, warmRequests), 100, requestsPerSecond, 16, warmStop),
  probeLatency(tend.url, writeKey, adminToken, warmProbes, contactOf, probeEvery, 5_000, warmStop),
]);
report.warmUp = { ingest: warmIngest, probes: warmProbed };
const idleProbes = probes.slice(
  1 + warmProbes.length,
  1 + warmProbes.length + Math.ceil((idleSeconds * 1000) / probeEvery),
);
log(`probing for ${idleSeconds} s without ingest load`);
report.idleProbes = await probeLatency(
  tend.url,
  writeKey,
  adminToken,
  idleProbes,
  contactOf,
  probeEvery,
  5_000,
  () => false,
);
let stopped = false;
const stopAt = performance.now() + seconds * 1000;
const stop = (): boolean => stopped || performance.now() >= stopAt;
log(`ingesting at ${rate} events/s for ${seconds} s with a probe every ${probeEvery} ms`);
const cpuBefore = { tend: cpuSecondsOf(tend.pid), machine: machineTicks(), at: performance.now() };
const [ingest, probed] = await Promise.all([
  paceIngest(tend.url, writeKey, bodies.slice(warmRequests), 100, requestsPerSecond, 16, stop),
  probeLatency(
    tend.url,
    writeKey,
    adminToken,
    probes.slice(1 + warmProbes.length + idleProbes.length),
    contactOf,
    probeEvery,
    5_000,
    stop,
  ),
]);
stopped = true;
const tendCpuAfter = cpuSecondsOf(tend.pid);
const machineAfter = machineTicks();
const measuredSeconds = secondsSince(cpuBefore.at);
report.loadCpu = {
  tendCores:
    cpuBefore.tend === null || tendCpuAfter === null ? null : (tendCpuAfter - cpuBefore.tend) / measuredSeconds,
  machineBusy:
    cpuBefore.machine === null || machineAfter === null
      ? null
      : (machineAfter.busy - cpuBefore.machine.busy) / (machineAfter.total - cpuBefore.machine.total),
};
report.ingest = ingest;
report.probes = probed;
if (backend === 'postgres') {
  const lane = lanes[0]!;
  const backlog = await lane.query(
    `select count(*)::int8 as count from accounts where next_check_at <= now() or refresh_due_at <= now()`,
  );
  report.backlogAfterIngest = Number(backlog.rows[0]?.count);
}
log(
  `ingest ${Math.round(ingest.eventsPerSecond)} events/s (${ingest.failures} failures); probes: ${probed.latencies.length} seen, ${probed.timedOut} timed out`,
);
await todayLatency(tend.url, adminToken, reps, 5, seed + 7);
report.today = await todayLatency(tend.url, adminToken, reps, todayCount, seed + 2);
await tend.stop();
if (backend === 'postgres') for (const lane of lanes) await lane.end();
await stopDatabase();

const milliseconds = (value: number): string => value.toFixed(1);
/** A probe quantile counting the probes never seen as slowest of all (the limit was 5 s). */
const probeQuantile = (result: ProbeResult, q: number): string => {
  const all = Float64Array.from([
    ...result.latencies,
    ...new Array<number>(result.timedOut).fill(Number.POSITIVE_INFINITY),
  ]);
  const value = quantile(all, q);
  return Number.isFinite(value) ? `${milliseconds(value)} ms` : '> 5000 ms';
};
const cpu = cpus()[0]?.model ?? 'unknown';
console.log(
  `\n## Signals benchmark, ${backend}: ${accounts.toLocaleString('en')} accounts, ${counts.contacts.toLocaleString('en')} contacts, ${counts.events.toLocaleString('en')} events`,
);
console.log(
  `machine: ${cpus().length} cores, ${cpu}, node ${process.version}; data: ${counts.interactions.toLocaleString('en')} interactions, ${counts.activityDays.toLocaleString('en')} activity days, ${reps} reps`,
);
console.log(`load: ${loadSeconds.toFixed(1)} s`);
console.log(
  `\nSweeps (batches of ${batchSize}; the first stopped after ${firstSweepSeconds} s, the others after ${sweepSeconds} s; "all due" = accounts due ÷ rate when stopped):`,
);
console.log(
  '| sweep | due | of them deadlines | deadlines evaluated | deadlines s | evaluated | seconds | accounts/s | all due s | raised | cleared | ranking before "go" s | engine CPU s |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const { label, figures } of report.sweeps) {
  const full = figures.finished ? figures.milliseconds / 1000 : figures.due / figures.accountsPerSecond;
  const deadlinesDone = figures.deadlineEvaluated >= figures.deadlineDue;
  console.log(
    `| ${label} | ${figures.due} | ${figures.deadlineDue} | ${figures.deadlineEvaluated} | ${(figures.deadlineMilliseconds / 1000).toFixed(1)}${deadlinesDone ? '' : ' (not all)'} | ${figures.evaluated} | ${(figures.milliseconds / 1000).toFixed(1)} | ${Math.round(figures.accountsPerSecond)} | ${full.toFixed(0)}${figures.finished ? '' : ' (est.)'} | ${figures.raised} | ${figures.cleared} | ${figures.rankMilliseconds.map((ms) => (ms / 1000).toFixed(1)).join(' / ')} | ${figures.engineCpuMilliseconds.map((ms) => (ms / 1000).toFixed(1)).join(' / ')} |`,
  );
}
for (const { label, figures } of report.sweeps) {
  if (figures.statements.length === 0) continue;
  console.log(`\nDatabase time by statement, ${label}:`);
  for (const statement of figures.statements)
    console.log(
      `  ${(statement.totalMilliseconds / 1000).toFixed(1).padStart(7)} s  ${String(statement.calls).padStart(7)} calls  ${statement.statement}`,
    );
}
const breakdown = report.breakdown;
console.log(
  `\nBreakdown (${breakdown.accounts} accounts, ${(breakdown.milliseconds / 1000).toFixed(1)} s, ${Math.round(breakdown.accounts / (breakdown.milliseconds / 1000))}/s):`,
);
for (const [step, ms] of Object.entries(breakdown.steps))
  console.log(
    `  ${step.padEnd(18)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${((100 * ms) / breakdown.milliseconds).toFixed(0).padStart(3)} %`,
  );
console.log(
  `  evaluateAccount + healthScore alone, snapshots in memory, JIT warm: ${breakdown.domainMicroseconds.toFixed(0)} µs per account (${((breakdown.domainMicroseconds * accounts) / 1e6).toFixed(0)} s of one core for ${accounts.toLocaleString('en')} accounts)`,
);
console.log('  CPU profile, self time by place:');
for (const [place, ms] of Object.entries(breakdown.byPlace)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 12))
  console.log(`    ${(ms / 1000).toFixed(2).padStart(7)} s  ${place}`);
console.log('  hottest functions (self time):');
for (const hot of breakdown.hotFunctions)
  console.log(`    ${(hot.milliseconds / 1000).toFixed(2).padStart(7)} s  ${hot.name}  ${hot.place}`);
const probeResult = report.probes;
const idle = report.idleProbes;
const warmUp = report.warmUp;
console.log(
  `\nWarm-up after start, not counted (${warmSeconds} s at ${rate} events/s): ${Math.round(warmUp.ingest.eventsPerSecond)} events/s, request p50 ${milliseconds(quantile(warmUp.ingest.latencies, 0.5))} ms, p99 ${milliseconds(quantile(warmUp.ingest.latencies, 0.99))} ms; event → signal p50 ${probeQuantile(warmUp.probes, 0.5)}, p99 ${probeQuantile(warmUp.probes, 0.99)}`,
);
console.log(
  `Event → signal latency, no ingest load: ${idle.latencies.length + idle.timedOut} probes, p50 ${probeQuantile(idle, 0.5)}, p99 ${probeQuantile(idle, 0.99)}, ${idle.timedOut} not seen within 5 s; ingest answer p50 ${milliseconds(quantile(idle.acknowledged, 0.5))} ms`,
);
console.log(
  `Ingest while probing: ${Math.round(ingest.eventsPerSecond)} events/s achieved of ${rate} wanted (batches of 100), request p50 ${milliseconds(quantile(ingest.latencies, 0.5))} ms, p99 ${milliseconds(quantile(ingest.latencies, 0.99))} ms, ${ingest.failures} failures${report.backlogAfterIngest === null ? '' : `; ${report.backlogAfterIngest} accounts still due at the end`}; Tend used ${report.loadCpu.tendCores === null ? '?' : report.loadCpu.tendCores.toFixed(2)} cores, the machine was ${report.loadCpu.machineBusy === null ? '?' : `${Math.round(100 * report.loadCpu.machineBusy)} %`} busy (all ${cpus().length} cores)`,
);
console.log(
  `Event → signal latency: ${probeResult.latencies.length + probeResult.timedOut} probes, p50 ${probeQuantile(probeResult, 0.5)}, p99 ${probeQuantile(probeResult, 0.99)}, ${probeResult.timedOut} not seen within 5 s; ingest answer p50 ${milliseconds(quantile(probeResult.acknowledged, 0.5))} ms (polls every 5 ms for the first 100 ms, 10 ms to 1 s, then 50 ms)`,
);
/** Where a probe's time went: ingest answered, the raising round began, and that round to signal seen. */
const probeParts = (result: ProbeResult): string =>
  (['acknowledged', 'untilRound', 'afterRound'] as const)
    .map(
      (part) =>
        `${part === 'acknowledged' ? 'ingest answered' : part === 'untilRound' ? 'sent → raising round began' : 'round began → seen'} p50 ${milliseconds(quantile(result[part], 0.5))} / p99 ${milliseconds(quantile(result[part], 0.99))} ms`,
    )
    .join('; ');
console.log(`  where the time went, no load: ${probeParts(idle)}`);
console.log(`  where the time went, under load: ${probeParts(probeResult)}`);
const today = report.today;
console.log(
  `Today list: ${today.latencies.length} requests, p50 ${milliseconds(quantile(today.latencies, 0.5))} ms, p99 ${milliseconds(quantile(today.latencies, 0.99))} ms, max ${milliseconds(quantile(today.latencies, 1))} ms; ${today.meanAccountsOwned.toFixed(0)} accounts per rep, ${today.meanEntries.toFixed(1)} entries`,
);
console.log(`\nTotal time ${secondsSince(began).toFixed(0)} s.`);
