// The Pareto/NBD customer-base model (Schmittlein, Morrison & Colombo 1987), with the likelihood of
// Fader, Hardie & Lee (2005) "A note on deriving the Pareto/NBD model": gamma rates, gamma dropout rates.

import { type FitOptions, fitByLikelihood, type ModelFit, observedRates } from './likelihood-fit.js';
import { historyColumns, type CustomerHistory, type HistoryColumns, type HistoryGroup } from './customer-summary.js';
import { hypergeometric2F1, logAddExp, logGamma } from './special-functions.js';

/** r, α: gamma heterogeneity of purchase rates; s, β: gamma heterogeneity of dropout rates. */
export interface ParetoNbdParameters {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

const fromLog = (point: readonly number[]): ParetoNbdParameters => ({
  r: Math.exp(point[0]!),
  alpha: Math.exp(point[1]!),
  s: Math.exp(point[2]!),
  beta: Math.exp(point[3]!),
});

/**
 * ln 2F1(a, b; a+1; z) for 0 ≤ z < 1, through Euler's transformation
 * (1−z)^(1−b) 2F1(1, a+1−b; a+1; z), whose terms are positive and fall at least as fast as zⁿ.
 */
function logHypergeometricOneAbove(a: number, b: number, z: number): number {
  const base = (1 - b) * Math.log1p(-z);
  if (z === 0) return base;
  if (z <= 0.75) {
    const lower = a + 1 - b;
    let term = 1;
    let sum = 1;
    for (let n = 0; n < 10_000; n++) {
      term *= ((lower + n) / (a + 1 + n)) * z;
      sum += term;
      if (term <= 1e-17 * sum) break;
    }
    return base + Math.log(sum);
  }
  return base + Math.log(hypergeometric2F1(1, a + 1 - b, a + 1, z));
}

/** ln of the integral term A₀ of the likelihood (−∞ when tₓ = T). */
function logIntegralTerm(parameters: ParetoNbdParameters, x: number, recency: number, logAgeIntegral: number): number {
  const { r, alpha, s, beta } = parameters;
  const rsx = r + s + x;
  const larger = Math.max(alpha, beta);
  const second = alpha >= beta ? s + 1 : r + x;
  const gap = Math.abs(alpha - beta);
  const logRecencyIntegral =
    logHypergeometricOneAbove(rsx, second, gap / (larger + recency)) - rsx * Math.log(larger + recency);
  const difference = logAgeIntegral - logRecencyIntegral;
  if (!(difference < 0)) return Number.NEGATIVE_INFINITY;
  return logRecencyIntegral + Math.log(-Math.expm1(difference));
}

/** The age half of A₀, shared by every group with the same x and T. */
function logAgeIntegral(parameters: ParetoNbdParameters, x: number, age: number): number {
  const { r, alpha, s, beta } = parameters;
  const rsx = r + s + x;
  const larger = Math.max(alpha, beta);
  const second = alpha >= beta ? s + 1 : r + x;
  return logHypergeometricOneAbove(rsx, second, Math.abs(alpha - beta) / (larger + age)) - rsx * Math.log(larger + age);
}

interface LogTerms {
  /** Alive throughout (0, T]. */
  alive: number;
  /** Dropped out somewhere in (tₓ, T]. */
  droppedOut: number;
}

function logTerms(parameters: ParetoNbdParameters, history: CustomerHistory): LogTerms {
  const { r, alpha, s, beta } = parameters;
  const x = history.frequency;
  const ageIntegral = logAgeIntegral(parameters, x, history.age);
  return {
    alive: -(r + x) * Math.log(alpha + history.age) - s * Math.log(beta + history.age),
    droppedOut: Math.log(s) - Math.log(r + s + x) + logIntegralTerm(parameters, x, history.recency, ageIntegral),
  };
}

/** Total log-likelihood of grouped histories (sorted by x, then T: shared terms are computed once). */
export function paretoNbdLogLikelihood(parameters: ParetoNbdParameters, groups: readonly HistoryGroup[]): number {
  return columnsLogLikelihood(parameters, historyColumns(groups));
}

function columnsLogLikelihood(parameters: ParetoNbdParameters, columns: HistoryColumns): number {
  const { r, alpha, s, beta } = parameters;
  const { frequency, recency, age, count } = columns;
  const constant = -logGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  const logS = Math.log(s);
  const larger = Math.max(alpha, beta);
  const gap = Math.abs(alpha - beta);
  let currentFrequency = Number.NaN;
  let currentAge = Number.NaN;
  let frequencyPart = 0;
  let rsx = 0;
  let second = 0;
  let logShare = 0;
  let alive = 0;
  let ageIntegral = 0;
  let total = 0;
  for (let i = 0; i < columns.size; i++) {
    const x = frequency[i]!;
    if (x !== currentFrequency) {
      currentFrequency = x;
      frequencyPart = logGamma(r + x) + constant;
      rsx = r + s + x;
      second = alpha >= beta ? s + 1 : r + x;
      logShare = logS - Math.log(rsx);
      currentAge = Number.NaN;
    }
    if (age[i] !== currentAge) {
      const T = age[i]!;
      currentAge = T;
      alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
      ageIntegral = logHypergeometricOneAbove(rsx, second, gap / (larger + T)) - rsx * Math.log(larger + T);
    }
    const t = recency[i]!;
    let droppedOut = Number.NEGATIVE_INFINITY;
    if (t < currentAge) {
      const recencyIntegral = logHypergeometricOneAbove(rsx, second, gap / (larger + t)) - rsx * Math.log(larger + t);
      const difference = ageIntegral - recencyIntegral;
      if (difference < 0) droppedOut = logShare + recencyIntegral + Math.log(-Math.expm1(difference));
    }
    total += count[i]! * (frequencyPart + logAddExp(alive, droppedOut));
  }
  return total;
}

/** Starting points in natural units, scaled so that r/α is near the observed rate and β near the mean age. */
function defaultStarts(groups: readonly HistoryGroup[]): number[][] {
  const { rate, meanAge } = observedRates(groups);
  return [
    [1, 1 / rate, 1, meanAge],
    [0.5, 0.5 / rate, 0.5, meanAge / 3],
    [2, 2 / rate, 2, 3 * meanAge],
  ];
}

/**
 * Maximum-likelihood Pareto/NBD fit over log-parameters from several starts. Pass histories already
 * collapsed with `groupHistories` (sorted by x, then T).
 */
export function fitParetoNbd(groups: readonly HistoryGroup[], options: FitOptions = {}): ModelFit<ParetoNbdParameters> {
  return fitByLikelihood(
    { name: 'Pareto/NBD', defaultStarts, fromLog, logLikelihood: columnsLogLikelihood },
    groups,
    options,
  );
}

/** Probability that a customer with this history is still active at the calibration end. */
export function paretoNbdProbabilityAlive(parameters: ParetoNbdParameters, history: CustomerHistory): number {
  const terms = logTerms(parameters, history);
  return Math.exp(terms.alive - logAddExp(terms.alive, terms.droppedOut));
}

/** (1 − (base/(base+t))^(s−1)) / (s−1), continuous at s = 1. */
function dropoutDiscount(s: number, base: number, duration: number): number {
  const logRatio = Math.log(base) - Math.log(base + duration);
  return s === 1 ? -logRatio : -Math.expm1((s - 1) * logRatio) / (s - 1);
}

/** Expected purchases in the next `duration` for a customer with this history. */
export function paretoNbdConditionalExpectedPurchases(
  parameters: ParetoNbdParameters,
  history: CustomerHistory,
  duration: number,
): number {
  const { r, alpha, s, beta } = parameters;
  const x = history.frequency;
  const whileAlive = ((r + x) * (beta + history.age)) / (alpha + history.age);
  return whileAlive * dropoutDiscount(s, beta + history.age, duration) * paretoNbdProbabilityAlive(parameters, history);
}

/** E[X(t)]: purchases a newly acquired customer makes in their first `duration` (repeat purchases). */
export function paretoNbdExpectedPurchases(parameters: ParetoNbdParameters, duration: number): number {
  const { r, alpha, s, beta } = parameters;
  return ((r * beta) / alpha) * dropoutDiscount(s, beta, duration);
}
