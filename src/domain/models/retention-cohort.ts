// The figures of one cohort of accounts won (a seller's, a channel's, a quarter's, the company's): how
// many are still customers 3, 6 and 12 months after they were won, with 95 % intervals; how much of their
// yearly revenue stays; and, from the shifted-beta-geometric model fitted to their monthly lifetimes, the
// share expected left after 1, 2, 3 and 5 years and what an account won is worth over its life.
import { wilsonInterval } from './experiment-statistics.js';
import { ModelInputError } from './model-input-error.js';
import {
  TooFewToJudgeError,
  discountedExpectedResidualLifetime,
  fitShiftedBetaGeometricToLifetimes,
  survivalAfter,
} from './shifted-beta-geometric.js';

/** An account as the report sees it: when it was won, by whom and how, and when it was lost. */
export interface WonAccount {
  readonly acquiredAt: Date;
  /** The seller's e-mail (lower case); null: not recorded. */
  readonly seller: string | null;
  readonly channel: string | null;
  readonly campaign: string | null;
  /** When it was lost (domain/relationship/account-loss.ts); null: still a customer. */
  readonly lostAt: Date | null;
  /** Yearly revenue in minor units; null: not known. */
  readonly revenueMinor: number | null;
  readonly currency: string | null;
}

/** Months after winning at which the share still a customer is shown. */
export const retentionHorizons = [3, 6, 12] as const;
/** Years ahead the model projects the share left. */
export const projectionYears = [1, 2, 3, 5] as const;
/**
 * Below this many accounts a share is not shown: with 30, a 95 % interval is still some ±15 points wide
 * around a half, as wide as the differences a manager would act on.
 */
export const minimumAccountsToJudge = 30;
/** Fewer months of history than this say too little of the years ahead to project them. */
export const minimumMonthsToProject = 6;
/** The yearly discount rate of the lifetime value: a euro next year is worth about 0.91 today. */
export const yearlyDiscountRate = 0.1;

export type Judgement<Figures> =
  | ({ readonly kind: 'judged' } & Figures)
  | { readonly kind: 'too-few'; readonly accounts: number; readonly words: string }
  | { readonly kind: 'not-fitted'; readonly words: string };

export interface RetainedShare {
  /** Accounts won at least this long ago: the only ones that can be judged at this horizon. */
  readonly accounts: number;
  readonly retained: number;
  readonly share: number;
  /** The share's 95 % Wilson score interval. */
  readonly lower: number;
  readonly upper: number;
}

export interface HorizonRetention {
  readonly months: (typeof retentionHorizons)[number];
  readonly judgement: Judgement<RetainedShare>;
}

/** Yearly revenue won and still with accounts kept, in one currency: currencies are never added together. */
export interface RevenueRetained {
  readonly currency: string | null;
  readonly wonMinor: number;
  readonly retainedMinor: number;
  /** retained / won; null when nothing was won in it. */
  readonly share: number | null;
}

export interface Projection {
  /** The model is fitted to whole months of life; years are 12 of them. */
  readonly period: 'month';
  /** The beta distribution of the accounts' monthly chance of leaving: its mean is α / (α + β). */
  readonly alpha: number;
  readonly beta: number;
  readonly logLikelihood: number;
  /** How many months of life the fit saw at most. */
  readonly monthsObserved: number;
  readonly shareLeft: readonly { readonly years: number; readonly share: number }[];
  /** Months an account won is expected to stay, each discounted at yearlyDiscountRate (the first counts whole). */
  readonly discountedMonths: number;
}

export interface LifetimeValue {
  readonly currency: string | null;
  /** Average yearly revenue of the cohort's accounts in this currency, over the discounted expected life. */
  readonly amountMinor: number;
}

export interface CohortFigures {
  readonly accounts: number;
  readonly retention: readonly HorizonRetention[];
  readonly revenueRetained: readonly RevenueRetained[];
  readonly projection: Judgement<Projection>;
  /** What an account won is worth over its expected life, per currency; null with the reason when unknown. */
  readonly lifetimeValue: { readonly perCurrency: readonly LifetimeValue[] } | { readonly unknown: string };
}

/** The instant `months` calendar months after `at` (UTC); the 31st becomes the month's last day. */
export function monthsAfter(at: Date, months: number): Date {
  const moved = new Date(at.getTime());
  const day = moved.getUTCDate();
  moved.setUTCDate(1);
  moved.setUTCMonth(moved.getUTCMonth() + months);
  const last = new Date(Date.UTC(moved.getUTCFullYear(), moved.getUTCMonth() + 1, 0)).getUTCDate();
  moved.setUTCDate(Math.min(day, last));
  return moved;
}

/** Whole calendar months from `from` to `to` (0 when `to` is earlier). */
export function wholeMonthsBetween(from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  let months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
  while (months > 0 && monthsAfter(from, months).getTime() > to.getTime()) months--;
  return months;
}

const tooFew = (accounts: number) =>
  ({ kind: 'too-few', accounts, words: `too few accounts to judge: ${accounts}` }) as const;

/**
 * The share of accounts won at least `months` ago that were still customers `months` after they were
 * won. Younger accounts are left out even when already lost: counting their losses but not their
 * survivals would make retention look worse than it is.
 */
export function retentionAt(accounts: readonly WonAccount[], months: number, now: Date): Judgement<RetainedShare> {
  let judged = 0;
  let retained = 0;
  for (const account of accounts) {
    const horizon = monthsAfter(account.acquiredAt, months);
    if (horizon.getTime() > now.getTime()) continue;
    judged++;
    if (account.lostAt === null || account.lostAt.getTime() >= horizon.getTime()) retained++;
  }
  if (judged < minimumAccountsToJudge) return tooFew(judged);
  return { kind: 'judged', accounts: judged, retained, share: retained / judged, ...wilsonInterval(retained, judged) };
}

/** Yearly revenue won and still with accounts not lost by now, per currency, the largest won first. */
export function revenueRetained(accounts: readonly WonAccount[], now: Date): RevenueRetained[] {
  const byCurrency = new Map<string | null, { wonMinor: number; retainedMinor: number }>();
  for (const account of accounts) {
    if (account.revenueMinor === null) continue;
    const sums = byCurrency.get(account.currency) ?? { wonMinor: 0, retainedMinor: 0 };
    sums.wonMinor += account.revenueMinor;
    if (account.lostAt === null || account.lostAt.getTime() > now.getTime()) sums.retainedMinor += account.revenueMinor;
    byCurrency.set(account.currency, sums);
  }
  return [...byCurrency.entries()]
    .map(([currency, sums]) => ({
      currency,
      ...sums,
      share: sums.wonMinor > 0 ? sums.retainedMinor / sums.wonMinor : null,
    }))
    .sort((a, b) => b.wonMinor - a.wonMinor || ((a.currency ?? '') < (b.currency ?? '') ? -1 : 1));
}

/** The longest life in months the model reads; older accounts count as alive at 20 years. */
const longestMonths = 240;

/**
 * Each account's life in whole months, as the shifted-beta-geometric model reads it: lost in month t
 * (t = 1 for the first month), or still a customer after t months (right-censored at now). Accounts
 * won less than a month ago and still customers say nothing yet.
 */
export function monthlyLifetimes(accounts: readonly WonAccount[], now: Date) {
  const lostInPeriod: number[] = [];
  const stillActiveAfter: number[] = [];
  const add = (counts: number[], period: number) => {
    while (counts.length < period) counts.push(0);
    counts[period - 1] = (counts[period - 1] ?? 0) + 1;
  };
  for (const account of accounts) {
    const lost = account.lostAt !== null && account.lostAt.getTime() <= now.getTime();
    const lived = Math.min(
      wholeMonthsBetween(account.acquiredAt, lost ? (account.lostAt as Date) : now),
      longestMonths,
    );
    if (lost && lived < longestMonths) add(lostInPeriod, lived + 1);
    else if (lived > 0) add(stillActiveAfter, lived);
  }
  const periods = Math.max(lostInPeriod.length, stillActiveAfter.length);
  while (lostInPeriod.length < periods) lostInPeriod.push(0);
  while (stillActiveAfter.length < periods) stillActiveAfter.push(0);
  return { lostInPeriod, stillActiveAfter };
}

/** The sBG fit to the cohort's monthly lifetimes and what it projects; in words when it cannot be fitted. */
export function projectRetention(accounts: readonly WonAccount[], now: Date): Judgement<Projection> {
  const lifetimes = monthlyLifetimes(accounts, now);
  const observed = [...lifetimes.lostInPeriod, ...lifetimes.stillActiveAfter].reduce((sum, count) => sum + count, 0);
  if (observed < minimumAccountsToJudge) return tooFew(observed);
  const months = lifetimes.lostInPeriod.length;
  if (months < minimumMonthsToProject)
    return {
      kind: 'not-fitted',
      words:
        `only ${months} ${months === 1 ? 'month' : 'months'} of history: ` +
        `a projection needs ${minimumMonthsToProject}`,
    };
  try {
    const fit = fitShiftedBetaGeometricToLifetimes(lifetimes);
    const monthlyDiscount = (1 + yearlyDiscountRate) ** (1 / 12) - 1;
    return {
      kind: 'judged',
      period: 'month',
      alpha: fit.alpha,
      beta: fit.beta,
      logLikelihood: fit.logLikelihood,
      monthsObserved: fit.periods,
      shareLeft: projectionYears.map((years) => ({ years, share: survivalAfter(fit.alpha, fit.beta, 12 * years) })),
      // The first month is paid when the account is won; DERL counts the months after it, from a month on.
      discountedMonths:
        1 + discountedExpectedResidualLifetime(fit.alpha, fit.beta, monthlyDiscount, 0) / (1 + monthlyDiscount),
    };
  } catch (error) {
    if (error instanceof TooFewToJudgeError)
      return { kind: 'not-fitted', words: `too few to judge: the model needs ${error.reason}` };
    if (!(error instanceof ModelInputError)) throw error;
    return { kind: 'not-fitted', words: `the model cannot be fitted to these accounts: ${error.message}` };
  }
}

/** Every figure of one cohort. */
export function cohortFigures(accounts: readonly WonAccount[], now: Date): CohortFigures {
  const projection = projectRetention(accounts, now);
  return {
    accounts: accounts.length,
    retention: retentionHorizons.map((months) => ({ months, judgement: retentionAt(accounts, months, now) })),
    revenueRetained: revenueRetained(accounts, now),
    projection,
    lifetimeValue: lifetimeValue(accounts, projection),
  };
}

/** Average yearly revenue per account in each currency × the discounted expected life in years. */
function lifetimeValue(
  accounts: readonly WonAccount[],
  projection: Judgement<Projection>,
): CohortFigures['lifetimeValue'] {
  if (projection.kind !== 'judged') return { unknown: `no projection: ${projection.words}` };
  const byCurrency = new Map<string | null, { total: number; accounts: number }>();
  for (const account of accounts) {
    if (account.revenueMinor === null) continue;
    const sums = byCurrency.get(account.currency) ?? { total: 0, accounts: 0 };
    sums.total += account.revenueMinor;
    sums.accounts++;
    byCurrency.set(account.currency, sums);
  }
  if (byCurrency.size === 0) return { unknown: 'no revenue is recorded for these accounts (the revenue trait)' };
  const years = projection.discountedMonths / 12;
  return {
    perCurrency: [...byCurrency.entries()]
      .map(([currency, sums]) => ({ currency, amountMinor: Math.round((sums.total / sums.accounts) * years) }))
      .sort((a, b) => b.amountMinor - a.amountMinor),
  };
}
