// The chaos run: Tend as a separate process with the built-in playbooks, a real SMTP server and a
// local Twilio, fed by concurrent Segment-style clients while customers answer, click and opt out,
// and killed with SIGKILL at random moments and started again; then it checks that every promise held.
// Run (see docs/benchmarks/2026-12-07-chaos.md):
//   npm run chaos -- [--events 200000] [--kills 12] [--backend postgres|pglite|both] [--clients 6] [--days 14]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { seededRandom } from '../src/domain/models/random.js';
import { type CheckInput, type Finding, type Query, activityFigures, runChecks } from './chaos/checks.js';
import { runClients, type Acknowledged } from './chaos/clients.js';
import { ClockDriver } from './chaos/clock-driver.js';
import { Customers } from './chaos/customers.js';
import { callUntilAnswered, newTally, type Tally } from './chaos/http.js';
import { buildPopulation } from './chaos/population.js';
import { startFakeTwilio, startRecordingSmtpServer } from './chaos/providers.js';
import { type BackendReport, formatReport, passed, quantiles } from './chaos/report.js';
import { snapshotOfTheCode, TendRunner } from './chaos/tend-runner.js';
import { Traffic } from './chaos/traffic.js';
import { onCleanup } from './support/cleanup.js';
import { createDatabase, startPostgresCluster } from './support/postgres-cluster.js';
import { freePort } from './support/tend-process.js';

type Backend = 'postgres' | 'pglite';

const { values: flags } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    kills: { type: 'string', default: '12' },
    backend: { type: 'string', default: 'both' },
    clients: { type: 'string', default: '6' },
    days: { type: 'string', default: '14' },
    seed: { type: 'string', default: '20261207' },
    keep: { type: 'boolean', default: false },
  },
});

function positiveInteger(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

const totalEvents = positiveInteger('events', flags.events);
const kills = positiveInteger('kills', flags.kills);
const clients = positiveInteger('clients', flags.clients);
const simulatedDays = positiveInteger('days', flags.days);
const seed = positiveInteger('seed', flags.seed);
const backends: Backend[] = flags.backend === 'both' ? ['postgres', 'pglite'] : flags.backend === 'postgres' || flags.backend === 'pglite' ? [flags.backend] : [];
if (backends.length === 0) throw new Error(`--backend must be postgres, pglite or both, got ${JSON.stringify(flags.backend)}`);

const writeKey = 'wk_chaos_0123456789abcdef';
const adminToken = 'tend_admin_chaos_0123456789abcdef';
const inboundEmailSecret = 'inbound_chaos_0123456789abcdef';
const twilioAccount = { accountSid: `AC${'c'.repeat(32)}`, authToken: 'f'.repeat(32), from: '+15005550006' };
const senderDomain = 'chaos-co.example';
/** The part of the kills (and of the run's progress) that falls in the traffic phase. */
const trafficShare = 0.7;
const postgresTuning = ['shared_buffers=256MB', 'max_wal_size=2GB'];
const log = (text: string): void => console.error(`[${new Date().toISOString().slice(11, 19)}] ${text}`);
const pause = (milliseconds: number) => new Promise((done) => setTimeout(done, milliseconds));

async function run(backend: Backend): Promise<BackendReport> {
  const random = seededRandom(seed);
  const folder = mkdtempSync(join(tmpdir(), `tend-chaos-${backend}-`));
  const removeFolder = flags.keep ? () => undefined : onCleanup(() => rmSync(folder, { recursive: true, force: true }));
  let databaseUrl: string | null = null;
  let stopCluster = () => undefined as void;
  if (backend === 'postgres') {
    const cluster = await startPostgresCluster(postgresTuning);
    if ('skipped' in cluster) throw new Error(`PostgreSQL: ${cluster.skipped}`);
    stopCluster = cluster.stop;
    databaseUrl = await createDatabase(cluster, 'chaos');
  }
  const smtp = await startRecordingSmtpServer();
  const twilio = await startFakeTwilio(twilioAccount.accountSid, twilioAccount.authToken);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const clockStart = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const environment = (clockAt: Date): Record<string, string> => ({
    ...(databaseUrl === null ? { TEND_DATA_DIR: join(folder, 'data') } : { DATABASE_URL: databaseUrl }),
    TEND_WRITE_KEY: writeKey,
    TEND_ADMIN_TOKEN: adminToken,
    TEND_CLOCK: 'manual',
    TEND_CLOCK_START: clockAt.toISOString(),
    TEND_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    TEND_EMAIL_FROM: `Chaos Co <hello@${senderDomain}>`,
    TEND_REPLY_DOMAIN: `replies.${senderDomain}`,
    TEND_TWILIO_ACCOUNT_SID: twilioAccount.accountSid,
    TEND_TWILIO_AUTH_TOKEN: twilioAccount.authToken,
    TEND_TWILIO_FROM: twilioAccount.from,
    TEND_TWILIO_BASE_URL: twilio.url,
    TEND_PUBLIC_URL: url,
    TEND_INBOUND_EMAIL_SECRET: inboundEmailSecret,
    TEND_LOG_LEVEL: 'warn',
  });
  const code = snapshotOfTheCode(folder);
  const runner = new TendRunner(url, port, join(folder, 'tend.log'), code.directory);
  log(`${backend}: starting Tend ${code.version} (log: ${join(folder, 'tend.log')})`);
  await runner.start(environment(clockStart));

  const tally: Tally = newTally();
  const population = buildPopulation(Math.max(50, Math.round(totalEvents / 100)), random);
  const clock = new ClockDriver(() => url, adminToken, clockStart, tally);
  const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  for (const rep of population.reps) {
    await callUntilAnswered(`${url}/api/v1/users`, { method: 'POST', headers: admin, body: JSON.stringify({ email: rep.email, name: rep.name, role: rep.role, managerEmail: rep.managerEmail }) }, tally, 'POST /api/v1/users');
  }
  const traffic = new Traffic(population, random, totalEvents, `chaos-${backend}`, () => clock.now());
  const customers = new Customers({ url, publicUrl: url, adminToken, inboundEmailSecret, twilio: twilioAccount, population, random, tally });
  smtp.onReceived = (email) => customers.onEmail(email);
  twilio.onReceived = (text) => customers.onText(text);
  const acknowledged: Acknowledged = { messageIds: [], refused: 0, refusedSamples: [] };
  const clockEnd = clockStart.getTime() + simulatedDays * 86_400_000;
  // Two phases: the traffic (the clock follows it), then the rest of the simulated days, when the
  // playbooks' waits end and their texts and tasks come due. Kills land in both, at random moments.
  let trafficDone = false;
  let clockAtTrafficEnd = clockStart.getTime();
  let timeDone = false;
  const progress = (): number => {
    if (!trafficDone) return trafficShare * (acknowledged.messageIds.length / totalEvents);
    const span = Math.max(1, clockEnd - clockAtTrafficEnd);
    return trafficShare + (1 - trafficShare) * Math.min(1, (clock.now().getTime() - clockAtTrafficEnd) / span);
  };
  const killAt = Array.from({ length: kills - 1 }, () => 0.02 + random.next() * 0.96).sort((a, b) => a - b);
  const restart = async (why: string) => {
    await runner.kill();
    const started = await runner.start(environment(clock.resumeAt()));
    const listening = started.listeningMilliseconds === null ? '?' : (started.listeningMilliseconds / 1000).toFixed(2);
    log(`${backend}: kill ${runner.kills} (${why}); listening after ${listening} s, /health answered after ${(started.startMilliseconds / 1000).toFixed(2)} s`);
  };
  const killer = (async () => {
    for (const threshold of killAt) {
      while (progress() < threshold && !timeDone) await pause(50);
      if (timeDone) break;
      await pause(random.integer(1500));
      await restart(`at ${(progress() * 100).toFixed(1)} % of the run, clock at ${clock.now().toISOString().slice(0, 16)}`);
    }
  })();
  const clocking = (async () => {
    while (!trafficDone) {
      const target = clockStart.getTime() + (clockEnd - clockStart.getTime()) * (acknowledged.messageIds.length / totalEvents);
      await clock.advanceTo(new Date(Math.min(target, clock.now().getTime() + 3_600_000)));
      await pause(200);
    }
    clockAtTrafficEnd = clock.now().getTime();
    while (clock.now().getTime() < clockEnd) {
      await clock.advanceTo(new Date(Math.min(clockEnd, clock.now().getTime() + 2 * 3_600_000)));
      await pause(200);
    }
    timeDone = true;
  })();
  // Agreement to texts once everyone's identify is stored, opt-outs at random moments, reps at work.
  const setupIds = population.accounts.filter((account) => account.arrivesAt === 0).reduce((sum, account) => sum + account.people.length, 0) * 2;
  const background = (async () => {
    while (acknowledged.messageIds.length < setupIds * 1.05 && !trafficDone) await pause(200);
    await pause(2_000);
    await customers.optInToTexts(4);
    log(`${backend}: ${customers.figures.smsOptIns} people agreed to texts`);
    const optOuts = Math.max(10, Math.round(population.people.length * 0.03));
    while (!timeDone) {
      if (customers.optOuts.length < optOuts && random.next() < 0.3) await customers.optOutSomebody();
      if (random.next() < 0.3) await customers.completeSomeTasks();
      await pause(200 + random.integer(400));
    }
  })();

  const began = performance.now();
  await runClients({ url, writeKey, clients, traffic, random, tally, acknowledged });
  const trafficSeconds = (performance.now() - began) / 1000;
  trafficDone = true;
  log(`${backend}: ${acknowledged.messageIds.length} events acknowledged in ${trafficSeconds.toFixed(1)} s; clock at ${clock.now().toISOString().slice(0, 16)}, moving on to ${new Date(clockEnd).toISOString().slice(0, 16)}`);
  const timeBegan = performance.now();
  await Promise.all([killer, clocking, background]);
  const timeSeconds = (performance.now() - timeBegan) / 1000;
  await customers.settle();
  // The last kill, then a quiet restart: whatever is due is sent, every callback answered.
  await restart('after the traffic');
  await clock.advanceTo(new Date(clock.resumeAt().getTime() + 60_000));
  let delivered = -1;
  while (delivered !== smtp.received.length + twilio.received.length) {
    delivered = smtp.received.length + twilio.received.length;
    await pause(3_000);
  }
  await twilio.settled();
  const finalNow = await clock.read();
  await runner.stop();

  log(`${backend}: checking the database`);
  const database = await openForChecks(backend, databaseUrl, join(folder, 'data', 'pgdata'));
  let findings: Finding[];
  let figures: Record<string, string>;
  try {
    const input: CheckInput = { query: database.query, acknowledged: acknowledged.messageIds, emails: smtp.received, texts: twilio.received, optOuts: customers.optOuts, population, senderDomain, now: finalNow };
    findings = await runChecks(input);
    figures = await activityFigures(database.query);
  } finally {
    await database.close();
  }
  findings.push(...trafficFindings(tally, acknowledged, customers, runner.errors, runner.errorLines, twilio.lostCallbacks()));
  findings.push(await clockAfterRestart(runner, environment(clockStart), finalNow, tally));
  figures = {
    ...figures,
    'code': code.version,
    'messages at the providers': `${smtp.received.length} e-mails, ${twilio.received.length} texts`,
    'customers': `${population.people.length} people in ${population.accounts.length} accounts; ${customers.figures.smsOptIns} agreed to texts`,
    'reactions': `${customers.figures.emailReplies} e-mail replies, ${customers.figures.textReplies} text replies, ${customers.figures.clicks} clicks, ${customers.optOuts.length} opt-outs, ${customers.figures.tasksCompleted} tasks completed`,
    'requests': `${tally.requests} (${tally.connectionFailures} failed to connect or broke, ${tally.throttled} answered 429)`,
    'the clock': `${clock.advances.length} advances (median ${(quantiles(clock.advances).median / 1000).toFixed(1)} s, max ${(quantiles(clock.advances).max / 1000).toFixed(1)} s); at ${new Date(clockAtTrafficEnd).toISOString().slice(0, 16)} when the traffic ended, then ${timeSeconds.toFixed(0)} s to reach ${new Date(clockEnd).toISOString().slice(0, 16)}`,
    'starts, spawn to listening (Tend\'s own "started in")': runner.starts.map((start) => `${start.listeningMilliseconds === null ? '?' : (start.listeningMilliseconds / 1000).toFixed(1)} (${start.tendSeconds ?? '?'})`).join(', ') + ' s',
  };
  await Promise.all([smtp.close(), twilio.close(), runner.close()]);
  stopCluster();
  removeFolder();
  return { backend, events: acknowledged.messageIds.length, trafficSeconds, kills: runner.kills, restartMilliseconds: runner.starts.flatMap((start) => (start.downMilliseconds === null ? [] : [start.startMilliseconds])), downMilliseconds: runner.starts.flatMap((start) => (start.downMilliseconds === null ? [] : [start.downMilliseconds])), simulatedDays, findings, figures };
}

/** The database for the checks: PostgreSQL over its URL; the embedded one opened directly once Tend has stopped. */
async function openForChecks(backend: Backend, url: string | null, pgdata: string): Promise<{ query: Query; close(): Promise<void> }> {
  if (backend === 'postgres') {
    const client = new pg.Client({ connectionString: url! });
    await client.connect();
    return { query: async (text, values) => (await client.query(text, values)).rows as Record<string, unknown>[], close: () => client.end() };
  }
  const database = await PGlite.create({ dataDir: pgdata });
  return { query: async (text, values) => (await database.query(text, values)).rows as Record<string, unknown>[], close: () => database.close() };
}

function trafficFindings(tally: Tally, acknowledged: Acknowledged, customers: Customers, errors: number, errorLines: readonly string[], lostCallbacks: number): Finding[] {
  return [
    { line: '5xx answers from Tend', count: tally.serverErrors, gate: true, samples: tally.serverErrorSamples.slice(0, 5) },
    { line: 'event batches refused (4xx)', count: acknowledged.refused, gate: true, samples: acknowledged.refusedSamples },
    { line: "customers' and staff's requests refused (4xx)", count: customers.figures.refused, gate: true, samples: customers.figures.refusedSamples.slice(0, 5) },
    { line: 'errors Tend logged', count: errors, gate: false, samples: errorLines.slice(0, 5).map((line) => line.slice(0, 600)) },
    { line: 'Twilio status callbacks Tend never took', count: lostCallbacks, gate: true, samples: [] },
  ];
}

/**
 * Starts Tend once more with its original TEND_CLOCK_START, as an operator who changed nothing would,
 * and reads its clock: it must stand where the store left it, not back at the start.
 */
async function clockAfterRestart(runner: TendRunner, environment: Record<string, string>, before: Date, tally: Tally): Promise<Finding> {
  await runner.start(environment);
  const answer = await callUntilAnswered(`${runner.url}/api/v1/clock`, { headers: { authorization: `Bearer ${adminToken}` } }, tally, 'GET /api/v1/clock');
  await runner.stop();
  const now = new Date((JSON.parse(answer.text) as { now: string }).now);
  const back = before.getTime() - now.getTime();
  return { line: 'manual clock back in time after a restart', count: back > 0 ? 1 : 0, gate: true, samples: back > 0 ? [`stood at ${before.toISOString()} before the restart, ${now.toISOString()} after (TEND_CLOCK_START unchanged): ${(back / 86_400_000).toFixed(2)} days back`] : [] };
}

const reports: BackendReport[] = [];
for (const backend of backends) {
  const report = await run(backend);
  reports.push(report);
  console.log(`${formatReport(report)}\n`);
}
process.exit(reports.every(passed) ? 0 : 1);
