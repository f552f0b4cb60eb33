// How an account was won, from group traits or import columns: when (acquiredAt), by which seller
// (acquiredBy, a user's e-mail), through which channel and campaign. The retention report groups by them.
import { isEmailAddress } from './email-syntax.js';
import type { FieldProblem } from './errors.js';
import { storableTimeProblem } from './time-limits.js';
import type { JsonObject } from './tracking-message.js';

export interface Acquisition {
  /** null: not given; the report then takes the account's first appearance. */
  readonly acquiredAt: Date | null;
  /** The seller's e-mail, lower case. */
  readonly acquiredBy: string | null;
  readonly acquisitionChannel: string | null;
  readonly campaign: string | null;
}

/** The trait names, as group calls send them and as the accounts' traits keep them. */
export const acquisitionTraitNames = ['acquiredAt', 'acquiredBy', 'acquisitionChannel', 'campaign'] as const;

const longestText = 200;

/** A date (2026-03-01, midnight UTC) or an ISO 8601 date-time; null for anything else. */
export function acquisitionInstant(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return null;
  const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(at.getTime()) ? null : at;
}

function label(traits: JsonObject, key: string, path: string, problems: FieldProblem[]): string | null {
  const value = traits[key];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || value.trim().length > longestText) {
    problems.push({ field: `${path}.${key}`, message: `must be a name of at most ${longestText} characters` });
    return null;
  }
  return value.trim() || null;
}

/** The acquisition traits, checked: a problem names the trait (the column of an import) and what to send. */
export function acquisitionFrom(traits: JsonObject, path: string, problems: FieldProblem[]): Acquisition {
  const rawAt = traits.acquiredAt;
  let acquiredAt: Date | null = null;
  if (rawAt !== undefined && rawAt !== null && rawAt !== '') {
    acquiredAt = acquisitionInstant(rawAt);
    const problem =
      acquiredAt === null
        ? `is not a date: ${JSON.stringify(rawAt)} (use YYYY-MM-DD or a date-time such as 2026-03-01T14:00:00Z)`
        : storableTimeProblem(acquiredAt);
    if (problem !== null) {
      problems.push({ field: `${path}.acquiredAt`, message: problem });
      acquiredAt = null;
    }
  }
  let acquiredBy = label(traits, 'acquiredBy', path, problems);
  if (acquiredBy !== null && !isEmailAddress(acquiredBy)) {
    problems.push({
      field: `${path}.acquiredBy`,
      message: `must be the seller's e-mail address (a user of Tend); got ${JSON.stringify(acquiredBy)}`,
    });
    acquiredBy = null;
  }
  return {
    acquiredAt,
    acquiredBy: acquiredBy?.toLowerCase() ?? null,
    acquisitionChannel: label(traits, 'acquisitionChannel', path, problems),
    campaign: label(traits, 'campaign', path, problems),
  };
}

/** The acquisition as traits to store (only those given), in the form the report reads back. */
export function acquisitionTraits(acquisition: Acquisition): Record<string, string> {
  const traits: Record<string, string> = {};
  if (acquisition.acquiredAt !== null) traits.acquiredAt = acquisition.acquiredAt.toISOString();
  if (acquisition.acquiredBy !== null) traits.acquiredBy = acquisition.acquiredBy;
  if (acquisition.acquisitionChannel !== null) traits.acquisitionChannel = acquisition.acquisitionChannel;
  if (acquisition.campaign !== null) traits.campaign = acquisition.campaign;
  return traits;
}
