// Flood benchmark: does one source flooding the Tracking API slow the others? A real `tend start` with
// small per-source limits; source B sends at its normal rate, open loop, and its request latency is
// measured alone, beside source A at its limit, and beside A at 10× its limit (in requests, then in
// events); A's sender runs in a process of its own and ignores Retry-After, as a runaway loop would.
// Run:  npm run bench:flood -- [--backend pglite|postgres|both] [--seconds 5] [--rounds 6] [--repeat 3]
//       [--log-level warn]          (notes: docs/benchmarks/2026-12-07-limits.md)
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

/**
 * The limits every source gets here, set below what this 2-core machine ingests so that one source at
 * its limit leaves room for the others (README, "Limits"); bursts of a quarter second, so that A's
 * admitted traffic is the same steady share in every phase, and a flood differs from A at its limit
 * only by what is refused. B sends at half its limits.
 */
const limits = { requests: { perSecond: 40, burst: 10 }, events: { perSecond: 400, burst: 100 } };
const steady = { perSecond: 20, events: 10 };

/** Played in this order in each round; rounds interleave them, so that a noisy minute hits all alike. */
const phases = [
  { name: 'B alone', flood: null },
  { name: 'A at its limit', flood: { perSecond: 40, events: 10 } },
  { name: 'A at 10× (requests)', flood: { perSecond: 400, events: 10 } },
  // The same events at the limit in batches of 100, the shape of the events flood's admitted requests.
  { name: 'A at its limit, batches of 100', flood: { perSecond: 4, events: 100 } },
  { name: 'A at 10× (events)', flood: { perSecond: 40, events: 100 } },
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

const eventNames = [
  'Signed In',
  'Feature Used',
  'Report Exported',
  'Project Created',
  'Comment Posted',
  'File Uploaded',
];
const library = { name: '@segment/analytics-node', version: '2.1.3' };
const userAgent = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0';

/** A batch as @segment/analytics-node sends it: track calls with properties and context. */
function batchBody(prefix: string, request: number, events: number): Buffer {
  const timestamp = new Date().toISOString();
  const sender = prefix.split('-')[0];
  const batch = Array.from({ length: events }, (_, index) => {
    const person = (request * events + index) % 2_000;
    const durationMs = (request * 7919 + index) % 120_000;
    return {
      type: 'track',
      messageId: `${prefix}-${request}-${index}`,
      userId: `${sender}-person-${person}`,
      event: eventNames[(request + index) % eventNames.length],
      timestamp,
      properties: { path: `/app/projects/${person}/board`, durationMs, plan: 'team', itemCount: index },
      context: { groupId: `${sender}-account-${person % 200}`, library, userAgent },
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
  readonly pid: number;
  send(plan: SendPlan): Promise<SendResult>;
  stop(): void;
}

function startSender(): Sender {
  const child = fork(fileURLToPath(import.meta.url), ['--sender'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const forget = onCleanup(() => child.kill('SIGKILL'));
  return {
    pid: child.pid!,
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

interface FloodFigures {
  readonly sent: number;
  readonly admitted: number;
  readonly refused: number;
  /** Neither 200 nor 429, or not sent because the sender fell behind. */
  readonly other: number;
}

interface PhaseFigures {
  readonly phase: string;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** B's answers other than 200: B stays within its limits, so any is a failure of the benchmark. */
  readonly steadyNot200: number;
  readonly flood: FloodFigures | null;
  /** CPU seconds Tend used per second of the phase (2.0 = both cores). */
  readonly tendCpu: number | null;
  /** The same for A's sender: the flood's own cost on this machine's two cores. */
  readonly senderCpu: number | null;
  readonly load: number;
}

interface RunOptions {
  readonly seconds: number;
  readonly rounds: number;
  readonly configPath: string;
  readonly cluster: PostgresCluster | null;
  readonly logLevel: string;
  readonly log: (text: string) => void;
}

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    options: {
      backend: { type: 'string', default: 'both' },
      seconds: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '6' },
      repeat: { type: 'string', default: '3' },
      'log-level': { type: 'string', default: 'warn' },
    },
  });
  const seconds = Number(flags.seconds);
  const repeat = Number(flags.repeat);
  const rounds = Number(flags.rounds);
  const logLevel = flags['log-level']!;
  if (!(seconds >= 2) || ![repeat, rounds].every((count) => Number.isInteger(count) && count >= 1)) {
    throw new Error('--seconds must be at least 2, --repeat and --rounds positive integers');
  }
  const backends: Backend[] = flags.backend === 'both' ? ['pglite', 'postgres'] : [];
  if (flags.backend === 'pglite' || flags.backend === 'postgres') backends.push(flags.backend);
  if (backends.length === 0) throw new Error(`--backend must be pglite, postgres or both, got ${flags.backend}`);
  const log = (text: string): void => console.error(`[${new Date().toISOString().slice(11, 19)}] ${text}`);
  const configFolder = mkdtempSync(join(tmpdir(), 'tend-flood-config-'));
  onCleanup(() => rmSync(configFolder, { recursive: true, force: true }));
  const configPath = join(configFolder, 'tend.config.yaml');
  const rate = ({ perSecond, burst }: { perSecond: number; burst: number }): string =>
    `{ perSecond: ${perSecond}, burst: ${burst} }`;
  const tracking = `    requests: ${rate(limits.requests)}\n    events: ${rate(limits.events)}\n`;
  writeFileSync(configPath, `limits:\n  tracking:\n${tracking}`);

  let cluster: PostgresCluster | null = null;
  if (backends.includes('postgres')) {
    const tuning = ['shared_buffers=512MB', 'max_wal_size=4GB', 'checkpoint_timeout=15min'];
    const started = await startPostgresCluster(tuning);
    if ('skipped' in started) throw new Error(`cannot benchmark PostgreSQL: ${started.skipped}`);
    cluster = started;
  }
  const results = new Map<Backend, PhaseFigures[][]>();
  const began = performance.now();
  for (let run = 1; run <= repeat; run++) {
    for (const backend of backends) {
      const figures = await runOnce(backend, run, { seconds, rounds, configPath, cluster, logLevel, log });
      results.set(backend, [...(results.get(backend) ?? []), figures]);
    }
  }
  cluster?.stop();

  const { requests, events } = limits;
  console.log(
    `\nFlood: per-source limits ${requests.perSecond} requests/s (burst ${requests.burst}) and ` +
      `${events.perSecond} events/s (burst ${events.burst}); B sends ${steady.perSecond} requests/s of ` +
      `${steady.events} events; ${rounds} rounds of ${seconds} s per phase; ${repeat} run(s); ` +
      `Tend log level ${logLevel}.`,
  );
  let missed = false;
  for (const backend of backends) {
    const runs = results.get(backend) ?? [];
    console.log(`\n${backend === 'pglite' ? 'Embedded PGlite' : 'PostgreSQL (durable)'}\n${tableHeader}`);
    for (const [index, figures] of runs.entries()) {
      for (const phase of figures) console.log(tableRow(`run ${index + 1}`, phase, figures[0]!.p99));
    }
    const medians = phases.map((_, phase) => medianPhase(runs.map((figures) => figures[phase]!)));
    console.log(`\nMedians of ${runs.length} run(s):\n${tableHeader}`);
    for (const phase of medians) console.log(tableRow('median', phase, medians[0]!.p99));
    if (medians.some((figures) => figures.phase.includes('10×') && figures.p99 > 2 * medians[0]!.p99)) missed = true;
  }
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  console.log(`\nTotal time ${((performance.now() - began) / 1000).toFixed(0)} s; load average now ${load}.`);
  if (missed) {
    console.error("\nMISSED: B's p99 beside a flood is more than 2× its p99 alone (medians above).");
    process.exitCode = 1;
  }
}

/** A new key for source A, made as a user would (`tend keys create`), printed on the last line. */
function createFloodKey(location: Record<string, string>): string {
  const binary = fileURLToPath(new URL('../bin/tend.js', import.meta.url));
  const env = { ...process.env, ...location };
  const command = [binary, 'keys', 'create', '--source', 'flood'];
  const created = spawnSync(process.execPath, command, { env, encoding: 'utf8' });
  const key = created.stdout.trim().split('\n').pop() ?? '';
  if (created.status !== 0 || !key.startsWith('wk')) {
    throw new Error(`tend keys create failed: ${created.stderr}${created.stdout}`);
  }
  return key;
}

async function runOnce(backend: Backend, run: number, options: RunOptions): Promise<PhaseFigures[]> {
  const { log } = options;
  const folder = mkdtempSync(join(tmpdir(), `tend-flood-${backend}-`));
  const removeFolder = onCleanup(() => rmSync(folder, { recursive: true, force: true }));
  const location: Record<string, string> =
    backend === 'postgres'
      ? { DATABASE_URL: await createDatabase(options.cluster!, `tend_flood_${run}_${Date.now()}`) }
      : { TEND_DATA_DIR: folder };
  const steadyKey = `wk_flood_steady_${run}_0123456789`;
  const settings = { TEND_WRITE_KEY: steadyKey, TEND_CONFIG: options.configPath, TEND_LOG_LEVEL: options.logLevel };
  const tend = await startTendProcess({ ...location, ...settings });
  const floodKey = createFloodKey(location);
  const sender = startSender();
  const started = (tend.startMilliseconds / 1000).toFixed(1);
  log(`${backend} run ${run}: Tend answered after ${started} s (pid ${tend.pid}); load ${loadavg()[0]!.toFixed(2)}`);

  const url = tend.url;
  const steadyPlan = (prefix: string, seconds: number): SendPlan => ({
    url,
    writeKey: steadyKey,
    ...steady,
    seconds,
    prefix: `b-${prefix}`,
    maximumInFlight: 64,
  });
  // Warm-up: first accounts, connections, prepared statements, and both senders' code compiled.
  type Rate = { perSecond: number; events: number };
  const floodPlan = (prefix: string, seconds: number, rate: Rate, maximumInFlight = 256): SendPlan => ({
    url,
    writeKey: floodKey,
    ...rate,
    seconds,
    prefix,
    maximumInFlight,
  });
  const warmFlood = floodPlan('a-warm', 5, { perSecond: 5, events: 20 }, 8);
  await Promise.all([sendOpenLoop(steadyPlan('warm', 10)), sender.send(warmFlood)]);
  const collected = phases.map(() => ({
    latencies: [] as number[],
    statuses: {} as Record<string, number>,
    flood: [] as SendResult[],
    cpu: 0,
    senderCpu: 0,
    seconds: 0,
    loads: [] as number[],
  }));
  for (let round = 1; round <= options.rounds; round++) {
    for (const [index, phase] of phases.entries()) {
      const into = collected[index]!;
      const cpuBefore = cpuSecondsOf(tend.pid) ?? Number.NaN;
      const senderCpuBefore = cpuSecondsOf(sender.pid) ?? Number.NaN;
      const began = performance.now();
      const prefix = `a-${round}p${index}`;
      const flood = phase.flood === null ? null : sender.send(floodPlan(prefix, options.seconds, phase.flood));
      const measured = await sendOpenLoop(steadyPlan(`${round}p${index}`, options.seconds));
      if (flood !== null) into.flood.push(await flood);
      into.cpu += (cpuSecondsOf(tend.pid) ?? Number.NaN) - cpuBefore;
      into.senderCpu += (cpuSecondsOf(sender.pid) ?? Number.NaN) - senderCpuBefore;
      into.seconds += (performance.now() - began) / 1000;
      into.latencies.push(...measured.latencies);
      for (const [status, count] of Object.entries(measured.statuses)) {
        into.statuses[status] = (into.statuses[status] ?? 0) + count;
      }
      into.loads.push(loadavg()[0]!);
    }
    log(`${backend} run ${run}: round ${round} of ${options.rounds} done; load average ${loadavg()[0]!.toFixed(2)}`);
  }
  sender.stop();
  await tend.stop();
  removeFolder();
  const figures = collected.map((into, index): PhaseFigures => {
    const latencies = Float64Array.from(into.latencies).sort();
    const total = (count: (result: SendResult) => number): number =>
      into.flood.reduce((sum, result) => sum + count(result), 0);
    const flood: FloodFigures = {
      sent: total((result) => result.sent),
      admitted: total((result) => result.statuses['200'] ?? 0),
      refused: total((result) => result.statuses['429'] ?? 0),
      other: total((result) => result.skipped + notAdmittedOrRefused(result.statuses)),
    };
    return {
      phase: phases[index]!.name,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: quantile(latencies, 1),
      steadyNot200: (into.statuses['429'] ?? 0) + notAdmittedOrRefused(into.statuses),
      flood: into.flood.length === 0 ? null : flood,
      tendCpu: Number.isFinite(into.cpu) ? into.cpu / into.seconds : null,
      senderCpu: Number.isFinite(into.senderCpu) ? into.senderCpu / into.seconds : null,
      load: median(into.loads),
    };
  });
  for (const phase of figures) log(`${backend} run ${run}: ${tableRow('', phase, figures[0]!.p99)}`);
  return figures;
}

function notAdmittedOrRefused(statuses: Record<string, number>): number {
  const others = Object.entries(statuses).filter(([status]) => status !== '200' && status !== '429');
  return others.reduce((sum, [, count]) => sum + count, 0);
}

const tableHeader = [
  '| run | phase | B p50 ms | B p99 ms | B max ms | p99 / alone | B not 200 | A sent | A stored | A 429 | A other |' +
    ' Tend CPU | A sender CPU | load 1 min |',
  '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
].join('\n');

function tableRow(label: string, figures: PhaseFigures, aloneP99: number): string {
  const { flood } = figures;
  const cpu = (value: number | null): string => (value === null ? '?' : value.toFixed(2));
  const cells = [
    label,
    figures.phase,
    figures.p50.toFixed(1),
    figures.p99.toFixed(1),
    figures.max.toFixed(0),
    (figures.p99 / aloneP99).toFixed(2),
    String(figures.steadyNot200),
    ...(flood ? [flood.sent, flood.admitted, flood.refused, flood.other].map(String) : ['–', '–', '–', '–']),
    cpu(figures.tendCpu),
    cpu(figures.senderCpu),
    figures.load.toFixed(2),
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
  const cpuOf = (pick: (figures: PhaseFigures) => number | null): number | null =>
    runs.some((figures) => pick(figures) === null) ? null : of((figures) => pick(figures)!);
  return {
    phase: runs[0]!.phase,
    p50: of((figures) => figures.p50),
    p99: of((figures) => figures.p99),
    max: of((figures) => figures.max),
    steadyNot200: of((figures) => figures.steadyNot200),
    flood: floods.length === 0 ? null : medianFlood(floods),
    tendCpu: cpuOf((figures) => figures.tendCpu),
    senderCpu: cpuOf((figures) => figures.senderCpu),
    load: of((figures) => figures.load),
  };
}

function medianFlood(floods: FloodFigures[]): FloodFigures {
  const of = (key: keyof FloodFigures): number => median(floods.map((flood) => flood[key]));
  return { sent: of('sent'), admitted: of('admitted'), refused: of('refused'), other: of('other') };
}

if (process.argv[2] === '--sender') {
  process.on('message', (plan: SendPlan) => {
    void sendOpenLoop(plan).then((result) => process.send?.({ ...result, latencies: [] }));
  });
} else {
  await main();
}
