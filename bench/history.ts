// History benchmark (issue 21): a generated company of 1,000 accounts and 6 reps lives a year in a real
// `tend start` on the manual clock, a week at a time through the public API, on PGlite and on PostgreSQL.
// It reports whether a week costs more as history grows (week 52 against week 10), and how well the
// health score finds the accounts that leave, against the time since the last two-way contact, the
// hand-weighted score and the world's hidden satisfaction.
//   npm run bench:history -- [--database pglite|postgres|both] [--accounts 1000] [--weeks 52] [--seed 1]
//     [--drivers neglect=1,usage=1,tickets=1] [--moments 26,39] [--json FILE] [--database-url postgres://…/postgres]
//     [--minimum-lost-accounts N] (health.learning.minimumLostAccounts: how many losses before the score learns)
// Without --database-url, PostgreSQL is a throwaway cluster; with it, a fresh database is made in that server.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type ChurnDrivers, dayStart, demoCompany, isoDay } from '../src/domain/demo/demo-company.js';
import { onCleanup } from './support/cleanup.js';
import { type RankingQuality, median, rankingQuality } from './support/history-quality.js';
import { type ReplayResult, type WeekSample, replayYear } from './support/history-replay.js';
import { createDatabase, startPostgresCluster } from './support/postgres-cluster.js';
import { benchConfig, startTendProcess } from './support/tend-process.js';

type Backend = 'pglite' | 'postgres';

const { values: flags } = parseArgs({
  options: {
    database: { type: 'string', default: 'both' },
    accounts: { type: 'string', default: '1000' },
    weeks: { type: 'string', default: '52' },
    seed: { type: 'string', default: '1' },
    drivers: { type: 'string', default: '' },
    moments: { type: 'string', default: '26,39' },
    json: { type: 'string' },
    'database-url': { type: 'string' },
    'minimum-lost-accounts': { type: 'string' },
  },
});

function positive(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive whole number, got ${JSON.stringify(raw)}`);
  return value;
}

function driversFrom(text: string): Partial<ChurnDrivers> {
  const drivers: Record<string, number> = {};
  for (const part of text.split(',').filter((piece) => piece.trim() !== '')) {
    const [name, value] = part.split('=').map((piece) => piece.trim());
    if (!['neglect', 'usage', 'tickets'].includes(name ?? '') || !(Number(value) >= 0))
      throw new Error(`--drivers takes name=weight pairs of neglect, usage and tickets, got ${JSON.stringify(part)}`);
    drivers[name!] = Number(value);
  }
  return drivers;
}

const backends: Backend[] =
  flags.database === 'both' ? ['pglite', 'postgres'] : flags.database === 'pglite' ? ['pglite'] : ['postgres'];
if (!['both', 'pglite', 'postgres'].includes(flags.database ?? ''))
  throw new Error(`--database must be pglite, postgres or both, got ${JSON.stringify(flags.database)}`);
const weeks = positive('weeks', flags.weeks);
const accounts = positive('accounts', flags.accounts);
const seed = positive('seed', flags.seed);
const drivers = driversFrom(flags.drivers ?? '');
const moments = (flags.moments ?? '').split(',').map((week) => positive('moments', week));
const writeKey = 'wk_bench_history_0123456789';
const adminToken = 'tend_admin_bench_history_0123456789';
// The story ends on a fixed Monday, so that runs on different days replay the same year.
const today = new Date('2026-11-30T00:00:00Z');

interface HealthHistory {
  history: { day: string; score: number; configuredScore?: number | null; churnProbability?: number | null }[];
}

interface BackendRun {
  readonly backend: Backend;
  readonly replay: ReplayResult;
  readonly databaseMegabytes: number | null;
  readonly peakMegabytes: number | null;
  readonly qualities: readonly RankingQuality[];
  readonly model: unknown;
}

function folderMegabytes(folder: string): number | null {
  try {
    return Number(execFileSync('du', ['-sk', folder]).toString().split('\t')[0]) / 1024;
  } catch {
    return null;
  }
}

async function postgresMegabytes(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query('select pg_database_size(current_database())::float8 as bytes');
    return Number(result.rows[0].bytes) / 1024 / 1024;
  } finally {
    await client.end();
  }
}

/** Each account's daily scores, the learned (in effect) and the hand-weighted, read once at the end. */
async function scoreHistories(replay: ReplayResult): Promise<Map<string, HealthHistory['history']>> {
  const histories = new Map<string, HealthHistory['history']>();
  const ids = [...replay.samples[replay.samples.length - 1]!.accounts.keys()];
  let asked = `?days=${7 * weeks + 14}`;
  for (const id of ids) {
    let answer = await replay.client.tryGet(`/api/v1/accounts/${id}/health${asked}`);
    // A Tend without the long history read answers 400 to ?days: the default 90 days then.
    if (answer.status === 400 && asked !== '') {
      asked = '';
      answer = await replay.client.tryGet(`/api/v1/accounts/${id}/health`);
    }
    if (answer.status === 200) histories.set(id, (answer.body as HealthHistory).history);
  }
  return histories;
}

type Reading = 'score' | 'hand' | 'probability';

function readingAt(history: HealthHistory['history'] | undefined, day: string, reading: Reading): number | null {
  let found: number | null = null;
  for (const entry of history ?? []) {
    if (entry.day > day) break;
    found =
      reading === 'score'
        ? entry.score
        : reading === 'hand'
          ? (entry.configuredScore ?? entry.score)
          : // Without a learned fit that day, the score's own ranking (as a probability-like risk).
            (entry.churnProbability ?? (100 - entry.score) / 1000);
  }
  return found;
}

async function measure(replay: ReplayResult, histories: Map<string, HealthHistory['history']>) {
  const churnDays = new Map<string, number>();
  for (const outcome of replay.outcomes)
    if (outcome.churnedDay !== null) churnDays.set(outcome.accountId, outcome.churnedDay);
  const start = dayStart(company, 0);
  const dayOf = (sample: WeekSample) => isoDay(new Date(start.getTime() + sample.day * 86_400_000));
  const risk = (reading: Reading) => (sample: WeekSample, id: string) => {
    const value = readingAt(histories.get(id), dayOf(sample), reading);
    if (reading === 'probability') return value;
    const score = value ?? sample.accounts.get(id)?.healthScore ?? null;
    return score === null ? null : 100 - score;
  };
  const samples = replay.samples;
  return [
    rankingQuality('time since two-way contact', samples, churnDays, moments, (sample, id) => {
      const days = sample.accounts.get(id)?.daysSinceContact;
      return days === undefined ? null : (days ?? 100_000);
    }),
    rankingQuality('hand-weighted score', samples, churnDays, moments, risk('hand')),
    rankingQuality('health score (in effect)', samples, churnDays, moments, risk('score')),
    rankingQuality('learned churn probability', samples, churnDays, moments, risk('probability')),
    rankingQuality('hidden satisfaction (oracle)', samples, churnDays, moments, (sample, id) => {
      const satisfaction = sample.accounts.get(id)?.outcome.satisfaction;
      return satisfaction === undefined ? null : -satisfaction;
    }),
  ];
}

const company = demoCompany({ seed, accounts, today, days: 7 * weeks, churnDrivers: drivers });

async function runOn(backend: Backend): Promise<BackendRun> {
  const settings: Record<string, string> = {
    TEND_WRITE_KEY: writeKey,
    TEND_ADMIN_TOKEN: adminToken,
    TEND_CLOCK: 'manual',
    TEND_CLOCK_START: company.start.toISOString(),
    TEND_LOG_LEVEL: 'warn',
  };
  if (flags['minimum-lost-accounts'] !== undefined) {
    const minimum = positive('minimum-lost-accounts', flags['minimum-lost-accounts']);
    settings.TEND_CONFIG = benchConfig(['health:', '  learning:', `    minimumLostAccounts: ${minimum}`]);
  }
  let databaseSize: () => Promise<number | null>;
  if (backend === 'pglite') {
    const folder = mkdtempSync(join(tmpdir(), 'tend-bench-history-'));
    onCleanup(() => rmSync(folder, { recursive: true, force: true }));
    settings.TEND_DATA_DIR = join(folder, 'data');
    databaseSize = async () => folderMegabytes(settings.TEND_DATA_DIR!);
  } else {
    const cluster =
      flags['database-url'] === undefined
        ? await startPostgresCluster(['shared_buffers=256MB', 'max_wal_size=4GB'])
        : { url: flags['database-url'], stop: () => undefined };
    if ('skipped' in cluster) throw new Error(`PostgreSQL: ${cluster.skipped}`);
    settings.DATABASE_URL = await createDatabase(cluster, `tend_bench_history_${Date.now()}`);
    databaseSize = () => postgresMegabytes(settings.DATABASE_URL!);
  }
  const tend = await startTendProcess(settings);
  console.log(`${backend}: ${accounts} accounts, ${weeks} weeks, seed ${seed}`);
  try {
    const replay = await replayYear({
      url: tend.url,
      writeKey,
      adminToken,
      company,
      weeks,
      onWeek: (week) => {
        if (week.week % 4 === 0 || week.week === 1 || week.week === weeks)
          console.log(
            `  week ${String(week.week).padStart(2)}: ${week.seconds.toFixed(1)} s ` +
              `(clock ${week.advanceSeconds.toFixed(1)} s, events ${week.ingestSeconds.toFixed(1)} s, ${week.events} events)`,
          );
      },
    });
    const histories = await scoreHistories(replay);
    const model = await replay.client.tryGet('/api/v1/health/model');
    return {
      backend,
      replay,
      databaseMegabytes: await databaseSize(),
      peakMegabytes: tend.peakMemoryMegabytes(),
      qualities: await measure(replay, histories),
      model: model.status === 200 ? model.body : null,
    };
  } finally {
    if (tend.errorLines().length > 0) console.log(`  Tend logged errors:\n${tend.errorLines().join('\n')}`);
    await tend.stop();
  }
}

function report(run: BackendRun): Record<string, unknown> {
  const seconds = run.replay.weeks.map((week) => week.seconds);
  const events = run.replay.weeks.reduce((total, week) => total + week.events, 0);
  const total = seconds.reduce((sum, value) => sum + value, 0);
  const tenth = seconds[Math.min(9, seconds.length - 1)]!;
  const last = seconds[seconds.length - 1]!;
  const figures = {
    backend: run.backend,
    firstWeekSeconds: seconds[0],
    week10Seconds: tenth,
    medianWeekSeconds: median(seconds),
    lastWeekSeconds: last,
    lastOverWeek10: last / tenth,
    totalSeconds: total,
    events,
    eventsPerSecond: events / total,
    databaseMegabytes: run.databaseMegabytes,
    peakMegabytes: run.peakMegabytes,
  };
  console.log(`\n${run.backend}:`);
  console.log(
    `  week 1 ${figures.firstWeekSeconds?.toFixed(1)} s, week 10 ${tenth.toFixed(1)} s, ` +
      `median ${figures.medianWeekSeconds?.toFixed(1)} s, week ${seconds.length} ${last.toFixed(1)} s: ` +
      `last/week 10 = ${figures.lastOverWeek10.toFixed(2)} (target ≤ 1.5)`,
  );
  console.log(
    `  ${events} events in ${total.toFixed(0)} s (${figures.eventsPerSecond.toFixed(0)} events/s of week time); ` +
      `database ${run.databaseMegabytes?.toFixed(0)} MB; Tend's peak RSS ${run.peakMegabytes?.toFixed(0)} MB`,
  );
  console.log('  week  seconds  clock  events-in   events');
  for (const week of run.replay.weeks)
    console.log(
      `  ${String(week.week).padStart(4)} ${week.seconds.toFixed(2).padStart(8)} ${week.advanceSeconds.toFixed(2).padStart(6)} ` +
        `${week.ingestSeconds.toFixed(2).padStart(10)} ${String(week.events).padStart(8)}`,
    );
  const contact = run.qualities[0]!;
  console.log(
    '  ranking                        precision@10% by moment         pooled ×contact  every week ×contact  lead (median weeks)',
  );
  for (const quality of run.qualities) {
    const byMoment = quality.moments
      .map((moment) => `w${moment.week} ${moment.caught}/${moment.flagged} of ${moment.churners}`)
      .join(', ');
    const times = (value: number, baseline: number) => (baseline > 0 ? value / baseline : 0).toFixed(2).padStart(7);
    console.log(
      `  ${quality.name.padEnd(30)} ${byMoment.padEnd(31)} ${quality.precision.toFixed(3)} ` +
        `${times(quality.precision, contact.precision)}  ${quality.everyWeekPrecision.toFixed(3).padStart(10)} ` +
        `${times(quality.everyWeekPrecision, contact.everyWeekPrecision)}  ` +
        `${quality.medianLeadWeeks?.toFixed(1) ?? '–'} (${quality.flaggedChurners} of ${quality.churners} churners flagged)`,
    );
  }
  if (run.model !== null) console.log(`  health model: ${JSON.stringify(run.model)}`);
  return { ...figures, weeks: run.replay.weeks, qualities: run.qualities, model: run.model };
}

console.log(
  `History benchmark, ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ` +
    `Node ${process.version}; churn drivers ${JSON.stringify(company.churnDrivers)}`,
);
const results: Record<string, unknown>[] = [];
for (const backend of backends) results.push(report(await runOn(backend)));
if (flags.json !== undefined)
  writeFileSync(
    flags.json,
    `${JSON.stringify({ seed, accounts, weeks, drivers: company.churnDrivers, results }, null, 2)}\n`,
  );
process.exit(0);
