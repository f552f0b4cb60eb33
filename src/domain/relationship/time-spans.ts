// Whole-unit time arithmetic for relationship decisions: every threshold is an instant computed from
// a known time plus a span, so an evaluation can say exactly when it would next change.

export const minuteMs = 60_000;
export const hourMs = 60 * minuteMs;
export const dayMs = 24 * hourMs;

/** The instant a number of (possibly fractional) days after another. */
export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * dayMs);
}

export function addHours(from: Date, hours: number): Date {
  return new Date(from.getTime() + hours * hourMs);
}

export function addMinutes(from: Date, minutes: number): Date {
  return new Date(from.getTime() + minutes * minuteMs);
}

/** Whole days elapsed from one instant to a later one (rounded down; negative when `to` is earlier). */
export function wholeDaysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / dayMs);
}

/** Fractional hours from one instant to another. */
export function hoursBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / hourMs;
}

/** The calendar day of an instant in UTC, as people read it: 2026-03-01. */
export function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** True when `at` lies in the last `days` days before `now`: (now − days, now]. */
export function withinLastDays(at: Date, days: number, now: Date): boolean {
  return at.getTime() > now.getTime() - days * dayMs && at.getTime() <= now.getTime();
}

/** The earliest candidate strictly after `now`, or null: the next time an evaluation could change. */
export function earliestAfter(now: Date, candidates: readonly (Date | null)[]): Date | null {
  let earliest: Date | null = null;
  for (const candidate of candidates) {
    if (candidate === null || candidate.getTime() <= now.getTime()) continue;
    if (earliest === null || candidate.getTime() < earliest.getTime()) earliest = candidate;
  }
  return earliest;
}

/** The next UTC midnight after `now`: when another whole day of activity has been counted. */
export function startOfNextUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

/** The same calendar day and time a number of years later (29 February becomes 1 March). */
export function addYears(from: Date, years: number): Date {
  const moved = new Date(from.getTime());
  moved.setUTCFullYear(from.getUTCFullYear() + years);
  return moved;
}
