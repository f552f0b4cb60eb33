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
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
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
    return { problem: `must be a cron expression with 5 fields (minute hour day month weekday, e.g. "0 9 * * MON-FRI") or a repeating interval (e.g. "R/P1W"), got ${JSON.stringify(text)}` };
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
  const wellFormed = /^R\d*$/.test(repeat) && (parts.length === 2 || parts.length === 3) && every !== null
    && (startText === null || (startsAt !== null && !Number.isNaN(startsAt.getTime())));
  if (!wellFormed) {
    return { problem: `must be a repeating interval "R/<duration>" or "R/<start with time zone>/<duration>" (e.g. "R/P1W", "R/2025-01-06T09:00:00Z/P1D"), got ${JSON.stringify(text)}` };
  }
  return { schedule: { kind: 'interval', expression: text, every: { text: durationText, ms: every! }, startsAt } };
}

function cronFieldProblem(part: string, field: CronField): string | null {
  for (const item of part.split(',')) {
    const match = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(item);
    if (match === null) return 'use *, a number, a range a-b, a step */n or a-b/n, or a list of these';
    const [, range, step] = match;
    if (step !== undefined && (Number(step) < 1 || Number(step) > field.max)) return `a step must be from 1 to ${field.max}`;
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
