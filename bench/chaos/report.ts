// Prints what a chaos run found on one database: the lines that must be 0 (with samples of what was
// wrong), the figures to read beside them, and the restarts.
import type { Finding } from './checks.js';

export interface BackendReport {
  readonly backend: 'postgres' | 'pglite';
  readonly events: number;
  readonly trafficSeconds: number;
  readonly kills: number;
  /** Real milliseconds from spawning `tend start` to /health answering, per start after a kill. */
  readonly restartMilliseconds: readonly number[];
  /** From the kill to /health answering. */
  readonly downMilliseconds: readonly number[];
  readonly simulatedDays: number;
  readonly findings: readonly Finding[];
  readonly figures: Readonly<Record<string, string>>;
}

export function quantiles(values: readonly number[]): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN };
  return { min: sorted[0]!, median: sorted[Math.floor((sorted.length - 1) / 2)]!, max: sorted.at(-1)! };
}

const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(2)} s`;

/** Whether every gating line is 0. */
export const passed = (report: BackendReport): boolean =>
  report.findings.every((finding) => !finding.gate || finding.count === 0);

export function formatReport(report: BackendReport): string {
  const restart = quantiles(report.restartMilliseconds);
  const down = quantiles(report.downMilliseconds);
  const lines = [
    `== ${report.backend === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded)'}: ${passed(report) ? 'PASS' : 'FAIL'}`,
    `events acknowledged:  ${report.events.toLocaleString('en')} in ${report.trafficSeconds.toFixed(1)} s ` +
      `(${Math.round(report.events / report.trafficSeconds).toLocaleString('en')} events/s, kills included)`,
    `kills (SIGKILL):      ${report.kills}`,
    `restart to /health:   min ${seconds(restart.min)}, median ${seconds(restart.median)}, ` +
      `max ${seconds(restart.max)} ` +
      `(from the kill: median ${seconds(down.median)}, max ${seconds(down.max)})`,
    `simulated time:       ${report.simulatedDays} days on the manual clock`,
    '',
  ];
  const width = Math.max(...report.findings.map((finding) => finding.line.length));
  for (const finding of report.findings) {
    const mark = finding.count === 0 ? '   ' : finding.gate ? '!! ' : ' . ';
    lines.push(`${mark}${finding.line.padEnd(width)}  ${finding.count}`);
    for (const sample of finding.samples) lines.push(`       ${sample}`);
  }
  lines.push('');
  for (const [name, value] of Object.entries(report.figures)) lines.push(`${name}: ${value}`);
  return lines.join('\n');
}
