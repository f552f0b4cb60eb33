// Reads parsed YAML values field by field for the playbook validation, collecting every problem with
// its path and what is allowed instead of stopping at the first.
import type { FieldProblem } from '../errors.js';
import { parseDuration } from '../duration.js';
import type { Assignee, EventMatch, IsoDuration, ScalarValue } from './playbook-definition.js';

export type Mapping = Record<string, unknown>;

const kebabCase = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const roleName = /^role:[a-z0-9]+(?:[-_][a-z0-9]+)*$/;

/** Collects problems while reading; each reader returns a fallback when the value is wrong or absent. */
export class PlaybookReader {
  readonly problems: FieldProblem[] = [];

  problem(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  /** A mapping with its unknown keys reported; absent gives null when optional, else a problem. */
  mapping(raw: unknown, path: string, allowed: readonly string[], required = false): Mapping | null {
    if (raw === undefined || raw === null) {
      if (required) this.problem(path, `is required: a mapping with ${allowed.join(', ')}`);
      return null;
    }
    if (!isMapping(raw)) {
      this.problem(path, `must be a mapping with ${allowed.join(', ')}, got ${shown(raw)}`);
      return null;
    }
    for (const key of Object.keys(raw)) {
      if (!allowed.includes(key)) this.problem(join(path, key), `is not allowed here; allowed: ${allowed.join(', ')}`);
    }
    return raw;
  }

  text(raw: unknown, path: string, required: boolean): string | null {
    if (raw === undefined || raw === null) {
      if (required) this.problem(path, 'is required: a non-empty text');
      return null;
    }
    if (typeof raw === 'string' && raw.trim() !== '') return raw.trim();
    this.problem(path, `must be a non-empty text, got ${shown(raw)}`);
    return null;
  }

  /** Lower-case words joined by hyphens, as ids and template names are written. */
  kebab(raw: unknown, path: string, what: string): string | null {
    const value = this.text(raw, path, true);
    if (value === null) return null;
    if (kebabCase.test(value)) return value;
    this.problem(
      path,
      `must be ${what} in kebab-case ` +
        `(lower-case letters, digits and single hyphens, e.g. "late-payment"), got ${shown(raw)}`,
    );
    return null;
  }

  oneOf<T extends string>(raw: unknown, path: string, allowed: readonly T[], required: boolean): T | null {
    if (raw === undefined || raw === null) {
      if (required) this.problem(path, `is required: one of ${allowed.join(', ')}`);
      return null;
    }
    const found = allowed.find((option) => option === raw);
    if (found !== undefined) return found;
    this.problem(path, `must be one of ${allowed.join(', ')}, got ${shown(raw)}`);
    return null;
  }

  whole(raw: unknown, path: string, min: number, max: number): number | null {
    if (typeof raw === 'number' && Number.isInteger(raw) && raw >= min && raw <= max) return raw;
    this.problem(
      path,
      raw === undefined
        ? `is required: a whole number from ${min} to ${max}`
        : `must be a whole number from ${min} to ${max}, got ${shown(raw)}`,
    );
    return null;
  }

  boolean(raw: unknown, path: string, fallback: boolean): boolean {
    if (raw === undefined) return fallback;
    if (typeof raw === 'boolean') return raw;
    this.problem(path, `must be true or false, got ${shown(raw)}`);
    return fallback;
  }

  /** An ISO 8601 duration of weeks, days, hours, minutes and seconds. */
  duration(raw: unknown, path: string, required: boolean): IsoDuration | null {
    if (raw === undefined || raw === null) {
      if (required) this.problem(path, 'is required: an ISO 8601 duration such as PT15M, PT1H, P3D or P2W');
      return null;
    }
    const ms = typeof raw === 'string' ? parseDuration(raw) : null;
    if (typeof raw === 'string' && ms !== null) return { text: raw.trim(), ms };
    this.problem(
      path,
      'must be an ISO 8601 duration above zero such as PT15M, PT1H, P3D or P2W ' +
        `(years and months are not fixed lengths: use days), got ${shown(raw)}`,
    );
    return null;
  }

  list<T>(raw: unknown, path: string, item: (value: unknown, path: string) => T | null): T[] | null {
    if (raw === undefined || raw === null) return null;
    if (!Array.isArray(raw)) {
      this.problem(path, `must be a list, got ${shown(raw)}`);
      return null;
    }
    const items: T[] = [];
    raw.forEach((value: unknown, index) => {
      const read = item(value, `${path}[${index}]`);
      if (read !== null) items.push(read);
    });
    return items;
  }

  scalar(raw: unknown, path: string): ScalarValue | null {
    if (typeof raw === 'string' || typeof raw === 'boolean' || (typeof raw === 'number' && Number.isFinite(raw)))
      return raw;
    this.problem(path, `must be a text, a number or true/false, got ${shown(raw)}`);
    return null;
  }

  /** A mapping of names to plain values (trait equals, event properties, template variables). */
  scalars(raw: unknown, path: string, required = false): Record<string, ScalarValue> {
    const result: Record<string, ScalarValue> = {};
    if ((raw === undefined || raw === null) && !required) return result;
    if (!isMapping(raw) || (required && Object.keys(raw).length === 0)) {
      this.problem(path, `must be a mapping of names to values (e.g. { plan: pro }), got ${shown(raw)}`);
      return result;
    }
    for (const [key, value] of Object.entries(raw)) {
      const read = this.scalar(value, join(path, key));
      if (read !== null) result[key] = read;
    }
    return result;
  }

  assignee(raw: unknown, path: string, allowed: readonly ('owner' | 'manager' | 'promise-owner')[]): Assignee | null {
    if (typeof raw === 'string' && ((allowed as readonly string[]).includes(raw) || roleName.test(raw)))
      return raw as Assignee;
    const options = [...allowed, 'role:NAME (e.g. role:success-lead)'].join(', ');
    this.problem(
      path,
      raw === undefined ? `is required: one of ${options}` : `must be one of ${options}, got ${shown(raw)}`,
    );
    return null;
  }

  /** The event name and the optional `where` properties of an event-shaped mapping. */
  eventMatch(raw: Mapping, path: string): EventMatch | null {
    const event = this.text(raw.event, join(path, 'event'), true);
    const where = this.scalars(raw.where, join(path, 'where'));
    return event === null ? null : { event, where };
  }
}

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** A value as the user wrote it: "monthly", 0, true, a list, a mapping, nothing. */
export function shown(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return `the date ${value.toISOString()}`;
  return 'a mapping';
}
