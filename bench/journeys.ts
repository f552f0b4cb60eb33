// Journeys benchmark (issue 5): N subjects enter a 3-step playbook (send an e-mail, update a trait,
// create an owner task) on a durable PostgreSQL, each triggered by a detractor survey answer sent to a
// real `tend start`; a real SMTP server in this process takes the e-mails. Measures steps/s, trigger →
// outbox and trigger → SMTP arrival latency, sends/s, then the same with more worker processes sharing
// the database (traffic split between them), and checks one e-mail per subject.
//   npm run bench:journeys -- [--subjects 100000] [--rate events/s] [--workers 1,2] [--seed N]
//     [--batch 50] [--in-flight 32] [--latency-subjects 3000] [--latency-rate events/s] [--latency-batch 5]
//     [--smtp-no-delay]  (what-if: Tend's SMTP sockets without Nagle's algorithm; not Tend as shipped)
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { onCleanup } from './support/cleanup.js';
import { cpuBetween, findPostmaster, sampleCpu } from './support/journeys-cpu.js';
import {
  correctnessProblems,
  readPhaseFigures,
  readProgress,
  readStatements,
  resetStatements,
} from './support/journeys-figures.js';
import { type Printable, type PrintablePhase, printReport } from './support/journeys-report.js';
import { type CountingSmtpServer, startCountingSmtpServer } from './support/journeys-smtp.js';
import { benchRep, noonTimeZone, sendPaced, setupBodies, surveyBodies } from './support/journeys-traffic.js';
import { call, quantile, sendAll } from './support/load-client.js';
import { type PostgresCluster, createDatabase, startPostgresCluster } from './support/postgres-cluster.js';
import { type TendProcess, startTendProcess } from './support/tend-process.js';

const { values: flags } = parseArgs({
  options: {
    subjects: { type: 'string', default: '100000' },
    rate: { type: 'string', default: '500' },
    workers: { type: 'string', default: '1,2' },
    seed: { type: 'string', default: '20261130' },
    batch: { type: 'string', default: '50' },
    'in-flight': { type: 'string', default: '32' },
    'latency-subjects': { type: 'string', default: '3000' },
    'latency-rate': { type: 'string' },
    'latency-batch': { type: 'string', default: '5' },
    'smtp-no-delay': { type: 'boolean', default: false },
  },
});

function positive(name: string, raw: string | undefined, allowZero = false): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1))
    throw new Error(
      `--${name} must be a ${allowZero ? 'whole number' : 'positive integer'}, got ${JSON.stringify(raw)}`,
    );
  return value;
}

const subjects = positive('subjects', flags.subjects);
const rate = positive('rate', flags.rate);
const workerCounts = (flags.workers ?? '1').split(',').map((text) => positive('workers', text));
const seed = positive('seed', flags.seed);
const batchSize = positive('batch', flags.batch);
const inFlight = positive('in-flight', flags['in-flight']);
const latencySubjects = positive('latency-subjects', flags['latency-subjects'], true);
const latencyRate = flags['latency-rate'] === undefined ? null : positive('latency-rate', flags['latency-rate']);
const latencyBatch = positive('latency-batch', flags['latency-batch']);
const smtpNoDelay = flags['smtp-no-delay'] === true;
if (batchSize > 500 || latencyBatch > 500) throw new Error('--batch may be at most 500 (Segment: 500 KB per request)');

const writeKey = 'wk_bench_journeys_0123456789';
const adminToken = 'tend_admin_bench_journeys_0123456789';
const emailFrom = 'Bench <bench@tend.example>';
// As the other benchmarks: production-like memory settings, fsync and synchronous_commit on.
const postgresTuning = [
  'shared_buffers=512MB',
  'max_wal_size=4GB',
  'checkpoint_timeout=15min',
  'shared_preload_libraries=pg_stat_statements',
];
const totalSubjects = subjects + latencySubjects;
const log = (text: string): void => console.error(`[${new Date().toISOString().slice(11, 19)}] ${text}`);
/** A phase is given up when nothing at all moved (events, runs, steps, outbox, sends) for this long. */
const stallSeconds = 300;
const sleep = (milliseconds: number): Promise<void> => new Promise((done) => setTimeout(done, milliseconds));

const playbook = `# The journeys benchmark's playbook: three steps, every subject treated (no holdout), once each.
id: journey-bench
name: Journey bench
version: 1
trigger: { signal: detractor }
steps:
  - id: apology
    send: { channel: email, template: we-miss-you }
  - id: note
    update: { trait: benchTouched, value: "yes" }
  - id: owner-task
    task: { for: owner, objective: Call them about their score, talkingPoints: [Their score and comment], dueIn: P1D }
holdout: 0
reentry: never
`;

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Node options for every `tend start`: the stop watcher always, the Nagle what-if on request. */
function preloads(): Record<string, string> {
  const modules = ['./support/journeys-signal-watch.mjs', ...(smtpNoDelay ? ['./support/journeys-no-delay.mjs'] : [])];
  return {
    NODE_OPTIONS: modules.map((module) => `--import=${fileURLToPath(new URL(module, import.meta.url))}`).join(' '),
    JOURNEYS_SIGNAL_LOG: signalLog,
  };
}

/** What the stop watcher noted since `since` (ms since the epoch). */
function stopsSince(since: number): string[] {
  if (!existsSync(signalLog)) return [];
  return readFileSync(signalLog, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && Date.parse(line.slice(0, 24)) >= since);
}

async function startTends(count: number, settings: Record<string, string>): Promise<TendProcess[]> {
  const started: TendProcess[] = [];
  // One after the other: the first applies the migrations, the next find them applied.
  for (let index = 0; index < count; index++) started.push(await startTendProcess(settings, 300_000));
  return started;
}

/** Waits until no session of `database` but ours is running a statement for 3 s in a row (start-up ranking done). */
async function waitQuiet(client: pg.Client, database: string, limitSeconds: number): Promise<void> {
  let quietSince = performance.now();
  const deadline = performance.now() + limitSeconds * 1000;
  while (performance.now() < deadline) {
    const result = await client.query(
      `select count(*)::int as busy from pg_stat_activity where datname = $1 and state = 'active' and pid <> pg_backend_pid()`,
      [database],
    );
    if (Number(result.rows[0]?.busy) > 0) quietSince = performance.now();
    if (performance.now() - quietSince >= 3000) return;
    await sleep(250);
  }
  log(`  still busy after ${limitSeconds} s; going on`);
}

/** Waits until every subject's account and contact exist and no account is due (nor, with `ranked`, without a tier). */
async function waitSettled(url: string, ranked: boolean, limitSeconds = 1800): Promise<void> {
  const deadline = performance.now() + limitSeconds * 1000;
  await withClient(url, async (client) => {
    for (;;) {
      if (performance.now() > deadline) throw new Error(`the accounts did not settle within ${limitSeconds} s`);
      const result =
        await client.query(`select (select count(*) from accounts)::int8 as accounts, (select count(*) from contacts where email is not null)::int8 as contacts,
        (select count(*) from accounts where next_check_at <= now() or refresh_due_at <= now())::int8 as due, (select count(*) from accounts where tier is null)::int8 as unranked`);
      const row = result.rows[0] as Record<string, string>;
      if (
        Number(row.accounts) === totalSubjects &&
        Number(row.contacts) === totalSubjects &&
        Number(row.due) === 0 &&
        (!ranked || Number(row.unranked) === 0)
      )
        return;
      await sleep(2000);
    }
  });
}

/** Loads the subjects once into a template database, through a real `tend start`, and waits until every account was evaluated. */
async function prepareTemplate(cluster: PostgresCluster, playbooks: string): Promise<string> {
  const url = await createDatabase(cluster, 'tend_journeys_template');
  // Copied with the template into every measured database: which statements a subject costs.
  await withClient(url, (client) => client.query('create extension pg_stat_statements'));
  const [tend] = await startTends(1, {
    DATABASE_URL: url,
    TEND_WRITE_KEY: writeKey,
    TEND_ADMIN_TOKEN: adminToken,
    TEND_LOG_LEVEL: 'warn',
    TEND_PLAYBOOKS: playbooks,
    ...preloads(),
  });
  const agent = new Agent({ keepAlive: true });
  const user = await call(
    agent,
    tend!.url,
    'POST',
    '/api/v1/users',
    `Bearer ${adminToken}`,
    Buffer.from(JSON.stringify({ email: benchRep, name: 'Bench Rep', role: 'rep' })),
  );
  agent.destroy();
  if (user.status !== 201) throw new Error(`creating the rep answered ${user.status}: ${user.text}`);
  const timeZone = noonTimeZone(new Date());
  const bodies = setupBodies(totalSubjects, 250, timeZone);
  log(
    `setup: ${totalSubjects} subjects (identify + group, ${bodies.length} requests of 500 messages), time zone ${timeZone}`,
  );
  const began = performance.now();
  const load = await sendAll(bodies, { url: tend!.url, writeKey, concurrency: 4 });
  if (load.failures > 0) throw new Error(`setup: ${load.failures} requests failed; first: ${load.firstFailure}`);
  log(`setup: sent in ${((performance.now() - began) / 1000).toFixed(1)} s; waiting until every account is evaluated`);
  await waitSettled(url, false);
  await tend!.stop();
  const unranked = await withClient(url, async (client) =>
    Number((await client.query('select count(*)::int8 as count from accounts where tier is null')).rows[0]?.count),
  );
  log(
    `setup: evaluated after ${((performance.now() - began) / 1000).toFixed(1)} s, ${unranked} of ${totalSubjects} accounts without a tier; ranking them with a fresh process`,
  );
  // The first process ranked the accounts before they existed, and an account evaluated within the
  // ranking cooldown is not looked at again until the next day: a fresh process ranks them all on its
  // first batch (and re-evaluates them), so that the measured processes start with nothing to do.
  const [ranker] = await startTends(1, {
    DATABASE_URL: url,
    TEND_WRITE_KEY: writeKey,
    TEND_ADMIN_TOKEN: adminToken,
    TEND_LOG_LEVEL: 'warn',
    TEND_PLAYBOOKS: playbooks,
    ...preloads(),
  });
  await waitSettled(url, true);
  await ranker!.stop();
  log(`setup: settled after ${((performance.now() - began) / 1000).toFixed(1)} s`);
  return url;
}

type PhaseResult = PrintablePhase;

/** Sends one survey answer per subject in [first, first + count) at `eventsPerSecond`, waits until all e-mails are in, reads the figures. */
async function runPhase(
  label: string,
  tends: readonly TendProcess[],
  url: string,
  postmaster: number | null,
  smtp: CountingSmtpServer,
  first: number,
  count: number,
  eventsPerSecond: number,
  perRequest: number,
): Promise<PhaseResult> {
  const bodies = surveyBodies(first, count, perRequest, seed);
  return withClient(url, async (client) => {
    const pids = tends.map((tend) => tend.pid);
    await resetStatements(client);
    const before = sampleCpu(pids, postmaster);
    const startedAt = Date.now();
    log(
      `${label}: ${count} survey answers at ${eventsPerSecond}/s (${bodies.length} requests of ${perRequest}) to ${tends.length} process(es)`,
    );
    let sending = true;
    const gone = new Set<number>();
    const watcher = (async () => {
      let last = -1;
      let stalledSince = performance.now();
      const expectedBefore = first;
      for (;;) {
        await sleep(5000);
        for (const tend of tends) {
          if (!gone.has(tend.pid) && !existsSync(`/proc/${tend.pid}`)) {
            gone.add(tend.pid);
            log(
              `  ${label}: tend process ${tend.pid} is gone; ${stopsSince(startedAt).join('; ') || 'no stop signal noted'}`,
            );
          }
        }
        const progress = await readProgress(client);
        let arrived = 0;
        for (let index = first; index < first + count; index++) if (smtp.perSubject[index]! > 0) arrived++;
        log(
          `  ${label}: events ${progress.events - expectedBefore}, runs ${progress.runs - expectedBefore}, run steps ${progress.steps - 4 * expectedBefore}, outbox ${progress.outbox - expectedBefore}, sent ${progress.sent - expectedBefore}, SMTP ${arrived}; accounts due ${progress.dueAccounts}`,
        );
        if (!sending && arrived >= count && progress.sent - expectedBefore >= count) return true;
        const moved = arrived + progress.events + progress.runs + progress.steps + progress.outbox + progress.sent;
        if (moved !== last) stalledSince = performance.now();
        last = moved;
        if (!sending && performance.now() - stalledSince > stallSeconds * 1000) return false;
      }
    })();
    const sent = await sendPaced(
      tends.map((tend) => tend.url),
      writeKey,
      bodies,
      eventsPerSecond / perRequest,
      inFlight,
    );
    sending = false;
    if (sent.failures > 0) log(`${label}: ${sent.failures} requests failed after retries; first: ${sent.firstFailure}`);
    log(
      `${label}: all sent in ${(sent.wallMilliseconds / 1000).toFixed(1)} s (${sent.retries} retries, ${sent.late} requests held back by ${inFlight} in flight); waiting for the e-mails`,
    );
    const complete = await watcher;
    if (!complete) log(`${label}: nothing moved for ${stallSeconds} s; reading the figures as they are`);
    const after = sampleCpu(pids, postmaster);
    const statements = await readStatements(client, count);
    const figures = await readPhaseFigures(client, smtp, first, count, perRequest, sent.sentAt, startedAt);
    const problems = correctnessProblems(figures);
    for (const stop of stopsSince(startedAt)) problems.push(`a Tend process was stopped during the phase: ${stop}`);
    if (sent.failures > 0)
      problems.push(`${sent.failures} survey requests failed after 5 attempts: ${sent.firstFailure}`);
    const ingested = count - sent.failures * perRequest;
    return {
      label,
      offeredRate: eventsPerSecond,
      ingestedPerSecond: ingested / (sent.wallMilliseconds / 1000),
      requestP99: quantile(sent.latencies, 0.99),
      late: sent.late,
      figures,
      statements,
      cpu: cpuBetween(before, after, cpus().length),
      problems,
      complete,
    };
  });
}

const began = performance.now();
const loadBefore = loadavg();
log(
  `journeys: ${subjects} subjects at ${rate} events/s, then ${latencySubjects} at a lower rate; workers ${workerCounts.join(', ')}; load average ${loadBefore.map((value) => value.toFixed(2)).join(' ')}`,
);
const cluster = await startPostgresCluster(postgresTuning);
if ('skipped' in cluster) throw new Error(`cannot benchmark PostgreSQL: ${cluster.skipped}`);
const postmaster = findPostmaster(Number(new URL(cluster.url).port));
if (postmaster === null) log('could not find the postmaster: PostgreSQL CPU will not be reported');
const folder = mkdtempSync(join(tmpdir(), 'tend-bench-journeys-'));
onCleanup(() => rmSync(folder, { recursive: true, force: true }));
writeFileSync(join(folder, 'journey-bench.yaml'), playbook);
const signalLog = join(folder, 'stops.log');
const templateUrl = await prepareTemplate(cluster, folder);
const version = await withClient(templateUrl, async (client) =>
  String((await client.query('show server_version')).rows[0]?.server_version),
);

const results: Printable[] = [];
for (const workers of workerCounts) {
  const name = `tend_journeys_${workers}w`;
  await withClient(cluster.url, (client) => client.query(`create database ${name} template tend_journeys_template`));
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  const smtp = await startCountingSmtpServer(totalSubjects);
  const settings = {
    DATABASE_URL: url.toString(),
    TEND_WRITE_KEY: writeKey,
    TEND_ADMIN_TOKEN: adminToken,
    TEND_LOG_LEVEL: 'warn',
    TEND_PLAYBOOKS: folder,
    TEND_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    TEND_EMAIL_FROM: emailFrom,
    // Required with SMTP (unsubscribe and tracked links); loopback may be plain http. Nobody follows them here.
    TEND_PUBLIC_URL: 'http://localhost:3000',
    ...preloads(),
  };
  log(`${workers} worker(s): starting tend on ${name}`);
  const tends = await startTends(workers, settings);
  await waitSettled(url.toString(), true);
  await withClient(url.toString(), (client) => waitQuiet(client, name, 120));
  const throughput = await runPhase(
    `${workers}w throughput`,
    tends,
    url.toString(),
    postmaster,
    smtp,
    0,
    subjects,
    rate,
    batchSize,
  );
  let latency: PhaseResult | null = null;
  if (latencySubjects > 0 && !throughput.complete)
    log(`${workers}w latency: skipped, the throughput phase never finished`);
  else if (latencySubjects > 0) {
    // Half of what this setup sustained end to end: a load it can carry, to see the latency it adds.
    const gentle = latencyRate ?? Math.max(1, Math.round(throughput.figures.endToEndPerSecond / 2));
    await withClient(url.toString(), (client) => waitQuiet(client, name, 120));
    latency = await runPhase(
      `${workers}w latency`,
      tends,
      url.toString(),
      postmaster,
      smtp,
      subjects,
      latencySubjects,
      gentle,
      latencyBatch,
    );
  }
  const peakMegabytes = tends.map((tend) => tend.peakMemoryMegabytes());
  for (const tend of tends) await tend.stop();
  await smtp.close();
  results.push({ workers, throughput, latency, peakMegabytes });
  for (const phase of [throughput, latency]) {
    if (phase && phase.problems.length > 0) log(`${phase.label}: PROBLEMS: ${phase.problems.join('; ')}`);
  }
}
cluster.stop();

printReport({
  subjects,
  rate,
  batchSize,
  inFlight,
  latencySubjects,
  latencyBatch,
  smtpNoDelay,
  workerCounts,
  seed,
  postgresVersion: version,
  loadBefore,
  loadAfter: loadavg(),
  totalSeconds: (performance.now() - began) / 1000,
  results,
});
