// Notices when a person or account is quietly fading: recent whole weeks of an activity measured
// against the subject's own adaptive baseline, with a negative-binomial tail so that bursty but
// steady subjects are not flagged. Whole 7-day weeks make weekday patterns cancel out.

/** What the detector concluded about one subject's activity. */
export type DisengagementVerdict =
  | ({ kind: 'disengaging' } & WindowComparison)
  | ({ kind: 'normal' } & WindowComparison)
  | { kind: 'insufficient-history'; weeksObserved: number; reason: string };

/** The comparison behind a verdict: the recent window against the baseline built before it. */
export interface WindowComparison {
  baselinePerWeek: number;
  recentPerWeek: number;
  /** 1 − recent / baseline: 0.6 means activity fell by 60 %; negative when it rose. */
  dropShare: number;
  /** P(a window this quiet or quieter | the subject's usual behaviour), negative-binomial tail. */
  probability: number;
  windowWeeks: number;
  reason: string;
}

/**
 * The incremental state an engine keeps per subject and activity (plain JSON, for a metric row):
 * the newest weeks wait in `recentWeeks` and move into the exponentially weighted baseline once
 * they are older than the longest window, so a drop is never compared with itself.
 */
export interface ActivityBaseline {
  weeksInBaseline: number;
  /** Exponentially weighted mean of weekly counts. */
  mean: number;
  /** Exponentially weighted (biased) variance of weekly counts around that mean. */
  variance: number;
  /** Sum of the squared weights behind `mean`: its variance is σ² times this. */
  weightSquareSum: number;
  /** Counts of the most recent whole weeks, oldest first, at most the longest window. */
  recentWeeks: number[];
}

export interface DisengagementOptions {
  /** Recent windows compared, in whole weeks; the longest sets how far the baseline lags. */
  windowsWeeks: readonly number[];
  /** Whole weeks the baseline needs before any verdict other than insufficient-history. */
  minimumBaselineWeeks: number;
  /** A window is alarming only when its tail probability is below this. */
  probabilityThreshold: number;
  /** … and only when it fell by at least this share of the baseline. */
  minimumDrop: number;
  /** How fast the baseline forgets: a week's weight halves after this many newer weeks. */
  baselineHalfLifeWeeks: number;
  /** Prior guess of weekly overdispersion (negative-binomial size; smaller is burstier). */
  priorDispersionSize: number;
  /** Weight of that prior guess, in weeks of evidence. */
  priorVarianceWeeks: number;
  /** How much the excess variance is widened for being estimated: 1 + this / weeks of evidence. */
  varianceUncertaintyWeeks: number;
}

/**
 * Tuned on seeded simulations (reproductions/simulation-checks.ts, their figures in docs/models.md,
 * "Disengagement"): false alarms stay well under the 1 % a week target for steady and overdispersed
 * subjects alike, with three windows each tested at 0.003. Sparse subjects are slow to flag by nature:
 * at 3 a week, two weeks at 1.2 cannot be told from bad luck at any false-alarm rate near 1 %, so only
 * longer windows catch them.
 */
export const defaultDisengagementOptions: DisengagementOptions = {
  windowsWeeks: [1, 2, 4],
  minimumBaselineWeeks: 4,
  probabilityThreshold: 0.003,
  minimumDrop: 0.4,
  baselineHalfLifeWeeks: 8,
  priorDispersionSize: 30,
  priorVarianceWeeks: 2,
  varianceUncertaintyWeeks: 10,
};

/** A subject with nothing observed yet. */
export function emptyActivityBaseline(): ActivityBaseline {
  return { weeksInBaseline: 0, mean: 0, variance: 0, weightSquareSum: 0, recentWeeks: [] };
}

/** Folds one completed week into the state; call once per whole week, in order. */
export function recordWeek(
  state: ActivityBaseline,
  count: number,
  options: DisengagementOptions = defaultDisengagementOptions,
): ActivityBaseline {
  const recentWeeks = [...state.recentWeeks, count];
  if (options.windowsWeeks.length === 0) throw new Error('Disengagement needs at least one window.');
  const longest = Math.max(...options.windowsWeeks);
  let baseline: ActivityBaseline = { ...state, recentWeeks };
  while (baseline.recentWeeks.length > longest) {
    const [oldest, ...rest] = baseline.recentWeeks;
    baseline = { ...absorbWeek(baseline, oldest!, options), recentWeeks: rest };
  }
  return baseline;
}

/** Totals daily counts into whole 7-day weeks ending on the last day; a leading partial week is dropped. */
export function weeklyCounts(dailyCounts: readonly number[]): number[] {
  const weeks: number[] = [];
  for (let end = dailyCounts.length; end - 7 >= 0; end -= 7) {
    let total = 0;
    for (let day = end - 7; day < end; day++) total += dailyCounts[day]!;
    weeks.unshift(total);
  }
  return weeks;
}

/** Batch form: judges a series of daily counts (oldest first) as of its last day. */
export function detectDisengagement(
  dailyCounts: readonly number[],
  activity: string,
  options: DisengagementOptions = defaultDisengagementOptions,
): DisengagementVerdict {
  let state = emptyActivityBaseline();
  for (const count of weeklyCounts(dailyCounts)) state = recordWeek(state, count, options);
  return assessDisengagement(state, activity, options);
}

/**
 * Judges the most recent weeks against the subject's own baseline. Every window with enough history
 * behind it is tested; the verdict reports the most surprising window that meets both the tail
 * and the material-drop conditions, or else the most surprising window overall.
 */
export function assessDisengagement(
  state: ActivityBaseline,
  activity: string,
  options: DisengagementOptions = defaultDisengagementOptions,
): DisengagementVerdict {
  const weeksObserved = state.weeksInBaseline + state.recentWeeks.length;
  const comparisons: WindowComparison[] = [];
  for (const windowWeeks of options.windowsWeeks) {
    const olderWeeks = state.recentWeeks.length - windowWeeks;
    if (olderWeeks < 0 || state.weeksInBaseline + olderWeeks < options.minimumBaselineWeeks) continue;
    let baseline = state;
    for (const count of state.recentWeeks.slice(0, olderWeeks)) baseline = absorbWeek(baseline, count, options);
    const recentTotal = sum(state.recentWeeks.slice(olderWeeks));
    comparisons.push(compareWindow(baseline, recentTotal, windowWeeks, activity, options));
  }
  if (comparisons.length === 0) {
    return {
      kind: 'insufficient-history',
      weeksObserved,
      reason:
        `only ${weeksObserved} whole week${weeksObserved === 1 ? '' : 's'} of ${activity} observed; ` +
        `${options.minimumBaselineWeeks + Math.min(...options.windowsWeeks)} are needed before judging a drop`,
    };
  }
  const alarming = comparisons.filter(
    (c) => c.probability < options.probabilityThreshold && c.dropShare >= options.minimumDrop,
  );
  const pool = alarming.length > 0 ? alarming : comparisons;
  const chosen = pool.reduce((best, c) => (c.probability < best.probability ? c : best));
  if (alarming.length > 0) {
    return {
      kind: 'disengaging',
      ...chosen,
      reason:
        `${activity} fell from about ` +
        `${formatRate(chosen.baselinePerWeek)} a week to ${formatRate(chosen.recentPerWeek)}`,
    };
  }
  return { kind: 'normal', ...chosen };
}

function compareWindow(
  baseline: ActivityBaseline,
  recentTotal: number,
  windowWeeks: number,
  activity: string,
  options: DisengagementOptions,
): WindowComparison {
  const mean = baseline.mean;
  const recentPerWeek = recentTotal / windowWeeks;
  const dropShare = mean > 0 ? 1 - recentPerWeek / mean : 0;
  // Predictive spread of a window's total: the weeks' own variance plus the baseline's uncertainty.
  const weeklyVariance =
    mean + Math.max(0, shrunkVariance(baseline, options) - mean) * excessInflation(baseline, options);
  const predictedMean = windowWeeks * mean;
  const predictedVariance =
    windowWeeks * weeklyVariance + windowWeeks * windowWeeks * weeklyVariance * baseline.weightSquareSum;
  const probability = mean > 0 ? negativeBinomialLowerTail(recentTotal, predictedMean, predictedVariance) : 1;
  return {
    baselinePerWeek: mean,
    recentPerWeek,
    dropShare,
    probability,
    windowWeeks,
    reason: `${activity} at about ${formatRate(recentPerWeek)} a week, against a usual ${formatRate(mean)}`,
  };
}

/** The weekly variance estimate, shrunk toward a modestly overdispersed prior while history is short. */
function shrunkVariance(baseline: ActivityBaseline, options: DisengagementOptions): number {
  const mean = baseline.mean;
  const priorVariance = mean + (mean * mean) / options.priorDispersionSize;
  const freedom = varianceFreedom(baseline);
  const sampleVariance = freedom > 0 ? baseline.variance / (1 - baseline.weightSquareSum) : 0;
  return (
    (freedom * sampleVariance + options.priorVarianceWeeks * priorVariance) / (freedom + options.priorVarianceWeeks)
  );
}

/**
 * The variance is itself estimated from few weeks, so a plug-in tail is too thin far out (as a t
 * quantile exceeds the normal one); the excess over Poisson is widened by 1 + k / degrees of freedom.
 */
function excessInflation(baseline: ActivityBaseline, options: DisengagementOptions): number {
  return 1 + options.varianceUncertaintyWeeks / (varianceFreedom(baseline) + options.priorVarianceWeeks);
}

function varianceFreedom(baseline: ActivityBaseline): number {
  return baseline.weightSquareSum > 0 ? Math.max(0, 1 / baseline.weightSquareSum - 1) : 0;
}

/** Exponentially weighted update: a plain mean while young, a forgetting average once older. */
function absorbWeek(state: ActivityBaseline, count: number, options: DisengagementOptions): ActivityBaseline {
  const weeks = state.weeksInBaseline + 1;
  const forgetting = 1 - 2 ** (-1 / options.baselineHalfLifeWeeks);
  const weight = Math.max(1 / weeks, forgetting);
  const difference = count - state.mean;
  return {
    weeksInBaseline: weeks,
    mean: state.mean + weight * difference,
    variance: (1 - weight) * (state.variance + weight * difference * difference),
    weightSquareSum: (1 - weight) * (1 - weight) * state.weightSquareSum + weight * weight,
    recentWeeks: state.recentWeeks,
  };
}

/**
 * P(X ≤ observed) for a count with the given mean and variance: negative binomial when the variance
 * exceeds the mean, Poisson otherwise. Sums downward from `observed` in log space, so large counts
 * neither overflow nor cost a term per unit below the mode.
 */
export function negativeBinomialLowerTail(observed: number, mean: number, variance: number): number {
  if (observed < 0) return 0;
  if (mean <= 0) return 1;
  const top = Math.floor(observed);
  const poisson = variance <= mean * (1 + 1e-9);
  const size = poisson ? Infinity : (mean * mean) / (variance - mean);
  const logPmf = (k: number): number =>
    poisson
      ? k * Math.log(mean) - mean - logGamma(k + 1)
      : logGamma(k + size) -
        logGamma(size) -
        logGamma(k + 1) +
        size * Math.log(size / (size + mean)) +
        k * Math.log(mean / (size + mean));
  const logTop = logPmf(top);
  // Terms relative to pmf(top): ratio pmf(k−1)/pmf(k) = k / (mean) or k (size+mean) / ((k−1+size) mean).
  let relative = 1;
  let total = 1;
  for (let k = top; k > 0; k--) {
    const ratio = poisson ? k / mean : (k * (size + mean)) / ((k - 1 + size) * mean);
    relative *= ratio;
    total += relative;
    if (ratio < 1 && relative < total * 1e-15) break;
  }
  return Math.min(1, Math.exp(logTop + Math.log(total)));
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7), accurate to about 1e-13 relative. */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const shifted = x - 1;
  let series = coefficients[0]!;
  for (let i = 1; i < coefficients.length; i++) series += coefficients[i]! / (shifted + i);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(series);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Rates in words: whole numbers from 3 a week up, one decimal below that. */
function formatRate(perWeek: number): string {
  return perWeek >= 3 ? String(Math.round(perWeek)) : String(Math.round(perWeek * 10) / 10);
}
