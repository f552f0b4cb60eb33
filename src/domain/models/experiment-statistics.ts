// Statistics for holdout experiments: rates with Wilson intervals, means with t intervals, lifts
// over control with Newcombe (rates) and Welch (means) intervals, the two-proportion test's p-value,
// and how many subjects a test needs.
// The Student t and normal quantiles are computed here, from the incomplete beta and gamma functions.
import { ModelInputError } from './model-input-error.js';

/** A group's rate (e.g. conversions per customer) with its confidence interval. */
export interface RateSummary {
  count: number;
  successes: number;
  rate: number;
  lower: number;
  upper: number;
}

/** A group's mean (e.g. spend per customer) with its confidence interval. */
export interface MeanSummary {
  count: number;
  mean: number;
  standardDeviation: number;
  lower: number;
  upper: number;
}

/** Treatment minus control, in absolute terms and relative to control, with an interval. */
export interface Lift {
  absolute: number;
  /** absolute / control; null when control is zero. */
  relative: number | null;
  lower: number;
  upper: number;
  /** The interval excludes zero. */
  significant: boolean;
}

/** The smallest lift worth detecting: in absolute points of rate, or relative to the baseline. */
export type MinimumLift = { kind: 'points'; value: number } | { kind: 'relative'; value: number };

/** What a test must be able to detect. */
export interface SampleSizePlan {
  baselineRate: number;
  minimumLift: MinimumLift;
  /** Share of subjects held out as control, in (0, 1). */
  holdoutShare: number;
  /** Two-sided significance level (default 0.05). */
  alpha?: number;
  /** Chance of detecting the minimum lift when it is real (default 0.8). */
  power?: number;
}

/** Subjects needed, in total and per arm. */
export interface SampleSize {
  total: number;
  treatment: number;
  holdout: number;
}

/** A rate with its Wilson score interval, which stays inside [0, 1] and behaves at 0 and n successes. */
export function summariseRate(successes: number, count: number, confidence = 0.95): RateSummary {
  if (!(count > 0) || successes < 0 || successes > count) {
    throw new ModelInputError(`A rate needs 0 ≤ successes ≤ count and count > 0 (got ${successes} of ${count}).`);
  }
  const { lower, upper } = wilsonInterval(successes, count, confidence);
  return { count, successes, rate: successes / count, lower, upper };
}

/** A mean with its Student t interval (n − 1 degrees of freedom; near the normal one for large n). */
export function summariseMean(values: readonly number[], confidence = 0.95): MeanSummary {
  const count = values.length;
  if (count < 2) throw new ModelInputError(`A mean's interval needs at least two values (got ${count}).`);
  const mean = values.reduce((sum, value) => sum + value, 0) / count;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (count - 1);
  const standardDeviation = Math.sqrt(variance);
  const margin = studentTQuantile(1 - (1 - confidence) / 2, count - 1) * (standardDeviation / Math.sqrt(count));
  return { count, mean, standardDeviation, lower: mean - margin, upper: mean + margin };
}

/** Wilson score interval for a proportion. */
export function wilsonInterval(successes: number, count: number, confidence = 0.95): { lower: number; upper: number } {
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const rate = successes / count;
  const denominator = 1 + (z * z) / count;
  const centre = (rate + (z * z) / (2 * count)) / denominator;
  const half = (z / denominator) * Math.sqrt((rate * (1 - rate)) / count + (z * z) / (4 * count * count));
  return {
    lower: successes === 0 ? 0 : Math.max(0, centre - half),
    upper: successes === count ? 1 : Math.min(1, centre + half),
  };
}

/**
 * Lift of a treatment rate over control with Newcombe's hybrid score interval (method 10 of
 * Newcombe 1998), built from the two Wilson intervals: good coverage even for rare events.
 */
export function compareRates(treatment: RateSummary, control: RateSummary, confidence = 0.95): Lift {
  const t = wilsonInterval(treatment.successes, treatment.count, confidence);
  const c = wilsonInterval(control.successes, control.count, confidence);
  const absolute = treatment.rate - control.rate;
  const lower = absolute - Math.sqrt((treatment.rate - t.lower) ** 2 + (c.upper - control.rate) ** 2);
  const upper = absolute + Math.sqrt((t.upper - treatment.rate) ** 2 + (control.rate - c.lower) ** 2);
  return lift(absolute, control.rate, lower, upper);
}

/**
 * Two-sided p-value of the two-proportion z test (pooled under "no difference"; the same as the
 * chi-square test of the 2 × 2 table without continuity correction): how often a gap at least this
 * wide would show by chance alone. 1 when both groups are all successes or all failures.
 */
export function twoProportionPValue(treatment: RateSummary, control: RateSummary): number {
  const pooled = (treatment.successes + control.successes) / (treatment.count + control.count);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / treatment.count + 1 / control.count));
  if (standardError === 0) return 1;
  const z = (treatment.rate - control.rate) / standardError;
  // Q(1/2, z²/2) is P(|Z| ≥ |z|), computed as a tail so that tiny p-values keep their digits.
  return regularisedGammaUpper(0.5, (z * z) / 2);
}

/** Lift of a treatment mean over control with Welch's interval (unequal variances, Welch–Satterthwaite df). */
export function compareMeans(
  treatment: Pick<MeanSummary, 'count' | 'mean' | 'standardDeviation'>,
  control: Pick<MeanSummary, 'count' | 'mean' | 'standardDeviation'>,
  confidence = 0.95,
): Lift & { degreesOfFreedom: number; standardError: number } {
  const treatmentPart = treatment.standardDeviation ** 2 / treatment.count;
  const controlPart = control.standardDeviation ** 2 / control.count;
  const standardError = Math.sqrt(treatmentPart + controlPart);
  const degreesOfFreedom = welchDegreesOfFreedom(treatment, control);
  const absolute = treatment.mean - control.mean;
  const margin = studentTQuantile(1 - (1 - confidence) / 2, degreesOfFreedom) * standardError;
  return { ...lift(absolute, control.mean, absolute - margin, absolute + margin), degreesOfFreedom, standardError };
}

/** Welch–Satterthwaite degrees of freedom of a difference of two means with unequal variances. */
export function welchDegreesOfFreedom(
  first: Pick<MeanSummary, 'count' | 'standardDeviation'>,
  second: Pick<MeanSummary, 'count' | 'standardDeviation'>,
): number {
  if (first.count < 2 || second.count < 2)
    throw new ModelInputError('Welch degrees of freedom need at least two values per group.');
  const a = first.standardDeviation ** 2 / first.count;
  const b = second.standardDeviation ** 2 / second.count;
  if (a + b === 0) return first.count + second.count - 2;
  return (a + b) ** 2 / (a ** 2 / (first.count - 1) + b ** 2 / (second.count - 1));
}

/**
 * Total subjects a holdout test needs to detect the minimum lift over the baseline rate with a
 * two-sided two-proportion z test, when only `holdoutShare` of them form the control group.
 */
export function requiredSampleSize(plan: SampleSizePlan): SampleSize {
  const { baselineRate, holdoutShare } = plan;
  const alpha = plan.alpha ?? 0.05;
  const power = plan.power ?? 0.8;
  const treatedRate =
    plan.minimumLift.kind === 'points'
      ? baselineRate + plan.minimumLift.value
      : baselineRate * (1 + plan.minimumLift.value);
  if (
    !(baselineRate > 0 && baselineRate < 1) ||
    !(treatedRate > 0 && treatedRate < 1) ||
    treatedRate === baselineRate
  ) {
    throw new ModelInputError(
      `Baseline ${baselineRate} and lifted rate ${treatedRate} must differ and lie strictly between 0 and 1.`,
    );
  }
  if (!(holdoutShare > 0 && holdoutShare < 1))
    throw new ModelInputError(`The holdout share must lie strictly between 0 and 1 (got ${holdoutShare}).`);
  const treatedShare = 1 - holdoutShare;
  const pooled = treatedShare * treatedRate + holdoutShare * baselineRate;
  const zAlpha = normalQuantile(1 - alpha / 2);
  const zPower = normalQuantile(power);
  const nullSpread = Math.sqrt(pooled * (1 - pooled) * (1 / treatedShare + 1 / holdoutShare));
  const alternativeSpread = Math.sqrt(
    (treatedRate * (1 - treatedRate)) / treatedShare + (baselineRate * (1 - baselineRate)) / holdoutShare,
  );
  const total = (zAlpha * nullSpread + zPower * alternativeSpread) ** 2 / (treatedRate - baselineRate) ** 2;
  const treatment = Math.ceil(total * treatedShare - 1e-9);
  const holdout = Math.ceil(total * holdoutShare - 1e-9);
  return { total: treatment + holdout, treatment, holdout };
}

/** The p-quantile of Student's t with `degreesOfFreedom` (any positive real, as Welch needs). */
export function studentTQuantile(p: number, degreesOfFreedom: number): number {
  if (!(p > 0 && p < 1) || !(degreesOfFreedom > 0))
    throw new RangeError(`t quantile needs 0 < p < 1 and df > 0 (got ${p}, ${degreesOfFreedom}).`);
  if (degreesOfFreedom > 1e7) return normalQuantile(p);
  const logScale =
    logGamma((degreesOfFreedom + 1) / 2) - logGamma(degreesOfFreedom / 2) - 0.5 * Math.log(degreesOfFreedom * Math.PI);
  const density = (t: number): number =>
    Math.exp(logScale - ((degreesOfFreedom + 1) / 2) * Math.log1p((t * t) / degreesOfFreedom));
  return invertIncreasing((t) => studentTDistribution(t, degreesOfFreedom), density, p, normalQuantile(p));
}

/** P(T ≤ t) for Student's t. */
export function studentTDistribution(t: number, degreesOfFreedom: number): number {
  const tail = 0.5 * regularisedBeta(degreesOfFreedom / (degreesOfFreedom + t * t), degreesOfFreedom / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of the standard normal. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normal quantile needs 0 < p < 1 (got ${p}).`);
  const density = (z: number): number => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  // A logistic first guess (within ~0.1 in the body), then safeguarded Newton.
  return invertIncreasing(normalDistribution, density, p, Math.log(p / (1 - p)) / 1.702);
}

/** P(Z ≤ z) for the standard normal, via the regularised incomplete gamma P(1/2, z²/2). */
export function normalDistribution(z: number): number {
  const half = 0.5 * regularisedGammaUpper(0.5, (z * z) / 2);
  return z >= 0 ? 1 - half : half;
}

function lift(absolute: number, control: number, lower: number, upper: number): Lift {
  return {
    absolute,
    relative: control === 0 ? null : absolute / control,
    lower,
    upper,
    significant: lower > 0 || upper < 0,
  };
}

/** Solves cdf(x) = p for an increasing cdf: Newton steps, falling back to bisection inside a bracket. */
function invertIncreasing(
  cdf: (x: number) => number,
  density: (x: number) => number,
  p: number,
  guess: number,
): number {
  let low = -1;
  let high = 1;
  while (cdf(low) > p) low *= 2;
  while (cdf(high) < p) high *= 2;
  let x = Math.min(Math.max(guess, low), high);
  for (let iteration = 0; iteration < 200; iteration++) {
    const error = cdf(x) - p;
    if (error > 0) high = x;
    else low = x;
    const slope = density(x);
    let next = slope > 0 ? x - error / slope : Number.NaN;
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (Math.abs(next - x) <= 1e-14 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

const lanczos = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos, g = 7). */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = lanczos[0]!;
  for (let i = 1; i < lanczos.length; i++) sum += lanczos[i]! / (shifted + i);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** I_x(a, b), the regularised incomplete beta function (continued fraction, Numerical Recipes §6.4). */
function regularisedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let result = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    for (const numerator of [
      (m * (b - m) * x) / ((a + m2 - 1) * (a + m2)),
      (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)),
    ]) {
      d = 1 + numerator * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + numerator / c;
      if (Math.abs(c) < tiny) c = tiny;
      result *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return result;
}

/** Q(a, x) = Γ(a, x) / Γ(a), the upper regularised incomplete gamma (series or continued fraction). */
function regularisedGammaUpper(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - front * sum;
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let result = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    result *= d * c;
    if (Math.abs(d * c - 1) < 1e-16) break;
  }
  return front * result;
}
