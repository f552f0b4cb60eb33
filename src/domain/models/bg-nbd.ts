// The BG/NBD customer-base model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"):
// purchases Poisson at a gamma-distributed rate, a beta-distributed chance of dropping out after each.

import { historyColumns, type CustomerHistory, type HistoryColumns, type HistoryGroup } from './customer-summary.js';
import { type FitOptions, fitByLikelihood, type ModelFit, observedRates } from './likelihood-fit.js';
import { hypergeometric2F1, logAddExp, logGamma } from './special-functions.js';

/** r, α: gamma heterogeneity of purchase rates; a, b: beta heterogeneity of the dropout chance. */
export interface BgNbdParameters {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export type { FitOptions, ModelFit } from './likelihood-fit.js';

const fromLog = (point: readonly number[]): BgNbdParameters => ({
  r: Math.exp(point[0]!),
  alpha: Math.exp(point[1]!),
  a: Math.exp(point[2]!),
  b: Math.exp(point[3]!),
});

/** Total log-likelihood of grouped histories: each distinct (x, tₓ, T) is evaluated once and weighted. */
export function bgNbdLogLikelihood(parameters: BgNbdParameters, groups: readonly HistoryGroup[]): number {
  return columnsLogLikelihood(parameters, historyColumns(groups));
}

function columnsLogLikelihood(parameters: BgNbdParameters, columns: HistoryColumns): number {
  const { r, alpha, a, b } = parameters;
  const { frequency, recency, age, count } = columns;
  const logAlpha = Math.log(alpha);
  const logA = Math.log(a);
  const betaPart = logGamma(a + b) - logGamma(b);
  const rateNormaliser = logGamma(r);
  let currentFrequency = Number.NaN;
  let frequencyPart = 0;
  let logDropout = 0;
  let currentAge = Number.NaN;
  let logAgeTerm = 0;
  let total = 0;
  for (let i = 0; i < columns.size; i++) {
    const x = frequency[i]!;
    if (x !== currentFrequency) {
      // Groups arrive sorted by x: the gamma functions are computed once per distinct x.
      currentFrequency = x;
      frequencyPart =
        logGamma(r + x) - rateNormaliser + r * logAlpha + betaPart + logGamma(b + x) - logGamma(a + b + x);
      logDropout = x > 0 ? logA - Math.log(b + x - 1) : Number.NEGATIVE_INFINITY;
      currentAge = Number.NaN;
    }
    if (age[i] !== currentAge) {
      currentAge = age[i]!;
      logAgeTerm = -(r + x) * Math.log(alpha + currentAge);
    }
    const dropoutTerm = x > 0 ? logDropout - (r + x) * Math.log(alpha + recency[i]!) : Number.NEGATIVE_INFINITY;
    total += count[i]! * (frequencyPart + logAddExp(logAgeTerm, dropoutTerm));
  }
  return total;
}

/** Starting points in natural units, with α scaled so that r/α is near the observed purchase rate. */
function defaultStarts(groups: readonly HistoryGroup[]): number[][] {
  const { rate } = observedRates(groups);
  return [
    [1, 1 / rate, 1, 1],
    [0.25, 0.25 / rate, 0.8, 2.5],
    [3, 3 / rate, 2, 10],
  ];
}

/**
 * Maximum-likelihood BG/NBD fit over log-parameters from several starts. Pass histories already
 * collapsed with `groupHistories` (sorted by x, then T).
 */
export function fitBgNbd(groups: readonly HistoryGroup[], options: FitOptions = {}): ModelFit<BgNbdParameters> {
  return fitByLikelihood(
    { name: 'BG/NBD', defaultStarts, fromLog, logLikelihood: columnsLogLikelihood },
    groups,
    options,
  );
}

/** ln of a/(b+x−1)·((α+T)/(α+tₓ))^(r+x): the odds that the customer has already dropped out. */
function logDropoutOdds({ r, alpha, a, b }: BgNbdParameters, { frequency: x, recency, age }: CustomerHistory): number {
  if (x === 0) return Number.NEGATIVE_INFINITY;
  return Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + age) - Math.log(alpha + recency));
}

/** Probability that a customer with this history is still active at the calibration end. */
export function bgNbdProbabilityAlive(parameters: BgNbdParameters, history: CustomerHistory): number {
  return Math.exp(-logAddExp(0, logDropoutOdds(parameters, history)));
}

/**
 * Expected purchases in the next `duration` for a customer with this history: the ranking input
 * for who is worth a retention effort.
 */
export function bgNbdConditionalExpectedPurchases(
  parameters: BgNbdParameters,
  history: CustomerHistory,
  duration: number,
): number {
  const { r, alpha, a, b } = parameters;
  const x = history.frequency;
  const z = duration / (alpha + history.age + duration);
  // Euler's transformation of ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; z): small parameters, no overflow.
  const decayed = (1 - z) ** (a - 1) * hypergeometric2F1(a + b - 1 - r, a - 1, a + b + x - 1, z);
  const unconditional = ((a + b + x - 1) / (a - 1)) * (1 - decayed);
  return unconditional * bgNbdProbabilityAlive(parameters, history);
}

/**
 * E[X(t)]: repeat purchases a newly acquired customer makes in their first `duration`, the curve
 * behind cohort forecasts. (Undefined at exactly a = 1, where the closed form is 0/0.)
 */
export function bgNbdExpectedPurchases(parameters: BgNbdParameters, duration: number): number {
  return bgNbdConditionalExpectedPurchases(parameters, { frequency: 0, recency: 0, age: 0 }, duration);
}
