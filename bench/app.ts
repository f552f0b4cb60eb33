// App benchmark (issue 19): each page's API calls, per role, at 100,000 accounts on PostgreSQL, and the
// JavaScript the first load of /today fetches, against the budgets (100 ms p95, 300 KB gzipped).
//   npm run bench:app -- [--database-url postgres://…/postgres] [--accounts 100000] [--reps 20]
//     [--repetitions 50] [--rounds 3] [--warm-up 5] [--keep] [--reuse] [--web-dist web/dist]
// Loads the signals benchmark's data set (reps' books spread from half to one and a half times the mean),
// evaluates every account once, starts a real `tend start` on a manual clock at the data's "now", adds
// tasks, playbook runs and outbox messages, signs a rep, a manager and an admin in with one-time links,
// and times every call their pages make, in rounds. Without --database-url a throwaway cluster is used.
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { StoreLocation } from '../src/config/settings.js';
import { openStore } from '../src/store/database.js';
import { todayBudgetBytes, todayFirstLoad } from './support/app-bundle.js';
import { clientWith, expectJson, signInWithLink } from './support/app-client.js';
import { type CallSubjects, type Viewer, callsOf, timeCalls } from './support/app-calls.js';
import { printReport } from './support/app-report.js';
import { type WorkCounts, loadWork, loadedPlaybooks } from './support/app-work.js';
import { createDatabase, startPostgresCluster } from './support/postgres-cluster.js';
import { type DatasetShape, type LoadedCounts, type Query, loadDataset } from './support/signals-dataset.js';
import { timeSweep } from './support/signals-sweep.js';
import { machineTicks, startTendProcess } from './support/tend-process.js';

const { values: flags } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    'database-name': { type: 'string', default: 'tend_bench_app' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    accounts: { type: 'string', default: '100000' },
    reps: { type: 'string', default: '20' },
    'contacts-per-account': { type: 'string', default: '3' },
    events: { type: 'string' },
    tasks: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '30000' },
    repetitions: { type: 'string', default: '50' },
    'warm-up': { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    'seconds-per-call': { type: 'string', default: '15' },
    'web-dist': { type: 'string', default: 'web/dist' },
    anchor: { type: 'string', default: '2026-12-01T12:00:00Z' },
  },
});

function positive(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

const accounts = positive('accounts', flags.accounts);
const reps = positive('reps', flags.reps);
const contactsPerAccount = positive('contacts-per-account', flags['contacts-per-account']);
const events = positive('events', flags.events ?? String(accounts * 10));
const anchor = new Date(flags.anchor ?? '');
if (Number.isNaN(anchor.getTime())) {
  throw new Error(`--anchor must be an ISO 8601 instant, got ${JSON.stringify(flags.anchor)}`);
}
const databaseName = flags['database-name'] ?? 'tend_bench_app';
if (!/^[a-z_][a-z0-9_]*$/.test(databaseName)) {
  throw new Error(`--database-name must be a plain lower-case SQL name, got ${JSON.stringify(databaseName)}`);
}
const shape: DatasetShape = { accounts, contactsPerAccount, events, reps, anchor, spreadBooks: true };
const work = { tasks: positive('tasks', flags.tasks), runs: positive('runs', flags.runs), sentShare: 0.7 };
const timing = {
  warmUp: Number(flags['warm-up']),
  repetitions: positive('repetitions', flags.repetitions),
  rounds: positive('rounds', flags.rounds),
  secondsPerCall: positive('seconds-per-call', flags['seconds-per-call']),
  minimum: 5,
};
const adminToken = 'tend_admin_bench_app_0123456789';
const writeKey = 'wk_bench_app_0123456789';
// As the signals benchmark's cluster (see there), for a throwaway cluster only.
const postgresTuning = [
  'shared_buffers=512MB',
  'max_wal_size=4GB',
  'checkpoint_timeout=15min',
  'maintenance_work_mem=512MB',
];
const log = (text: string): void => console.error(`[${new Date().toISOString().slice(11, 19)}] ${text}`);
const began = performance.now();

async function connect(url: string): Promise<{ query: Query; end: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return { query: (text) => client.query(text), end: () => client.end() };
}

/** A database of our own: in the given server (dropped at the end unless --keep) or a throwaway cluster. */
async function ourDatabase(): Promise<{ url: string; existed: boolean }> {
  const server = flags['database-url'];
  if (server === undefined) {
    const cluster = await startPostgresCluster(postgresTuning);
    if ('skipped' in cluster) throw new Error(`cannot benchmark PostgreSQL: ${cluster.skipped}`);
    return { url: await createDatabase(cluster, databaseName), existed: false };
  }
  const admin = await connect(server);
  const found = await admin.query(`select 1 from pg_database where datname = '${databaseName}'`);
  const existed = found.rows.length > 0;
  if (existed && !flags.reuse) await admin.query(`drop database ${databaseName} with (force)`);
  if (!existed || !flags.reuse) await admin.query(`create database ${databaseName}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${databaseName}`;
  return { url: url.toString(), existed: existed && flags.reuse === true };
}

const database = await ourDatabase();
const location: StoreLocation = { kind: 'postgres', url: database.url };
const lanes = [await connect(database.url), await connect(database.url)];
const admin = lanes[0]!.query;
let loaded: LoadedCounts | null = null;
const tables = await admin(`select count(*)::int8 as n from pg_tables where tablename = 'accounts'`);
const reused = database.existed && Number(tables.rows[0]?.n) > 0;
if (reused) {
  log(`reusing ${databaseName}: no load`);
  const store = await openStore(location, { shareRunning: true, poolSize: 2 });
  await store.close();
} else {
  log(
    `loading ${accounts} accounts, ${reps} reps (books spread 0.5×–1.5×), ~${events} events; ` +
      `data up to ${anchor.toISOString()}`,
  );
  const store = await openStore(location, { shareRunning: true, poolSize: 2 });
  const loadBegan = performance.now();
  loaded = await loadDataset(
    store.database,
    lanes.map((lane) => lane.query),
    shape,
    log,
  );
  log(`loaded in ${((performance.now() - loadBegan) / 1000).toFixed(0)} s: ${JSON.stringify(loaded)}`);
  await store.close();
  log('evaluating every account once (signals, health, standing, tiers)');
  const options = { engines: 1, batchSize: 500, limitSeconds: 3600, allDue: true, withStatements: false };
  const sweep = await timeSweep(admin, location, anchor, options, log);
  log(
    `  ${sweep.evaluated} evaluated in ${(sweep.milliseconds / 1000).toFixed(0)} s, ${sweep.raised} signals raised` +
      `${sweep.finished ? '' : ' (not finished)'}`,
  );
  await admin('vacuum analyze accounts, signals, health_scores');
}

const tend = await startTendProcess(
  {
    DATABASE_URL: database.url,
    TEND_ADMIN_TOKEN: adminToken,
    TEND_WRITE_KEY: writeKey,
    TEND_LOG_LEVEL: 'warn',
    // Held at the data's "now": nothing comes due while the calls are timed, and runs stay where they are.
    TEND_CLOCK: 'manual',
    TEND_CLOCK_START: new Date(anchor.getTime() + 60_000).toISOString(),
  },
  300_000,
);
log(`tend started in ${(tend.startMilliseconds / 1000).toFixed(1)} s`);
let workCounts: WorkCounts | null = null;
if (!reused) {
  log('adding tasks, playbook runs and outbox messages');
  workCounts = await loadWork(admin, shape, work, await loadedPlaybooks(admin), log);
  log(`  ${JSON.stringify(workCounts)}`);
}

/** The largest book's rep, their manager, the rep's busiest account, the playbook with most runs in progress. */
async function subjectsOf(): Promise<CallSubjects> {
  const rep = await admin(`select accounts.owner_email as email, count(*)::int8 as owned, manager.email as manager
    from accounts join users rep on rep.email = accounts.owner_email join users manager on manager.id = rep.manager_id
    group by 1, 3 order by 2 desc, 1 limit 1`);
  const repEmail = String(rep.rows[0]?.email);
  const busiest = await admin(`select account_id from events
    where account_id in (select id from accounts where owner_email = '${repEmail}')
    group by 1 order by count(*) desc, 1 limit 1`);
  const fiveDigits = await admin(`select name from accounts
    where owner_email = '${repEmail}' and name ~ ' [1-9][0-9]{4}$' order by id limit 1`);
  const playbook = await admin(`select playbook_id from journey_runs
    where status = 'active' group by 1 order by count(*) desc, 1 limit 1`);
  log(`the largest book: ${repEmail}, ${rep.rows[0]?.owned} accounts`);
  return {
    repEmail,
    managerEmail: String(rep.rows[0]?.manager),
    accountId: String(busiest.rows[0]?.account_id),
    playbookId: String(playbook.rows[0]?.playbook_id),
    fewMatches: String(fiveDigits.rows[0]?.name ?? 'Company 12345'),
    manyMatches: 'Company 1',
  };
}

const subjects = await subjectsOf();
const adminClient = clientWith(tend.url, 'token', { authorization: `Bearer ${adminToken}` });
const adminEmail = 'admin@tend.example';
const created = await adminClient.post('/api/v1/users', { email: adminEmail, name: 'The admin', role: 'admin' });
expectJson(created, 201, 'creating the admin');
const people = { rep: subjects.repEmail, manager: subjects.managerEmail, admin: adminEmail } as const;
const viewers: Viewer[] = [];
for (const role of ['rep', 'manager', 'admin'] as const) {
  const client = await signInWithLink(adminClient, tend.url, people[role]);
  viewers.push({ role, client, calls: await callsOf(role, client, subjects) });
}
const counts = await admin(`select (select count(*) from accounts)::int8 as accounts,
  (select count(*) from signals where cleared_at is null)::int8 as open_signals,
  (select count(*) from tasks)::int8 as tasks,
  (select count(*) from journey_runs)::int8 as runs, (select count(*) from outbox)::int8 as outbox`);
const loadBefore = loadavg();
const ticksBefore = machineTicks();
const callCount = viewers.reduce((total, viewer) => total + viewer.calls.length, 0);
log(
  `timing ${callCount} calls, ${timing.rounds} rounds of up to ${timing.repetitions} each ` +
    `after ${timing.warmUp} unmeasured`,
);
const figures = await timeCalls(viewers, timing, log);
const ticksAfter = machineTicks();
const loadAfter = loadavg();
for (const viewer of viewers) viewer.client.close();
adminClient.close();
await tend.stop();
for (const lane of lanes) await lane.end();

const bundle = todayFirstLoad(flags['web-dist'] ?? 'web/dist');
printReport({
  figures,
  bundle,
  budgetBytes: todayBudgetBytes,
  timing,
  subjects,
  data: { ...counts.rows[0], loaded, work: workCounts },
  machine: {
    cores: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadBefore,
    loadAfter,
    busy:
      ticksBefore === null || ticksAfter === null
        ? null
        : (ticksAfter.busy - ticksBefore.busy) / (ticksAfter.total - ticksBefore.total),
  },
  seconds: (performance.now() - began) / 1000,
});
if (flags['database-url'] !== undefined && !flags.keep) {
  const server = await connect(flags['database-url']);
  await server.query(`drop database ${databaseName} with (force)`);
  await server.end();
}
process.exit(0);
