// Times a full sweep: every account due at one instant, evaluated by one or more relationship
// engines, each in its own process (as several `tend start` would run), sharing the work through
// FOR UPDATE SKIP LOCKED. On PostgreSQL, pg_stat_statements says where the database's time went.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StoreLocation } from '../../src/config/settings.js';
import { onCleanup } from './cleanup.js';
import type { Query } from './signals-dataset.js';
import type { SweepWorkerInput, SweepWorkerMessage } from './signals-sweep-worker.js';

const workerPath = fileURLToPath(new URL('./signals-sweep-worker.ts', import.meta.url));

export interface StatementTime {
  readonly statement: string;
  readonly calls: number;
  readonly totalMilliseconds: number;
  readonly rows: number;
}

export interface SweepFigures {
  readonly engines: number;
  /** Accounts due in either time lane. */
  readonly due: number;
  /** Accounts whose deadline had come (time alone raises or clears a signal). */
  readonly deadlineDue: number;
  readonly deadlineEvaluated: number;
  /** From "go" to the last deadline batch committed (0 when none was due). */
  readonly deadlineMilliseconds: number;
  readonly evaluated: number;
  readonly raised: number;
  readonly cleared: number;
  readonly milliseconds: number;
  readonly accountsPerSecond: number;
  /** False when the time limit stopped the engines first; then `due / accountsPerSecond` estimates the whole. */
  readonly finished: boolean;
  /** Accounts still due when the engines stopped (moved to the next day, as if evaluated). */
  readonly leftOver: number;
  /** The value ranking each engine did before "go" (not in `milliseconds`): the day's for a first sweep, the day before's otherwise (then the day's ranking runs inside the sweep, after the deadlines). */
  readonly rankMilliseconds: number[];
  /** Node CPU of each engine process during the sweep. */
  readonly engineCpuMilliseconds: number[];
  /** Database time by statement (PostgreSQL only), largest first. */
  readonly statements: StatementTime[];
}

function startWorker(input: SweepWorkerInput): { child: ChildProcess; next: () => Promise<SweepWorkerMessage> } {
  const child = fork(workerPath, [JSON.stringify(input)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const forget = onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  child.once('exit', () => forget());
  const queue: SweepWorkerMessage[] = [];
  const waiting: ((message: SweepWorkerMessage) => void)[] = [];
  child.on('message', (message) => {
    const typed = message as SweepWorkerMessage;
    const waiter = waiting.shift();
    if (waiter) waiter(typed);
    else queue.push(typed);
  });
  child.once('exit', (code) => {
    const failure: SweepWorkerMessage = { kind: 'failed', message: `engine process exited (${code})` };
    for (const waiter of waiting.splice(0)) waiter(failure);
  });
  const next = (): Promise<SweepWorkerMessage> => {
    const queued = queue.shift();
    return queued ? Promise.resolve(queued) : new Promise((done) => waiting.push(done));
  };
  return { child, next };
}

/** A statement's text shortened to what tells it apart. */
function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 110 ? `${flat.slice(0, 107)}...` : flat;
}

export async function statementTimes(query: Query, top: number): Promise<StatementTime[]> {
  const result =
    await query(`select query, calls::int8 as calls, total_exec_time as total, rows::int8 as rows from pg_stat_statements
    where query !~* '^(begin|commit|rollback)' order by total_exec_time desc limit ${top}`);
  const commits = await query(
    `select coalesce(sum(calls), 0)::int8 as calls, coalesce(sum(total_exec_time), 0) as total from pg_stat_statements where query ~* '^(commit)'`,
  );
  const rows = result.rows.map((row) => ({
    statement: shorten(String(row.query)),
    calls: Number(row.calls),
    totalMilliseconds: Number(row.total),
    rows: Number(row.rows),
  }));
  const commit = commits.rows[0];
  if (commit && Number(commit.calls) > 0)
    rows.push({ statement: 'COMMIT', calls: Number(commit.calls), totalMilliseconds: Number(commit.total), rows: 0 });
  return rows;
}

/**
 * Makes every account due at `at` (those not already due), then lets `engines` processes evaluate
 * until none is left; the time runs from "go" to the last engine finishing.
 */
export interface SweepOptions {
  readonly engines: number;
  /**
   * Make every account due first (its deadline now), as for the first evaluation after a load;
   * otherwise the due-times the engines stored decide.
   */
  readonly allDue: boolean;
  readonly batchSize: number;
  readonly limitSeconds: number;
  /** Read pg_stat_statements (PostgreSQL with the extension loaded). */
  readonly withStatements: boolean;
}

/**
 * With `allDue`, makes every account due at `at` (those not due yet, spread over the minute before it
 * so that claiming order is not the order of loading); then lets `engines` processes evaluate until
 * none is left or the time limit; the time runs from "go" to the last engine stopping. Accounts left
 * over are moved to the next day, so that later phases do not start with a backlog.
 */
export async function timeSweep(
  admin: Query,
  location: StoreLocation,
  at: Date,
  options: SweepOptions,
  log: (text: string) => void,
): Promise<SweepFigures> {
  const { engines, batchSize, limitSeconds, withStatements } = options;
  const literal = `'${at.toISOString()}'::timestamptz`;
  const nextDay = `'${new Date(Math.floor(at.getTime() / 86_400_000) * 86_400_000 + 86_400_000).toISOString()}'::timestamptz`;
  const began = performance.now();
  if (options.allDue) {
    const updated =
      await admin(`with made as (update accounts set next_check_at = ${literal} - (hashtext(id) & 65535) * interval '1 ms'
      where next_check_at is null or next_check_at > ${literal} returning 1) select count(*)::int8 as count from made`);
    log(`  ${Number(updated.rows[0]?.count)} accounts made due (${((performance.now() - began) / 1000).toFixed(1)} s)`);
  }
  const dueRows = await admin(`select count(*) filter (where next_check_at <= ${literal})::int8 as deadline,
    count(*) filter (where next_check_at <= ${literal} or refresh_due_at <= ${literal})::int8 as due from accounts`);
  const due = Number(dueRows.rows[0]?.due);
  const deadlineDue = Number(dueRows.rows[0]?.deadline);
  log(`  ${due} accounts due at ${at.toISOString()}, ${deadlineDue} of them with a deadline`);
  const workers = Array.from({ length: engines }, () =>
    startWorker({ location, at: at.toISOString(), batchSize, limitSeconds, rankedTheDayBefore: !options.allDue }),
  );
  const rankMilliseconds: number[] = [];
  for (const worker of workers) {
    const message = await worker.next();
    if (message.kind !== 'ready')
      throw new Error(`engine did not start: ${message.kind === 'failed' ? message.message : message.kind}`);
    rankMilliseconds.push(message.rankMilliseconds);
  }
  log(
    `  ${engines} engine(s) ranked value in ${rankMilliseconds.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s; sweeping`,
  );
  if (withStatements) await admin('select pg_stat_statements_reset()');
  const started = performance.now();
  for (const worker of workers) worker.child.send('go');
  const results = await Promise.all(workers.map((worker) => worker.next()));
  const milliseconds = performance.now() - started;
  const statements = withStatements ? await statementTimes(admin, 14) : [];
  let evaluated = 0;
  let raised = 0;
  let cleared = 0;
  let finished = true;
  let deadlineEvaluated = 0;
  let deadlineMilliseconds = 0;
  const engineCpuMilliseconds: number[] = [];
  for (const result of results) {
    if (result.kind !== 'done')
      throw new Error(`engine failed: ${result.kind === 'failed' ? result.message : result.kind}`);
    finished &&= result.finished;
    evaluated += result.evaluated;
    raised += result.raised;
    cleared += result.cleared;
    deadlineEvaluated += result.deadlineEvaluated;
    deadlineMilliseconds = Math.max(deadlineMilliseconds, result.deadlineMilliseconds);
    engineCpuMilliseconds.push(result.cpuMilliseconds);
  }
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((done) =>
          worker.child.exitCode !== null ? done() : worker.child.once('exit', () => done()),
        ),
    ),
  );
  const left =
    await admin(`with moved as (update accounts set next_check_at = case when next_check_at <= ${literal} then ${nextDay} else next_check_at end,
      refresh_due_at = case when refresh_due_at <= ${literal} then ${nextDay} else refresh_due_at end
    where next_check_at <= ${literal} or refresh_due_at <= ${literal} returning 1) select count(*)::int8 as count from moved`);
  const leftOver = Number(left.rows[0]?.count);
  return {
    engines,
    due,
    deadlineDue,
    deadlineEvaluated,
    deadlineMilliseconds,
    evaluated,
    raised,
    cleared,
    milliseconds,
    accountsPerSecond: evaluated / (milliseconds / 1000),
    finished,
    leftOver,
    rankMilliseconds,
    engineCpuMilliseconds,
    statements,
  };
}
