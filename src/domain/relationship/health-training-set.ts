// The point-in-time training set of the learned health score: each account's stored health row on weekly
// sample days, its component scores as they were that day, labelled by whether the account was lost
// within the horizon after it. Only what was known on the day goes in; only finished horizons are labelled.
import type { ComponentScores } from './health-model.js';
import { dayMs } from './time-spans.js';

/** How far ahead a sample looks for a loss: 13 weeks, the horizon of the churn probability. */
export const lossHorizonDays = 91;
/** How many weeks of sample days a fit reads: its cost does not grow with the book's age. */
export const sampleWeeks = 52;
/** Sample days are Mondays (UTC): the same days from fit to fit, so consecutive fits share their samples. */
const mondayOffset = 4;

/** One account's stored health on a sample day. */
export interface HealthSampleRow {
  readonly accountId: string;
  /** YYYY-MM-DD, UTC. */
  readonly day: string;
  readonly scores: ComponentScores;
}

export interface HealthSample extends HealthSampleRow {
  /** 1: the account was lost within the horizon after the day; 0: it was not. */
  readonly lost: 0 | 1;
}

const epochDay = (day: string): number => Math.floor(Date.parse(`${day}T00:00:00Z`) / dayMs);
const dayOfEpoch = (days: number): string => new Date(days * dayMs).toISOString().slice(0, 10);

/**
 * The sample days whose whole horizon lies before `now`, oldest first: the Mondays whose day ended at
 * least the horizon before `now`, the last `weeks` of them.
 */
export function labelledSampleDays(now: Date, horizonDays = lossHorizonDays, weeks = sampleWeeks): string[] {
  // A day's horizon starts at its end (the next midnight): the row for the day may be written until then.
  const latest = Math.floor(now.getTime() / dayMs) - horizonDays - 1;
  const latestMonday = latest - ((((latest - mondayOffset) % 7) + 7) % 7);
  return Array.from({ length: weeks }, (_, i) => dayOfEpoch(latestMonday - 7 * (weeks - 1 - i)));
}

/**
 * Labels the rows: lost (1) when the account's first loss came within the horizon after the day ended,
 * not lost (0) otherwise. A row of an account lost by the end of its day is left out (nothing to
 * predict), and so is a row whose horizon is not over at `now` (its outcome is not known yet).
 */
export function labelSamples(
  rows: readonly HealthSampleRow[],
  firstLosses: ReadonlyMap<string, Date>,
  now: Date,
  horizonDays = lossHorizonDays,
): HealthSample[] {
  const samples: HealthSample[] = [];
  for (const row of rows) {
    const dayEnd = (epochDay(row.day) + 1) * dayMs;
    const horizonEnd = dayEnd + horizonDays * dayMs;
    if (horizonEnd > now.getTime()) continue;
    const lostAt = firstLosses.get(row.accountId)?.getTime();
    if (lostAt !== undefined && lostAt < dayEnd) continue;
    samples.push({ ...row, lost: lostAt !== undefined && lostAt < horizonEnd ? 1 : 0 });
  }
  return samples;
}
