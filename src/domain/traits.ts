// Reads the well-known traits of people and accounts (Segment's reserved traits plus Tend's money and
// ownership fields) into typed fields, and says precisely which trait has the wrong type.
import { type Acquisition, acquisitionFrom } from './acquisition.js';
import { isEmailAddress } from './email-syntax.js';
import type { FieldProblem } from './errors.js';
import type { JsonObject } from './tracking-message.js';

export interface ContactFields {
  readonly email: string | null;
  readonly phone: string | null;
  readonly name: string | null;
  readonly language: string | null;
  readonly timezone: string | null;
}

export interface AccountFields {
  readonly name: string | null;
  readonly plan: string | null;
  readonly lifecycleStage: string | null;
  /** Yearly revenue and profit in minor units (cents), so that sums are exact. */
  readonly revenueMinor: number | null;
  readonly profitMinor: number | null;
  readonly currency: string | null;
  readonly ownerEmail: string | null;
  /** How the account was won (acquisition.ts). */
  readonly acquisition: Acquisition;
}

const lifecycleStages = ['lead', 'onboarding', 'active', 'renewal', 'churned'] as const;

type Problems = FieldProblem[];

const maximumAmount = 90_000_000_000_000;

function text(traits: JsonObject, key: string, path: string, problems: Problems): string | null {
  const value = traits[key];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && key === 'phone') return String(value);
  problems.push({ field: `${path}.${key}`, message: `must be a string, got ${describe(value)}` });
  return null;
}

function money(traits: JsonObject, key: string, path: string, problems: Problems): number | null {
  const value = traits[key];
  if (value === undefined || value === null || value === '') return null;
  const amount =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value.replace(/[,_\s]/g, '')) : Number.NaN;
  if (!Number.isFinite(amount)) {
    problems.push({
      field: `${path}.${key}`,
      message: `must be a number (an amount per year, e.g. 12000.50), got ${describe(value)}`,
    });
    return null;
  }
  // Kept in cents as a whole number, so the amount must stay where doubles count cents exactly.
  if (Math.abs(amount) > maximumAmount) {
    const limit = maximumAmount.toLocaleString('en');
    problems.push({
      field: `${path}.${key}`,
      message: `must be an amount per year of at most ${limit} either way, got ${describe(value)}`,
    });
    return null;
  }
  return Math.round(amount * 100);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Contact fields from identify traits; problems are appended for traits of the wrong type. */
export function contactFieldsFrom(traits: JsonObject, path: string, problems: Problems): ContactFields {
  const email = text(traits, 'email', path, problems);
  if (email !== null && !/^[^\s@]+@[^\s@]+$/.test(email)) {
    problems.push({ field: `${path}.email`, message: `is not an e-mail address: ${JSON.stringify(email)}` });
  }
  const first = text(traits, 'firstName', path, problems);
  const last = text(traits, 'lastName', path, problems);
  const whole = text(traits, 'name', path, problems);
  return {
    email,
    phone: text(traits, 'phone', path, problems),
    name: whole ?? ([first, last].filter(Boolean).join(' ') || null),
    language: text(traits, 'language', path, problems) ?? text(traits, 'locale', path, problems),
    timezone: text(traits, 'timezone', path, problems),
  };
}

/** Account fields from group traits (or a CSV row turned into traits). */
export function accountFieldsFrom(traits: JsonObject, path: string, problems: Problems): AccountFields {
  const stage = text(traits, 'lifecycleStage', path, problems) ?? text(traits, 'stage', path, problems);
  if (stage !== null && !(lifecycleStages as readonly string[]).includes(stage)) {
    problems.push({
      field: `${path}.lifecycleStage`,
      message: `must be one of ${lifecycleStages.join(', ')}; got ${JSON.stringify(stage)}`,
    });
  }
  const owner = text(traits, 'owner', path, problems) ?? text(traits, 'ownerEmail', path, problems);
  // Anyone with a write key sends this trait: checked in bounded, linear time.
  if (owner !== null && !isEmailAddress(owner)) {
    problems.push({
      field: `${path}.owner`,
      message: `must be the owning user's e-mail address; got ${describe(owner)}`,
    });
  }
  const currency = text(traits, 'currency', path, problems);
  if (currency !== null && !/^[A-Za-z]{3}$/.test(currency)) {
    problems.push({
      field: `${path}.currency`,
      message: `must be a three-letter ISO 4217 code such as EUR; got ${JSON.stringify(currency)}`,
    });
  }
  return {
    name: text(traits, 'name', path, problems),
    plan: text(traits, 'plan', path, problems),
    lifecycleStage: stage,
    revenueMinor: money(traits, 'revenue', path, problems),
    profitMinor: money(traits, 'profit', path, problems),
    currency: currency?.toUpperCase() ?? null,
    ownerEmail: owner?.toLowerCase() ?? null,
    acquisition: acquisitionFrom(traits, path, problems),
  };
}
