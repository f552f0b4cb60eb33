// The shifted-beta-geometric (sBG) model of contractual retention (Fader & Hardie 2007, "How to Project
// Customer Retention"): each customer renews each period with a chance of their own that never changes,
// and that chance varies across customers as a beta(α, β). Fitted to a cohort's survivors, it projects them.
import { ModelInputError } from './model-input-error.js';
import { minimise } from './optimize.js';
import { hypergeometric2F1 } from './special-functions.js';

/** α, β of the fitted beta, with what they were fitted on. */
export interface ShiftedBetaGeometricFit {
  alpha: number;
  beta: number;
  logLikelihood: number;
  /** The longest any member of the cohort was observed, in periods. */
  periods: number;
  cohortSize: number;
}

/**
 * The counts cannot tell α from β (nobody lost, nobody left, or everything in one period): a report shows
 * "too few to judge" with the reason rather than a projection.
 */
export class TooFewToJudgeError extends ModelInputError {
  readonly reason: string;

  constructor(reason: string) {
    super(`Too few to judge: the sBG model needs ${reason}.`);
    this.name = 'TooFewToJudgeError';
    this.reason = reason;
  }
}

/**
 * A cohort whose members were observed for different lengths: `lostInPeriod[t − 1]` left in period t,
 * `stillActiveAfter[t − 1]` were still customers at the end of period t and not observed any further.
 */
export interface CohortLifetimes {
  lostInPeriod: readonly number[];
  stillActiveAfter: readonly number[];
}

/** r_t: the share of those customers at the end of period t − 1 who are still customers at the end of t. */
export function retentionRate(alpha: number, beta: number, t: number): number {
  requirePeriod(t, 1);
  return (beta + t - 1) / (alpha + beta + t - 1);
}

/** S(t): the share of a new cohort still customers at the end of period t (S(0) = 1). */
export function survivalAfter(alpha: number, beta: number, t: number): number {
  requirePeriod(t, 0);
  let survival = 1;
  // The product of retention rates: no subtraction, so no cancellation far into the tail.
  for (let period = 1; period <= t; period++) survival *= (beta + period - 1) / (alpha + beta + period - 1);
  return survival;
}

/** P(T = t): the share of a new cohort lost in period t, i.e. S(t − 1) · α / (α + β + t − 1). */
export function churnInPeriod(alpha: number, beta: number, t: number): number {
  requirePeriod(t, 1);
  return survivalAfter(alpha, beta, t - 1) * (alpha / (alpha + beta + t - 1));
}

/** The expected share of the fitted cohort still customers at the end of periods 1, 2, …, `periods`. */
export function projectSurvival(fit: ShiftedBetaGeometricFit, periods: number): number[] {
  requirePeriod(periods, 0);
  const shares: number[] = [];
  let survival = 1;
  for (let t = 1; t <= periods; t++) {
    survival *= (fit.beta + t - 1) / (fit.alpha + fit.beta + t - 1);
    shares.push(survival);
  }
  return shares;
}

/**
 * DERL (Fader & Hardie 2010, "Customer-Base Valuation in a Contractual Setting"): the discounted number of
 * payments still to come from a customer who has made `renewals` renewals, valued just before the next
 * renewal decision (which is not yet certain, so not counted as 1). Lifetime value = margin per period ×
 * DERL. Infinite when nothing is discounted and α ≤ 1 (the mean lifetime then has no end).
 */
export function discountedExpectedResidualLifetime(
  alpha: number,
  beta: number,
  discountRate: number,
  renewals: number,
): number {
  requirePeriod(renewals, 0);
  if (!(discountRate >= 0)) throw new ModelInputError(`The discount rate must be ≥ 0 (got ${discountRate}).`);
  const next = beta + renewals;
  // Σ_{k≥0} S(n+1+k)/S(n) · (1+d)^−k = (β+n)/(α+β+n) · ₂F₁(1, β+n+1; α+β+n+1; 1/(1+d)).
  const closedForm = (next / (alpha + next)) * hypergeometric2F1(1, next + 1, alpha + next + 1, 1 / (1 + discountRate));
  return Number.isNaN(closedForm) ? residualLifetimeSum(alpha, beta, discountRate, renewals) : closedForm;
}

/** The same sum term by term, where ₂F₁ cannot promise its digits; each term shrinks by 1/(1+d) or more. */
function residualLifetimeSum(alpha: number, beta: number, discountRate: number, renewals: number): number {
  if (discountRate === 0 && alpha <= 1) return Number.POSITIVE_INFINITY;
  let term = 1;
  let total = 0;
  for (let t = renewals + 1; t < renewals + 1_000_000; t++) {
    term *= (beta + t - 1) / (alpha + beta + t - 1) / (t === renewals + 1 ? 1 : 1 + discountRate);
    total += term;
    if (term < 1e-15 * total) break;
  }
  return total;
}

/**
 * Maximum-likelihood sBG fit to one cohort counted at the end of each period: `survivors[0]` customers at
 * the start, `survivors[t]` still customers at the end of period t (whole numbers, never increasing).
 */
export function fitShiftedBetaGeometric(survivors: readonly number[]): ShiftedBetaGeometricFit {
  if (survivors.length < 2) {
    throw new ModelInputError(
      `survivors needs the cohort's size and at least one period's survivors (got ${survivors.length} number` +
        `${survivors.length === 1 ? '' : 's'}).`,
    );
  }
  survivors.forEach((count, period) => {
    if (!Number.isInteger(count) || count < 0) {
      throw new ModelInputError(
        `survivors must be whole numbers of customers ≥ 0: ${count} in period ${period} is not ` +
          '(give counts, not shares: e.g. 869 of 1000 rather than 86.9).',
      );
    }
    const previous = survivors[period - 1];
    if (previous !== undefined && count > previous) {
      throw new ModelInputError(`survivors must not increase: ${count} after ${previous} in period ${period}.`);
    }
  });
  if (survivors[0] === 0) throw new ModelInputError('survivors must start with the cohort size, more than 0.');
  const lostInPeriod = survivors.slice(1).map((count, i) => survivors[i]! - count);
  const stillActiveAfter = lostInPeriod.map((_, i) => (i === lostInPeriod.length - 1 ? survivors.at(-1)! : 0));
  return fitShiftedBetaGeometricToLifetimes({ lostInPeriod, stillActiveAfter });
}

/**
 * The sBG fit for a cohort observed for unequal lengths (right-censored): LL = Σ lost_t ln P(t) +
 * Σ active_t ln S(t). Without someone lost, someone still active and counts from two periods, α and β
 * cannot be told apart: that throws a TooFewToJudgeError.
 */
export function fitShiftedBetaGeometricToLifetimes(lifetimes: CohortLifetimes): ShiftedBetaGeometricFit {
  requireCounts(lifetimes.lostInPeriod, 'lostInPeriod');
  requireCounts(lifetimes.stillActiveAfter, 'stillActiveAfter');
  const periods = Math.max(lastNonZero(lifetimes.lostInPeriod), lastNonZero(lifetimes.stillActiveAfter));
  const lost = sum(lifetimes.lostInPeriod);
  const active = sum(lifetimes.stillActiveAfter);
  const reason = tooFewReason(lifetimes, lost, active);
  if (reason !== null) throw new TooFewToJudgeError(reason);
  const cohortSize = lost + active;
  const objective = (point: readonly number[]): number =>
    -logLikelihood(Math.exp(point[0]!), Math.exp(point[1]!), lifetimes, periods) / cohortSize;
  // Spread-out starts: a reverse-J, a U and a hump-shaped beta (the paper redoes its fit from other starts).
  const starts = [
    [1, 1],
    [0.5, 3],
    [3, 0.5],
  ].map((start) => start.map(Math.log));
  const best = minimise(objective, starts);
  const alpha = Math.exp(best.point[0]!);
  const beta = Math.exp(best.point[1]!);
  return { alpha, beta, logLikelihood: logLikelihood(alpha, beta, lifetimes, periods), periods, cohortSize };
}

function tooFewReason(lifetimes: CohortLifetimes, lost: number, active: number): string | null {
  if (lost === 0 || active === 0) {
    return `at least one customer lost and one still active (got ${lost} lost and ${active} still active)`;
  }
  const periodsSeen = new Set(
    [...lifetimes.lostInPeriod.entries(), ...lifetimes.stillActiveAfter.entries()]
      .filter(([, count]) => count > 0)
      .map(([i]) => i),
  );
  // One period gives the share that leaves, not how that share changes as the doubtful leave first.
  if (periodsSeen.size < 2) return 'counts from at least two periods (all of these are from one)';
  return null;
}

function logLikelihood(alpha: number, beta: number, lifetimes: CohortLifetimes, periods: number): number {
  let logSurvival = 0;
  let total = 0;
  for (let t = 1; t <= periods; t++) {
    const lost = lifetimes.lostInPeriod[t - 1] ?? 0;
    const logChurnShare = Math.log(alpha) - Math.log(alpha + beta + t - 1);
    if (lost > 0) total += lost * (logSurvival + logChurnShare);
    logSurvival += Math.log(beta + t - 1) - Math.log(alpha + beta + t - 1);
    const active = lifetimes.stillActiveAfter[t - 1] ?? 0;
    if (active > 0) total += active * logSurvival;
  }
  return total;
}

function requireCounts(counts: readonly number[], name: string): void {
  counts.forEach((count, i) => {
    if (!Number.isInteger(count) || count < 0) {
      throw new ModelInputError(`${name} must hold whole numbers ≥ 0: ${count} for period ${i + 1} is not.`);
    }
  });
}

function requirePeriod(t: number, least: number): void {
  if (!Number.isInteger(t) || t < least)
    throw new ModelInputError(`A period must be a whole number ≥ ${least} (got ${t}).`);
}

const lastNonZero = (counts: readonly number[]): number => counts.findLastIndex((count) => count > 0) + 1;
const sum = (counts: readonly number[]): number => counts.reduce((total, count) => total + count, 0);
