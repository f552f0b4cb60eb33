// Reads what a journeys run left in the database and turns it into figures: per-subject latencies
// (event received → run entered → outbox row → marked sent, and request sent → SMTP arrival), steps
// and sends per second, and the correctness checks (one e-mail per subject, every outbox row sent).
import type pg from 'pg';
import type { CountingSmtpServer } from './journeys-smtp.js';
import { quantile } from './load-client.js';

export interface Progress {
  readonly events: number;
  readonly runs: number;
  readonly steps: number;
  readonly outbox: number;
  readonly sent: number;
  readonly dueAccounts: number;
}

/** Counts to follow a run while it goes (survey events, runs, run steps, outbox rows, rows sent). */
export async function readProgress(client: pg.Client): Promise<Progress> {
  const result = await client.query(`select
    (select count(*) from events where name = 'Survey Answered')::int8 as events,
    (select count(*) from journey_runs)::int8 as runs,
    (select count(*) from run_steps)::int8 as steps,
    (select count(*) from outbox)::int8 as outbox,
    (select count(*) from outbox where status = 'sent')::int8 as sent,
    (select count(*) from accounts where next_check_at <= now() or refresh_due_at <= now())::int8 as due`);
  const row = result.rows[0] as Record<string, string>;
  return {
    events: Number(row.events),
    runs: Number(row.runs),
    steps: Number(row.steps),
    outbox: Number(row.outbox),
    sent: Number(row.sent),
    dueAccounts: Number(row.due),
  };
}

export interface Spread {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

const spreadOf = (values: number[]): Spread => {
  const sorted = Float64Array.from(values.filter((value) => Number.isFinite(value))).sort();
  return { count: sorted.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: quantile(sorted, 1) };
};

export interface PhaseFigures {
  readonly subjects: number;
  /** Event received → run entered (signal raised in the same transaction), ms. */
  readonly toRun: Spread;
  /** Event received → outbox row written (outbox.created_at − events.received_at), ms. */
  readonly toOutbox: Spread;
  /** Event received → outbox row marked sent (after the SMTP server answered), ms. */
  readonly toSent: Spread;
  /** Request sent by the benchmark → message arrived at the SMTP server, ms (the benchmark's clock). */
  readonly toArrival: Spread;
  /** The three playbook steps (send, update, task) per second, between the first and the last step. */
  readonly stepsPerSecond: number;
  readonly steps: number;
  /** run_steps rows, the completion of each run included. */
  readonly stepRows: number;
  /** SMTP arrivals per second between the first and the last arrival. */
  readonly sendsPerSecond: number;
  /** Subjects per second from the first survey sent to the last e-mail in. */
  readonly endToEndPerSecond: number;
  readonly busySeconds: number;
  readonly outboxByStatus: Record<string, number>;
  readonly sentByWorker: number[];
  readonly runsByStatus: Record<string, number>;
  readonly tasks: number;
  readonly traitsUpdated: number;
  readonly arrived: number;
  readonly missing: number;
  readonly duplicates: number;
  readonly strangers: number;
}

/**
 * Figures for subjects [first, first + count), whose survey requests left at `sentAt` (request i
 * carried subjects first + i·perRequest …); `startedAt` is when the first of them was sent (Date.now()).
 */
export async function readPhaseFigures(
  client: pg.Client,
  smtp: CountingSmtpServer,
  first: number,
  count: number,
  perRequest: number,
  sentAt: Float64Array,
  startedAt: number,
): Promise<PhaseFigures> {
  const inPhase = `between ${first} and ${first + count - 1}`;
  const subjectOf = `substr(o.contact_id, 9)::int`;
  const rows = await client.query(`
    select o.contact_id,
      extract(epoch from r.entered_at - e.received_at) * 1000 as to_run,
      extract(epoch from o.created_at - e.received_at) * 1000 as to_outbox,
      extract(epoch from o.sent_at - e.received_at) * 1000 as to_sent
    from outbox o
    join journey_runs r on r.id = o.run_id
    join events e on e.contact_id = o.contact_id and e.name = 'Survey Answered'
    where o.contact_id like 'subject\\_%' and ${subjectOf} ${inPhase}`);
  const toRun: number[] = [];
  const toOutbox: number[] = [];
  const toSent: number[] = [];
  for (const row of rows.rows as Record<string, string | null>[]) {
    toRun.push(Number(row.to_run));
    toOutbox.push(Number(row.to_outbox));
    if (row.to_sent !== null) toSent.push(Number(row.to_sent));
  }
  const toArrival: number[] = [];
  let arrived = 0;
  let missing = 0;
  let duplicates = 0;
  let firstArrival = Number.POSITIVE_INFINITY;
  let lastArrival = Number.NEGATIVE_INFINITY;
  for (let index = first; index < first + count; index++) {
    const times = smtp.perSubject[index]!;
    if (times === 0) {
      missing++;
      continue;
    }
    arrived++;
    if (times > 1) duplicates += times - 1;
    const at = smtp.firstArrival[index]!;
    firstArrival = Math.min(firstArrival, at);
    lastArrival = Math.max(lastArrival, at);
    toArrival.push(at - sentAt[Math.floor((index - first) / perRequest)]!);
  }
  const runFilter = `r.contact_id like 'subject\\_%' and substr(r.contact_id, 9)::int ${inPhase}`;
  const steps = await client.query(`
    select count(*) filter (where s.action->>'kind' <> 'complete')::int8 as steps, count(*)::int8 as rows,
      extract(epoch from min(s.at)) * 1000 as first_at, extract(epoch from max(s.at)) * 1000 as last_at
    from run_steps s join journey_runs r on r.id = s.run_id where ${runFilter}`);
  const stepRow = steps.rows[0] as Record<string, string | null>;
  const stepCount = Number(stepRow.steps);
  const firstStepAt = Number(stepRow.first_at);
  const lastStepAt = Number(stepRow.last_at);
  const statuses = async (sql: string): Promise<Record<string, number>> =>
    Object.fromEntries(
      (await client.query(sql)).rows.map((row: Record<string, string>) => [row.status, Number(row.count)]),
    );
  const outboxByStatus = await statuses(
    `select status, count(*)::int8 as count from outbox o where o.contact_id like 'subject\\_%' and ${subjectOf} ${inPhase} group by status`,
  );
  const runsByStatus = await statuses(
    `select status, count(*)::int8 as count from journey_runs r where ${runFilter} group by status`,
  );
  const byWorker = await client.query(
    `select count(*)::int8 as count from outbox o where status = 'sent' and o.contact_id like 'subject\\_%' and ${subjectOf} ${inPhase} group by worker_id order by 1 desc`,
  );
  const others = await client.query(`select
    (select count(*) from tasks where source like 'playbook:journey-bench:%' and contact_id like 'subject\\_%' and substr(contact_id, 9)::int ${inPhase})::int8 as tasks,
    (select count(*) from accounts where traits->>'benchTouched' = 'yes' and id like 'account\\_%' and substr(id, 9)::int ${inPhase})::int8 as traits`);
  const other = others.rows[0] as Record<string, string>;
  const busySeconds = (Math.max(lastArrival, lastStepAt) - startedAt) / 1000;
  return {
    subjects: count,
    toRun: spreadOf(toRun),
    toOutbox: spreadOf(toOutbox),
    toSent: spreadOf(toSent),
    toArrival: spreadOf(toArrival),
    stepsPerSecond: stepCount / ((lastStepAt - firstStepAt) / 1000),
    steps: stepCount,
    stepRows: Number(stepRow.rows),
    sendsPerSecond: arrived > 1 ? arrived / ((lastArrival - firstArrival) / 1000) : Number.NaN,
    endToEndPerSecond: arrived / ((lastArrival - startedAt) / 1000),
    busySeconds,
    outboxByStatus,
    sentByWorker: byWorker.rows.map((row: Record<string, string>) => Number(row.count)),
    runsByStatus,
    tasks: Number(other.tasks),
    traitsUpdated: Number(other.traits),
    arrived,
    missing,
    duplicates,
    strangers: smtp.strangers.length,
  };
}

export interface StatementLoad {
  /** Statements of this database per subject (commits and BEGINs included). */
  readonly perSubject: number;
  readonly top: {
    readonly calls: number;
    readonly perSubject: number;
    readonly totalMilliseconds: number;
    readonly query: string;
  }[];
}

/** Forgets the statement statistics, so that the next reading covers one phase. */
export async function resetStatements(client: pg.Client): Promise<void> {
  await client.query('select pg_stat_statements_reset()');
}

/** This database's statements since the reset: how many per subject, and the costliest ones. */
export async function readStatements(client: pg.Client, subjects: number): Promise<StatementLoad> {
  const mine = `dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat%'`;
  const total = await client.query(
    `select coalesce(sum(calls), 0)::int8 as calls from pg_stat_statements where ${mine}`,
  );
  const top =
    await client.query(`select calls::int8 as calls, total_exec_time as total, left(regexp_replace(query, '\\s+', ' ', 'g'), 150) as query
    from pg_stat_statements where ${mine} order by total_exec_time desc limit 10`);
  return {
    perSubject: Number((total.rows[0] as Record<string, string>).calls) / subjects,
    top: top.rows.map((row: Record<string, string>) => ({
      calls: Number(row.calls),
      perSubject: Number(row.calls) / subjects,
      totalMilliseconds: Number(row.total),
      query: row.query ?? '',
    })),
  };
}

/** Problems that make a run's figures wrong, in words; empty when all is well. */
export function correctnessProblems(figures: PhaseFigures): string[] {
  const problems: string[] = [];
  const expected = figures.subjects;
  if (figures.duplicates > 0) problems.push(`${figures.duplicates} duplicate e-mail(s) at the SMTP server`);
  if (figures.missing > 0) problems.push(`${figures.missing} subject(s) got no e-mail`);
  if (figures.strangers > 0) problems.push(`${figures.strangers} e-mail(s) to addresses that are no subject`);
  if ((figures.outboxByStatus.sent ?? 0) !== expected)
    problems.push(
      `outbox rows sent: ${figures.outboxByStatus.sent ?? 0} of ${expected} (${JSON.stringify(figures.outboxByStatus)})`,
    );
  if ((figures.runsByStatus.completed ?? 0) !== expected)
    problems.push(
      `runs completed: ${figures.runsByStatus.completed ?? 0} of ${expected} (${JSON.stringify(figures.runsByStatus)})`,
    );
  if (figures.steps !== 3 * expected) problems.push(`playbook steps: ${figures.steps}, expected ${3 * expected}`);
  if (figures.tasks !== expected) problems.push(`owner tasks: ${figures.tasks} of ${expected}`);
  if (figures.traitsUpdated !== expected)
    problems.push(`accounts with the trait set: ${figures.traitsUpdated} of ${expected}`);
  return problems;
}
