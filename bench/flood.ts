// Flood benchmark: does one source flooding the Tracking API slow the others? A real `tend start` with
// small per-source limits; source B sends at its normal rate, open loop, and its request latency is
// measured alone, beside source A at its limit, and beside A at 10× its limit (in requests, then in
// events); A's sender runs in a process of its own and ignores Retry-After, as a runaway loop would.
// Run:  npm run bench:flood -- [--backend pglite|postgres|both] [--seconds 10] [--rounds 3] [--repeat 3]
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { onCleanup } from './support/cleanup.js';
import { call, quantile } from './support/load-client.js';
import { type PostgresCluster, createDatabase, startPostgresCluster } from './support/postgres-cluster.js';
import { cpuSecondsOf, startTendProcess } from './support/tend-process.js';

type Backend = 'pglite' | 'postgres';

/** The limits every source gets in this benchmark, and what each sender sends (requests a second × events). */
const limits = { requests: { perSecond: 40, burst: 40 }, events: { perSecond: 800, burst: 800 } };
const steady = { perSecond: 20, events: 10 };
/** Played in this order in each round; rounds interleave them, so that a noisy minute hits all alike. */
const phases = [
  { name: 'B alone', flood: null },
  { name: 'A at its limit', flood: { perSecond: 40, events: 20 } },
  { name: 'A at 10× (requests)', flood: { perSecond: 400, events: 20 } },
  { name: 'A at 10× (events)', flood: { perSecond: 40, events: 200 } },
] as const;

interface SendPlan {
  readonly url: string;
  readonly writeKey: string;
  readonly perSecond: number;
  readonly events: number;
  readonly seconds: number;
  /** Makes messageIds and people unique to this sender and phase. */
  readonly prefix: string;
  readonly maximumInFlight: number;
}

interface SendResult {
  readonly sent: number;
  /** Requests not sent because maximumInFlight were still unanswered (the sender fell behind). */
  readonly skipped: number;
  readonly statuses: Record<string, number>;
  /** From each request's scheduled time to its answer, ms, ascending (open loop: a late send counts). */
  readonly latencies: number[];
}

const eventNames = ['Signed In', 'Feature Used', 'Report Exported', 'Project Created', 'Comment Posted', 'File Uploaded'];
const userAgent = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A batch as @segment/analytics-node sends it: track calls with properties and context. */
function batchBody(prefix: string, request: number, events: number): Buffer {
  const timestamp = new Date().toISOString();
  const batch = Array.from({ length: events }, (_, index) => {
    const person = (request * events + index) % 2_000;
    return {
      type: 'track',
      messageId: `${prefix}-${request}-${index}`,
      userId: `${prefix.split('-')[0]}-person-${person}`,
      event: eventNames[(request + index) % eventNames.length],
      timestamp,
      properties: { path: `/app/projects/${person}/board`, durationMs: (request * 7919 + index) % 120_000, plan: 'team', itemCount: index },
      context: { groupId: `${prefix.split('-')[0]}-account-${person % 200}`, library: { name: '@segment/analytics-node', version: '2.1.3' }, userAgent },
    };
  });
  return Buffer.from(JSON.stringify({ batch, sentAt: timestamp }));
}

/** Sends on a fixed schedule whatever the answers (open loop), up to maximumInFlight at a time. */
async function sendOpenLoop(plan: SendPlan): Promise<SendResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.maximumInFlight });
  const authorization = `Basic ${Buffer.from(`${plan.writeKey}:`).toString('base64')}`;
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const pending = new Set<Promise<void>>();
  const total = Math.round(plan.perSecond * plan.seconds);
  const interval = 1000 / plan.perSecond;
  const began = performance.now();
  let skipped = 0;
  for (let request = 0; request < total; request++) {
    const scheduled = began + request * interval;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((done) => setTimeout(done, wait));
    if (pending.size >= plan.maximumInFlight) {
      skipped++;
      continue;
    }
    const body = batchBody(plan.prefix, request, plan.events);
    const answered = call(agent, plan.url, 'POST', '/v1/batch', authorization, body).then(
      (reply) => {
        statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
        latencies.push(performance.now() - scheduled);
      },
      () => {
        statuses.error = (statuses.error ?? 0) + 1;
      },
    );
    pending.add(answered);
    void answered.finally(() => pending.delete(answered));
  }
  await Promise.all(pending);
  agent.destroy();
  return { sent: total - skipped, skipped, statuses, latencies: latencies.sort((a, b) => a - b) };
}

// ---- A's sender: a process of its own, started once per run (not per phase: starting costs CPU), so
// that its work does not delay B's measurement. ----

interface Sender {
  send(plan: SendPlan): Promise<SendResult>;
  stop(): void;
}

function startSender(): Sender {
  const child = fork(fileURLToPath(import.meta.url), ['--sender'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const forget = onCleanup(() => child.kill('SIGKILL'));
  return {
    send: (plan) =>
      new Promise<SendResult>((done, failed) => {
        const exited = (code: number | null): void => failed(new Error(`the flood's sender exited (${code})`));
        child.once('exit', exited);
        child.once('message', (message) => {
          child.off('exit', exited);
          done(message as SendResult);
        });
        child.send(plan);
      }),
    stop: () => {
      child.kill('SIGTERM');
      forget();
    },
  };
}

// ---- The benchmark ----

interface PhaseFigures {
  readonly phase: string;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly steadyRefused: number;
  readonly steadyOther: number;
  readonly flood: { sent: number; admitted: number; refused: number; other: number; skipped: number } | null;
  /** CPU seconds Tend used per second of the phase (2.0 = both cores). */
  readonly tendCpu: number | null;
  readonly load: number;
}

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    options: {
      backend: { type: 'string', default: 'both' },
      seconds: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '3' },
      repeat: { type: 'string', default: '3' },
      'log-level': { type: 'string', default: 'warn' },
    },
  });
  const seconds = Number(flags.seconds);
  const repeat = Number(flags.repeat);
  const rounds = Number(flags.rounds);
  if (!(seconds >= 2) || ![repeat, rounds].every((count) => Number.isInteger(count) && count >= 1)) {
    throw new Error('--seconds must be at least 2, --repeat and --rounds positive integers');
  }
  const backends: Backend[] = flags.backend === 'both' ? ['pglite', 'postgres'] : flags.backend === 'pglite' || flags.backend === 'postgres' ? [flags.backend] : [];
  if (backends.length === 0) throw new Error(`--backend must be pglite, postgres or both, got ${JSON.stringify(flags.backend)}`);
  const log = (text: string): void => console.error(`[${new Date().toISOString().slice(11, 19)}] ${text}`);
  const configFolder = mkdtempSync(join(tmpdir(), 'tend-flood-config-'));
  onCleanup(() => rmSync(configFolder, { recursive: true, force: true }));
  const configPath = join(configFolder, 'tend.config.yaml');
  const rate = (limit: { perSecond: number; burst: number }): string => `{ perSecond: ${limit.perSecond}, burst: ${limit.burst} }`;
  writeFileSync(configPath, `limits:\n  tracking:\n    requests: ${rate(limits.requests)}\n    events: ${rate(limits.events)}\n`);

  let cluster: PostgresCluster | null = null;
  if (backends.includes('postgres')) {
    const started = await startPostgresCluster(['shared_buffers=512MB', 'max_wal_size=4GB', 'checkpoint_timeout=15min']);
    if ('skipped' in started) throw new Error(`cannot benchmark PostgreSQL: ${started.skipped}`);
    cluster = started;
  }
  const results = new Map<Backend, PhaseFigures[][]>();
  const began = performance.now();
  for (let run = 1; run <= repeat; run++) {
    for (const backend of backends) {
      const figures = await runOnce(backend, run, { seconds, rounds, configPath, cluster, logLevel: flags['log-level']!, log });
      results.set(backend, [...(results.get(backend) ?? []), figures]);
    }
  }
  cluster?.stop();

  console.log(`\nFlood: per-source limits ${limits.requests.perSecond} requests/s (burst ${limits.requests.burst}) and ${limits.events.perSecond} events/s (burst ${limits.events.burst});`);
  console.log(`B sends ${steady.perSecond} requests/s of ${steady.events} events; ${rounds} rounds of ${seconds} s per phase; ${repeat} run(s); Tend log level ${flags['log-level']}.`);
  let missed = false;
  for (const backend of backends) {
    const runs = results.get(backend) ?? [];
    console.log(`\n${backend === 'pglite' ? 'Embedded PGlite' : 'PostgreSQL (durable)'}`);
    console.log(tableHeader);
    for (const [index, figures] of runs.entries()) for (const phase of figures) console.log(tableRow(`run ${index + 1}`, phase, figures[0]!.p99));
    const medians = phases.map((_, phase) => medianPhase(runs.map((figures) => figures[phase]!)));
    console.log(`\nMedians of ${runs.length} run(s):\n${tableHeader}`);
    for (const phase of medians) console.log(tableRow('median', phase, medians[0]!.p99));
    for (const phase of medians.filter((figures) => figures.phase.includes('10×'))) {
      if (phase.p99 > 2 * medians[0]!.p99) missed = true;
    }
  }
  console.log(`\nTotal time ${((performance.now() - began) / 1000).toFixed(0)} s; load average now ${loadavg().map((value) => value.toFixed(2)).join(' ')}.`);
  if (missed) {
    console.error('\nMISSED: B\'s p99 beside a flood is more than 2× its p99 alone (medians above).');
    process.exitCode = 1;
  }
}

async function runOnce(backend: Backend, run: number, options: RunOptions): Promise<PhaseFigures[]> {
  const { log } = options;
  const folder = mkdtempSync(join(tmpdir(), `tend-flood-${backend}-`));
  const removeFolder = onCleanup(() => rmSync(folder, { recursive: true, force: true }));
  const location: Record<string, string> =
    backend === 'postgres' ? { DATABASE_URL: await createDatabase(options.cluster!, `tend_flood_${run}_${Date.now()}`) } : { TEND_DATA_DIR: folder };
  const steadyKey = `wk_flood_steady_${run}_0123456789`;
  const tend = await startTendProcess({ ...location, TEND_WRITE_KEY: steadyKey, TEND_CONFIG: options.configPath, TEND_LOG_LEVEL: options.logLevel });
  const created = spawnSync(process.execPath, [fileURLToPath(new URL('../bin/tend.js', import.meta.url)), 'keys', 'create', '--source', 'flood'], {
    env: { ...process.env, ...location },
    encoding: 'utf8',
  });
  const floodKey = created.stdout.trim().split('\n').pop() ?? '';
  if (created.status !== 0 || !floodKey.startsWith('wk')) throw new Error(`tend keys create failed: ${created.stderr}${created.stdout}`);
  const sender = startSender();
  log(`${backend} run ${run}: Tend answered after ${(tend.startMilliseconds / 1000).toFixed(1)} s (pid ${tend.pid}); load average ${loadavg()[0]!.toFixed(2)}`);

  const steadyPlan = (prefix: string, seconds: number): SendPlan => ({
    url: tend.url, writeKey: steadyKey, perSecond: steady.perSecond, events: steady.events, seconds, prefix: `b-${prefix}`, maximumInFlight: 64,
  });
  // Warm-up: first accounts, connections, prepared statements, and both senders' code compiled.
  await Promise.all([sendOpenLoop(steadyPlan('warm', 10)), sender.send({ url: tend.url, writeKey: floodKey, perSecond: 5, events: 20, seconds: 5, prefix: 'a-warm', maximumInFlight: 8 })]);
  const collected = phases.map(() => ({ latencies: [] as number[], statuses: {} as Record<string, number>, flood: [] as SendResult[], cpu: 0, seconds: 0, loads: [] as number[] }));
  for (let round = 1; round <= options.rounds; round++) {
    for (const [index, phase] of phases.entries()) {
      const into = collected[index]!;
      const cpuBefore = cpuSecondsOf(tend.pid);
      const began = performance.now();
      const flood = phase.flood === null ? null : sender.send({
        url: tend.url, writeKey: floodKey, perSecond: phase.flood.perSecond, events: phase.flood.events, seconds: options.seconds, prefix: `a-${round}p${index}`, maximumInFlight: 256,
      });
      const measured = await sendOpenLoop(steadyPlan(`${round}p${index}`, options.seconds));
      if (flood !== null) into.flood.push(await flood);
      into.cpu += (cpuSecondsOf(tend.pid) ?? Number.NaN) - (cpuBefore ?? Number.NaN);
      into.seconds += (performance.now() - began) / 1000;
      into.latencies.push(...measured.latencies);
      for (const [status, count] of Object.entries(measured.statuses)) into.statuses[status] = (into.statuses[status] ?? 0) + count;
      into.loads.push(loadavg()[0]!);
    }
    log(`${backend} run ${run}: round ${round} of ${options.rounds} done; load average ${loadavg()[0]!.toFixed(2)}`);
  }
  sender.stop();
  await tend.stop();
  removeFolder();
  const figures = collected.map((into, index): PhaseFigures => {
    const latencies = Float64Array.from(into.latencies).sort();
    const floodStatus = (status: string): number => into.flood.reduce((sum, result) => sum + (result.statuses[status] ?? 0), 0);
    const floodOther = into.flood.reduce((sum, result) => sum + result.skipped + otherStatuses(result.statuses), 0);
    return {
      phase: phases[index]!.name,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: quantile(latencies, 1),
      steadyRefused: into.statuses['429'] ?? 0,
      steadyOther: otherStatuses(into.statuses),
      flood: into.flood.length === 0 ? null : { sent: into.flood.reduce((sum, result) => sum + result.sent, 0), admitted: floodStatus('200'), refused: floodStatus('429'), other: floodOther, skipped: 0 },
      tendCpu: Number.isFinite(into.cpu) ? into.cpu / into.seconds : null,
      load: median(into.loads),
    };
  });
  for (const phase of figures) log(`${backend} run ${run}: ${tableRow('', phase, figures[0]!.p99)}`);
  return figures;
}

function otherStatuses(statuses: Record<string, number>): number {
  return Object.entries(statuses).filter(([status]) => status !== '200' && status !== '429').reduce((sum, [, count]) => sum + count, 0);
}

interface RunOptions {
  readonly seconds: number;
  readonly rounds: number;
  readonly configPath: string;
  readonly cluster: PostgresCluster | null;
  readonly logLevel: string;
  readonly log: (text: string) => void;
}

const tableHeader = [
  '| run | phase | B p50 ms | B p99 ms | B max ms | p99 / alone | B refused | A sent | A stored | A 429 | A other | Tend CPU | load 1 min |',
  '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
].join('\n');

function tableRow(label: string, figures: PhaseFigures, aloneP99: number): string {
  const flood = figures.flood;
  const cells = [
    label, figures.phase, figures.p50.toFixed(1), figures.p99.toFixed(1), figures.max.toFixed(0), (figures.p99 / aloneP99).toFixed(2),
    String(figures.steadyRefused + figures.steadyOther), flood ? String(flood.sent) : '–', flood ? String(flood.admitted) : '–',
    flood ? String(flood.refused) : '–', flood ? String(flood.other + flood.skipped) : '–',
    figures.tendCpu === null ? '?' : figures.tendCpu.toFixed(2), figures.load.toFixed(2),
  ];
  return `| ${cells.join(' | ')} |`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function medianPhase(runs: PhaseFigures[]): PhaseFigures {
  const of = (pick: (figures: PhaseFigures) => number): number => median(runs.map(pick));
  const floods = runs.flatMap((figures) => (figures.flood ? [figures.flood] : []));
  const ofFlood = (pick: (flood: NonNullable<PhaseFigures['flood']>) => number): number => median(floods.map(pick));
  return {
    phase: runs[0]!.phase,
    p50: of((figures) => figures.p50),
    p99: of((figures) => figures.p99),
    max: of((figures) => figures.max),
    steadyRefused: of((figures) => figures.steadyRefused),
    steadyOther: of((figures) => figures.steadyOther),
    flood: floods.length === 0 ? null : { sent: ofFlood((f) => f.sent), admitted: ofFlood((f) => f.admitted), refused: ofFlood((f) => f.refused), other: ofFlood((f) => f.other), skipped: ofFlood((f) => f.skipped) },
    tendCpu: runs.some((figures) => figures.tendCpu === null) ? null : of((figures) => figures.tendCpu!),
    load: of((figures) => figures.load),
  };
}

if (process.argv[2] === '--sender') {
  process.on('message', (plan: SendPlan) => {
    void sendOpenLoop(plan).then((result) => process.send?.({ ...result, latencies: [] }));
  });
} else {
  await main();
}
