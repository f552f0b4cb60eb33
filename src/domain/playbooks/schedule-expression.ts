// Checks the schedule of a scheduled playbook: a five-field cron expression (minute hour day month
// weekday) or an ISO 8601 repeating interval (R/P1W, R/2025-01-06T09:00:00Z/P1W).
import { parseDuration } from '../duration.js';
import type { Schedule } from './playbook-definition.js';

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const cronFields: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  // 0 and 7 are both Sunday, as in most cron implementations.
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The schedule, or the reason the text is neither a cron expression nor a repeating interval. */
export function parseSchedule(text: string): { schedule: Schedule } | { problem: string } {
  const trimmed = text.trim();
  if (trimmed.startsWith('R')) return parseInterval(trimmed);
  const parts = trimmed.split(/\s+/);
  if (parts.length !== cronFields.length) {
    return {
      problem:
        'must be a cron expression with 5 fields (minute hour day month weekday, e.g. "0 9 * * MON-FRI") ' +
        `or a repeating interval (e.g. "R/P1W"), got ${JSON.stringify(text)}`,
    };
  }
  for (const [index, part] of parts.entries()) {
    const field = cronFields[index]!;
    const problem = cronFieldProblem(part, field);
    if (problem !== null) return { problem: `has a wrong ${field.name} field ${JSON.stringify(part)}: ${problem}` };
  }
  return { schedule: { kind: 'cron', expression: parts.join(' ') } };
}

function parseInterval(text: string): { schedule: Schedule } | { problem: string } {
  const parts = text.split('/');
  const repeat = parts[0] ?? '';
  const durationText = parts[parts.length - 1] ?? '';
  const startText = parts.length === 3 ? parts[1]! : null;
  const every = parseDuration(durationText);
  const startsAt = startText !== null && instant.test(startText) ? new Date(startText) : null;
  const wellFormed =
    /^R\d*$/.test(repeat) &&
    (parts.length === 2 || parts.length === 3) &&
    every !== null &&
    (startText === null || (startsAt !== null && !Number.isNaN(startsAt.getTime())));
  if (!wellFormed) {
    return {
      problem:
        'must be a repeating interval "R/<duration>" or "R/<start with time zone>/<duration>" ' +
        `(e.g. "R/P1W", "R/2025-01-06T09:00:00Z/P1D"), got ${JSON.stringify(text)}`,
    };
  }
  return { schedule: { kind: 'interval', expression: text, every: { text: durationText, ms: every! }, startsAt } };
}

function cronFieldProblem(part: string, field: CronField): string | null {
  for (const item of part.split(',')) {
    const match = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(item);
    if (match === null) return 'use *, a number, a range a-b, a step */n or a-b/n, or a list of these';
    const [, range, step] = match;
    if (step !== undefined && (Number(step) < 1 || Number(step) > field.max))
      return `a step must be from 1 to ${field.max}`;
    if (range === '*') continue;
    const bounds = range!.split('-').map((value) => cronValue(value, field));
    if (bounds.some((value) => value === null)) {
      const named = field.names === undefined ? '' : ` or ${field.names[0]}–${field.names[field.names.length - 1]}`;
      return `values must be from ${field.min} to ${field.max}${named}`;
    }
    if (bounds.length === 2 && bounds[0]! > bounds[1]!) return 'a range must go from low to high';
  }
  return null;
}

function cronValue(text: string, field: CronField): number | null {
  const byName = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (byName >= 0) return field.name === 'month' ? byName + 1 : byName;
  if (!/^\d+$/.test(text)) return null;
  const value = Number(text);
  return value >= field.min && value <= field.max ? value : null;
}

/**
 * The first occurrence of a schedule strictly after `after`. Cron expressions are read in UTC (as on
 * most servers); an interval without a start counts from 1970-01-01T00:00:00Z, so R/P1D fires at
 * midnight UTC. Day of month and day of week, when both are restricted, match either (as in cron).
 */
export function nextOccurrence(schedule: Schedule, after: Date): Date {
  if (schedule.kind === 'interval') {
    const anchor = schedule.startsAt?.getTime() ?? 0;
    const every = schedule.every.ms;
    if (after.getTime() < anchor) return new Date(anchor);
    return new Date(anchor + (Math.floor((after.getTime() - anchor) / every) + 1) * every);
  }
  const [minutes, hours, days, months, weekdays] = cronFields.map((field, index) =>
    expandCronField(schedule.expression.split(/\s+/)[index]!, field),
  );
  const dayRestricted = !schedule.expression.split(/\s+/)[2]!.startsWith('*');
  const weekdayRestricted = !schedule.expression.split(/\s+/)[4]!.startsWith('*');
  const dayMatches = (at: Date) => {
    const byDay = days!.has(at.getUTCDate());
    const byWeekday = weekdays!.has(at.getUTCDay()) || (at.getUTCDay() === 0 && weekdays!.has(7));
    if (dayRestricted && weekdayRestricted) return byDay || byWeekday;
    return byDay && byWeekday;
  };
  const at = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
  // Jump month, day, hour, minute at a time; eight years covers every valid expression (29 February on a Monday…).
  const limit = after.getTime() + 8 * 366 * 86_400_000;
  while (at.getTime() <= limit) {
    if (!months!.has(at.getUTCMonth() + 1)) {
      at.setUTCMonth(at.getUTCMonth() + 1, 1);
      at.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(at)) {
      at.setUTCDate(at.getUTCDate() + 1);
      at.setUTCHours(0, 0, 0, 0);
    } else if (!hours!.has(at.getUTCHours())) {
      at.setUTCHours(at.getUTCHours() + 1, 0, 0, 0);
    } else if (!minutes!.has(at.getUTCMinutes())) {
      at.setUTCMinutes(at.getUTCMinutes() + 1, 0, 0);
    } else {
      return at;
    }
  }
  throw new Error(`The schedule "${schedule.expression}" never occurs (e.g. 31 February)`);
}

function expandCronField(part: string, field: CronField): Set<number> {
  const values = new Set<number>();
  for (const item of part.split(',')) {
    const [range = '*', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [low, high] =
      range === '*' ? [field.min, field.max] : range.split('-').map((value) => cronValue(value, field) ?? field.min);
    const end = range !== '*' && high === undefined && stepText === undefined ? low! : (high ?? field.max);
    for (let value = low!; value <= end; value += step) values.add(value);
  }
  return values;
}
