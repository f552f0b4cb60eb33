// The app benchmark's report, as Markdown on standard output: per role and page, each call's p50, p95
// and p99 (the median of the rounds' figures), those over the 100 ms p95 budget flagged; then the first
// load of /today against its budget, the data and the machine.
import type { BundleFigures } from './app-bundle.js';
import { type CallFigures, type CallSubjects, type TimingOptions, medianOf } from './app-calls.js';

export const callBudgetMilliseconds = 100;

export interface AppReport {
  readonly figures: readonly CallFigures[];
  readonly bundle: BundleFigures;
  readonly budgetBytes: number;
  readonly timing: TimingOptions;
  readonly subjects: CallSubjects;
  readonly data: Record<string, unknown>;
  readonly machine: {
    readonly cores: number;
    readonly model: string;
    readonly node: string;
    readonly loadBefore: number[];
    readonly loadAfter: number[];
    readonly busy: number | null;
  };
  readonly seconds: number;
}

const ms = (value: number): string => (value >= 1000 ? Math.round(value).toLocaleString('en') : value.toFixed(1));
const kilobytes = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

export function printReport(report: AppReport): void {
  const { figures, bundle, timing, machine, subjects } = report;
  const lines: string[] = [];
  lines.push(`## App benchmark: ${String(report.data.accounts ?? '?')} accounts on PostgreSQL`);
  lines.push('');
  const load = (values: number[]): string => values.map((value) => value.toFixed(2)).join(' ');
  const busy = machine.busy === null ? '?' : `${Math.round(100 * machine.busy)} %`;
  lines.push(
    `machine: ${machine.cores} cores, ${machine.model}, node ${machine.node}; load average before ` +
      `${load(machine.loadBefore)}, after ${load(machine.loadAfter)}; machine busy while timing: ${busy} of all cores`,
  );
  lines.push(`data: ${JSON.stringify(report.data)}`);
  lines.push(`subjects: ${JSON.stringify(subjects)}`);
  lines.push(
    `timing: ${timing.rounds} rounds; in each, ${timing.warmUp} unmeasured calls, then ` +
      `${timing.repetitions} timed (fewer, at least ${timing.minimum}, when a call takes over ` +
      `${timing.secondsPerCall} s in all); figures are the median of the rounds'`,
  );
  lines.push('');
  lines.push('| role | page | call | n | p50 ms | p95 ms | p99 ms | answer | ≤ 100 ms p95 |');
  lines.push('|---|---|---|---:|---:|---:|---:|---:|---|');
  let over = 0;
  for (const entry of figures) {
    const p95 = medianOf(entry.rounds.map((round) => round.p95));
    const met = p95 <= callBudgetMilliseconds;
    if (!met) over++;
    const count = entry.rounds.map((round) => round.count).join('+');
    const p50 = medianOf(entry.rounds.map((round) => round.p50));
    const p99 = medianOf(entry.rounds.map((round) => round.p99));
    lines.push(
      `| ${entry.role} | ${entry.call.page} | ${entry.call.name} | ${count} | ${ms(p50)} | **${ms(p95)}** | ` +
        `${ms(p99)} | ${kilobytes(entry.bytes)} | ${met ? 'yes' : '**no**'} |`,
    );
  }
  lines.push('');
  lines.push(`${over} of ${figures.length} calls over ${callBudgetMilliseconds} ms at p95.`);
  lines.push('');
  lines.push('Calls (paths):');
  const seen = new Set<string>();
  for (const entry of figures) {
    const key = `${entry.role} ${entry.call.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`- ${entry.role}, ${entry.call.page}, ${entry.call.name}: \`GET ${entry.call.path}\``);
  }
  lines.push('');
  const verdict = bundle.gzipBytes <= report.budgetBytes ? 'within' : '**over**';
  lines.push(
    `First load of /today: ${kilobytes(bundle.gzipBytes)} of JavaScript gzipped (${kilobytes(bundle.bytes)} ` +
      `raw), ${verdict} the ${kilobytes(report.budgetBytes)} budget:`,
  );
  for (const file of bundle.files) {
    lines.push(`- ${file.file}: ${kilobytes(file.gzipBytes)} gzipped (${kilobytes(file.bytes)}), ${file.reason}`);
  }
  lines.push('');
  lines.push(`Total time ${report.seconds.toFixed(0)} s.`);
  console.log(lines.join('\n'));
}
