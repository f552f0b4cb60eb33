// Prints the journeys benchmark's results as Markdown tables (ready for BENCHMARKS.md) with the
// verdicts against the issue's targets: trigger → outbox p99 ≤ 1 s, and more worker processes must
// raise throughput.
import { cpus } from 'node:os';
import type { CpuUse } from './journeys-cpu.js';
import type { PhaseFigures, Spread, StatementLoad } from './journeys-figures.js';

export interface PrintablePhase {
  readonly label: string;
  readonly offeredRate: number;
  readonly ingestedPerSecond: number;
  readonly requestP99: number;
  readonly late: number;
  readonly figures: PhaseFigures;
  readonly statements: StatementLoad;
  readonly cpu: CpuUse;
  readonly problems: string[];
  readonly complete: boolean;
}

export interface Printable {
  readonly workers: number;
  readonly throughput: PrintablePhase;
  readonly latency: PrintablePhase | null;
  readonly peakMegabytes: (number | null)[];
}

export interface ReportInput {
  readonly subjects: number;
  readonly rate: number;
  readonly batchSize: number;
  readonly inFlight: number;
  readonly latencySubjects: number;
  readonly latencyBatch: number;
  readonly smtpNoDelay: boolean;
  readonly workerCounts: readonly number[];
  readonly seed: number;
  readonly postgresVersion: string;
  readonly loadBefore: number[];
  readonly loadAfter: number[];
  readonly totalSeconds: number;
  readonly results: readonly Printable[];
}

const whole = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString('en') : '–');
/** Milliseconds below 10 s, seconds above: latencies here span from tens of ms to minutes. */
const duration = (milliseconds: number): string => {
  if (!Number.isFinite(milliseconds)) return '–';
  return milliseconds < 10_000
    ? `${Math.round(milliseconds).toLocaleString('en')} ms`
    : `${(milliseconds / 1000).toFixed(1)} s`;
};
const spread = (value: Spread): string => `${duration(value.p50)} / **${duration(value.p99)}**`;
const check = (phase: PrintablePhase): string =>
  phase.problems.length === 0 ? 'ok' : `**${phase.problems.length} problem(s)**`;

function phaseRows(results: readonly Printable[], pick: (result: Printable) => PrintablePhase | null): string[] {
  const rows = [
    '| workers | subjects | offered ev/s | ingested ev/s | steps/s | sends/s | subjects/s end to end | busy s | received → run entered p50 / p99 | **received → outbox** p50 / p99 | received → marked sent p50 / p99 | request sent → SMTP arrival p50 / p99 | check |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|---|',
  ];
  for (const result of results) {
    const phase = pick(result);
    if (phase === null) continue;
    const f = phase.figures;
    rows.push(
      `| ${result.workers} | ${whole(f.subjects)} | ${whole(phase.offeredRate)} | ${whole(phase.ingestedPerSecond)} | **${whole(f.stepsPerSecond)}** | **${whole(f.sendsPerSecond)}** | ${whole(f.endToEndPerSecond)} | ${f.busySeconds.toFixed(0)} | ${spread(f.toRun)} | ${spread(f.toOutbox)} | ${spread(f.toSent)} | ${spread(f.toArrival)} | ${check(phase)} |`,
    );
  }
  return rows;
}

export function printReport(input: ReportInput): void {
  const { results } = input;
  const out = (line = ''): void => console.log(line);
  const cpu = cpus()[0]?.model ?? 'unknown';
  const command = `npm run bench:journeys -- --subjects ${input.subjects} --rate ${input.rate} --workers ${input.workerCounts.join(',')} --batch ${input.batchSize} --in-flight ${input.inFlight} --latency-subjects ${input.latencySubjects} --latency-batch ${input.latencyBatch} --seed ${input.seed}${input.smtpNoDelay ? ' --smtp-no-delay' : ''}`;
  out(
    `\n## Journeys benchmark: ${input.subjects.toLocaleString('en')} subjects through a 3-step playbook (send, update, task), PostgreSQL ${input.postgresVersion} (durable)`,
  );
  out(
    `machine: ${cpus().length} cores, ${cpu}, node ${process.version}; load average before ${input.loadBefore.map((value) => value.toFixed(2)).join(' ')}, after ${input.loadAfter.map((value) => value.toFixed(2)).join(' ')}`,
  );
  out(`command: ${command}`);
  if (input.smtpNoDelay)
    out(
      "**What-if run: Tend's SMTP sockets had Nagle's algorithm turned off by a preload (--smtp-no-delay); this is not Tend as shipped.**",
    );
  out(
    `\nThroughput (all ${input.subjects.toLocaleString('en')} survey answers offered at ${whole(input.rate)} events/s, ${input.batchSize} per request, at most ${input.inFlight} requests in flight):`,
  );
  for (const line of phaseRows(results, (result) => result.throughput)) out(line);
  if (input.latencySubjects > 0) {
    out(
      `\nLatency at a load the setup carries (${input.latencySubjects.toLocaleString('en')} more subjects, ${input.latencyBatch} per request, at half the end-to-end rate it sustained above):`,
    );
    for (const line of phaseRows(results, (result) => result.latency)) out(line);
  }
  out("\nCPU while each phase ran (average cores busy; the machine figure includes everyone's work):");
  out(
    '| workers | phase | wall s | Tend processes | PostgreSQL | benchmark (load + SMTP) | whole machine, of ' +
      cpus().length +
      ' | Tend peak RSS MB |',
  );
  out('|---:|---|---:|---:|---:|---:|---:|---|');
  for (const result of results) {
    for (const phase of [result.throughput, result.latency]) {
      if (phase === null) continue;
      const use = phase.cpu;
      out(
        `| ${result.workers} | ${phase.label.split(' ').slice(1).join(' ')} | ${use.wallSeconds.toFixed(0)} | ${use.tendCores.toFixed(2)} | ${use.postgresCores.toFixed(2)} | ${use.benchCores.toFixed(2)} | ${use.machineCores.toFixed(2)} | ${result.peakMegabytes.map((value) => (value === null ? '?' : value.toFixed(0))).join(' / ')} |`,
      );
    }
  }
  for (const result of results) {
    const load = result.throughput.statements;
    out(
      `\nDatabase statements, ${result.throughput.label}: ${load.perSubject.toFixed(0)} per subject; the costliest (pg_stat_statements):`,
    );
    out('| calls | per subject | total s | statement |');
    out('|---:|---:|---:|---|');
    for (const statement of load.top)
      out(
        `| ${whole(statement.calls)} | ${statement.perSubject.toFixed(1)} | ${(statement.totalMilliseconds / 1000).toFixed(1)} | \`${statement.query.replace(/\|/g, '\\|')}\` |`,
      );
  }
  out('\nCorrectness:');
  for (const result of results) {
    for (const phase of [result.throughput, result.latency]) {
      if (phase === null) continue;
      const f = phase.figures;
      out(
        `- ${phase.label}: ${whole(f.arrived)} of ${whole(f.subjects)} subjects got an e-mail, ${f.duplicates} duplicates, ${f.strangers} to strangers; outbox ${JSON.stringify(f.outboxByStatus)}, sent by worker ${f.sentByWorker.join(' / ')}; survey requests p99 ${duration(phase.requestP99)}, ${phase.late} held back by the in-flight limit; runs ${JSON.stringify(f.runsByStatus)}; ${whole(f.steps)} steps (${whole(f.stepRows)} run_steps rows with the completions); ${whole(f.tasks)} tasks; ${whole(f.traitsUpdated)} traits set${phase.complete ? '' : '; **stopped waiting: nothing moved for 300 s**'}${phase.problems.length > 0 ? `; PROBLEMS: ${phase.problems.join('; ')}` : ''}`,
      );
    }
  }
  out('\nVerdicts:');
  for (const result of results) {
    for (const phase of [result.throughput, result.latency]) {
      if (phase === null) continue;
      const p99 = phase.figures.toOutbox.p99;
      out(`- trigger → outbox p99 ≤ 1 s, ${phase.label}: ${duration(p99)} — **${p99 <= 1000 ? 'met' : 'missed'}**`);
    }
  }
  const one = results.find((result) => result.workers === 1);
  for (const result of results) {
    if (one === undefined || result === one) continue;
    const ratio = (pick: (figures: PhaseFigures) => number): string =>
      (pick(result.throughput.figures) / pick(one.throughput.figures)).toFixed(2);
    const raised = result.throughput.figures.endToEndPerSecond > one.throughput.figures.endToEndPerSecond * 1.05;
    out(
      `- ${result.workers} workers vs 1: steps/s ×${ratio((f) => f.stepsPerSecond)}, sends/s ×${ratio((f) => f.sendsPerSecond)}, subjects/s end to end ×${ratio((f) => f.endToEndPerSecond)} — scale-out **${raised ? 'raised throughput' : 'did not raise throughput (less than 5 % more)'}**`,
    );
  }
  out(`\nTotal time ${input.totalSeconds.toFixed(0)} s.`);
}
