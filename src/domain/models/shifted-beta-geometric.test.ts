// sBG: the probabilities against their definitions, the paper's fits, censored cohorts, DERL against its sum,
// and the errors a user's survivor counts run into.
import { describe, expect, it } from 'vitest';
import { ModelInputError } from './model-input-error.js';
import { seededRandom } from './random.js';
import {
  churnInPeriod,
  discountedExpectedResidualLifetime,
  fitShiftedBetaGeometric,
  fitShiftedBetaGeometricToLifetimes,
  projectSurvival,
  retentionRate,
  survivalAfter,
  TooFewToJudgeError,
} from './shifted-beta-geometric.js';
import { logBeta } from './special-functions.js';

const highEnd = [1000, 869, 743, 653, 593, 551, 517, 491];
const regular = [1000, 631, 468, 382, 326, 289, 262, 241];

describe('sBG probabilities', () => {
  it('follow the paper: P(1) = α/(α+β), the recursion for P(t), S(t) = B(α, β+t)/B(α, β), r_t', () => {
    const [alpha, beta] = [0.7, 1.2];
    expect(churnInPeriod(alpha, beta, 1)).toBeCloseTo(alpha / (alpha + beta), 14);
    for (let t = 2; t <= 30; t++) {
      expect(churnInPeriod(alpha, beta, t)).toBeCloseTo(
        (churnInPeriod(alpha, beta, t - 1) * (beta + t - 2)) / (alpha + beta + t - 1),
        14,
      );
    }
    expect(survivalAfter(alpha, beta, 0)).toBe(1);
    for (let t = 1; t <= 30; t++) {
      expect(survivalAfter(alpha, beta, t)).toBeCloseTo(Math.exp(logBeta(alpha, beta + t) - logBeta(alpha, beta)), 12);
      expect(survivalAfter(alpha, beta, t - 1) - survivalAfter(alpha, beta, t)).toBeCloseTo(
        churnInPeriod(alpha, beta, t),
        14,
      );
      expect(retentionRate(alpha, beta, t)).toBeCloseTo(
        survivalAfter(alpha, beta, t) / survivalAfter(alpha, beta, t - 1),
        14,
      );
    }
  });

  it('refuses a period that is not a whole number', () => {
    expect(() => churnInPeriod(1, 1, 0)).toThrow(ModelInputError);
    expect(() => survivalAfter(1, 1, 1.5)).toThrow('whole number ≥ 0 (got 1.5)');
  });
});

describe('fitShiftedBetaGeometric', () => {
  it('reproduces Fader & Hardie (2007): high end α 0.668, β 3.806, LL −1611.2; regular α 0.704, β 1.182', () => {
    const high = fitShiftedBetaGeometric(highEnd);
    expect(high.alpha.toFixed(3)).toBe('0.668');
    expect(high.beta.toFixed(3)).toBe('3.806');
    expect(high.logLikelihood.toFixed(1)).toBe('-1611.2');
    expect(high).toMatchObject({ periods: 7, cohortSize: 1000 });
    const low = fitShiftedBetaGeometric(regular);
    expect(low.alpha.toFixed(3)).toBe('0.704');
    expect(low.beta.toFixed(3)).toBe('1.182');
    expect(low.logLikelihood.toFixed(1)).toBe('-1680.3');
  });

  it("projects the survival: years 1–7 within 2 % of the data (year 2 is the paper's blip), then beyond", () => {
    const fit = fitShiftedBetaGeometric(highEnd);
    const projected = projectSurvival(fit, 12);
    expect(projected).toHaveLength(12);
    for (let t = 1; t <= 7; t++) expect(Math.abs(projected[t - 1]! * 1000 - highEnd[t]!)).toBeLessThan(20);
    expect(projected[11]).toBeCloseTo(survivalAfter(fit.alpha, fit.beta, 12), 14);
    expect((projected[11]! * 1000).toFixed(0)).toBe('378');
  });

  it('recovers α and β from a simulated cohort of 20,000 (each customer a coin of their own)', () => {
    const random = seededRandom(5);
    const truth = { alpha: 1.5, beta: 4 };
    const survivors = Array.from({ length: 9 }, () => 0);
    for (let customer = 0; customer < 20_000; customer++) {
      const churn = random.beta(truth.alpha, truth.beta);
      for (let t = 0; t < survivors.length; t++) {
        if (t > 0 && random.next() < churn) break;
        survivors[t]!++;
      }
    }
    const fit = fitShiftedBetaGeometric(survivors);
    expect(Math.abs(fit.alpha - truth.alpha) / truth.alpha).toBeLessThan(0.15);
    expect(Math.abs(fit.beta - truth.beta) / truth.beta).toBeLessThan(0.15);
  });

  it('names what is wrong with the survivors', () => {
    expect(() => fitShiftedBetaGeometric([1000, 869, 653, 743])).toThrow(
      'survivors must not increase: 743 after 653 in period 3',
    );
    expect(() => fitShiftedBetaGeometric([100, 86.9])).toThrow('86.9 in period 1');
    expect(() => fitShiftedBetaGeometric([1000])).toThrow('at least one period');
    expect(() => fitShiftedBetaGeometric([1000, 1000, 1000])).toThrow('Too few to judge');
    expect(() => fitShiftedBetaGeometric([1000, 0])).toThrow('Too few to judge');
    expect(() => fitShiftedBetaGeometric([0, 0])).toThrow(ModelInputError);
    // One period gives the churn share, not how it varies across customers: α and β lie anywhere on a ridge.
    expect(() => fitShiftedBetaGeometric([1000, 900])).toThrow('counts from at least two periods');
  });
});

describe('fitShiftedBetaGeometricToLifetimes', () => {
  it('gives the survivors fit when everyone is observed to the same end', () => {
    const lostInPeriod = highEnd.slice(1).map((count, i) => highEnd[i]! - count);
    const fit = fitShiftedBetaGeometricToLifetimes({ lostInPeriod, stillActiveAfter: [0, 0, 0, 0, 0, 0, 491] });
    expect(fit.alpha).toBeCloseTo(fitShiftedBetaGeometric(highEnd).alpha, 5);
  });

  it('uses censored customers at their own horizon: LL = Σ lost ln P(t) + Σ active ln S(t)', () => {
    // Two cohorts of the high end pooled: one observed 7 years, one only 3 (its 653 survivors censored at 3).
    const lostInPeriod = [262, 252, 180, 60, 42, 34, 26];
    const stillActiveAfter = [0, 0, 653, 0, 0, 0, 491];
    const fit = fitShiftedBetaGeometricToLifetimes({ lostInPeriod, stillActiveAfter });
    const direct =
      lostInPeriod.reduce((total, lost, i) => total + lost * Math.log(churnInPeriod(fit.alpha, fit.beta, i + 1)), 0) +
      653 * Math.log(survivalAfter(fit.alpha, fit.beta, 3)) +
      491 * Math.log(survivalAfter(fit.alpha, fit.beta, 7));
    expect(fit.logLikelihood).toBeCloseTo(direct, 8);
    expect(fit).toMatchObject({ periods: 7, cohortSize: 2000 });
    // Roughly the high end's parameters, since the second cohort is its first three years again.
    expect(fit.alpha / (fit.alpha + fit.beta)).toBeCloseTo(0.668 / (0.668 + 3.806), 1);
  });

  it('says a cohort with nobody lost, or nobody left, is too few to judge, with the reason on the error', () => {
    const error = (() => {
      try {
        fitShiftedBetaGeometricToLifetimes({ lostInPeriod: [5], stillActiveAfter: [20] });
      } catch (thrown) {
        return thrown;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(TooFewToJudgeError);
    expect(error).toBeInstanceOf(ModelInputError);
    expect((error as TooFewToJudgeError).reason).toBe('counts from at least two periods (all of these are from one)');
    expect(() => fitShiftedBetaGeometricToLifetimes({ lostInPeriod: [0, 0], stillActiveAfter: [3, 4] })).toThrow(
      'Too few to judge',
    );
    expect(() => fitShiftedBetaGeometricToLifetimes({ lostInPeriod: [2], stillActiveAfter: [] })).toThrow(
      '2 lost and 0 still active',
    );
    expect(() => fitShiftedBetaGeometricToLifetimes({ lostInPeriod: [-1], stillActiveAfter: [3] })).toThrow(
      'lostInPeriod must hold whole numbers ≥ 0: -1 for period 1',
    );
  });
});

describe('discountedExpectedResidualLifetime', () => {
  /** Σ_{t>n} S(t)/S(n) · (1+d)^−(t−n−1), summed until the terms vanish. */
  function bruteForce(alpha: number, beta: number, discountRate: number, renewals: number): number {
    let total = 0;
    for (let t = renewals + 1; t < renewals + 100_000; t++) {
      const term = (survivalRatio(alpha, beta, renewals, t) as number) / (1 + discountRate) ** (t - renewals - 1);
      total += term;
      if (term < 1e-16 * total) break;
    }
    return total;
  }
  const survivalRatio = (alpha: number, beta: number, from: number, to: number): number =>
    Math.exp(logBeta(alpha, beta + to) - logBeta(alpha, beta + from));

  it.each([
    [0.668, 3.806, 0.1, 7],
    [0.704, 1.182, 0.1, 0],
    [0.2, 0.1, 0.2, 3],
    [5, 50, 0.05, 100],
    [50, 2000, 0.02, 40],
    [1.5, 4, 0.01, 12],
  ])('α %f, β %f, d %f after %i renewals equals the sum', (alpha, beta, discountRate, renewals) => {
    const value = discountedExpectedResidualLifetime(alpha, beta, discountRate, renewals);
    expect(Math.abs(value - bruteForce(alpha, beta, discountRate, renewals)) / value).toBeLessThan(1e-8);
  });

  it('matches the high end example of jdmaturen/shifted_beta_geometric_py (7.530 at 10 %, after 7 renewals)', () => {
    const fit = fitShiftedBetaGeometric(highEnd);
    expect(discountedExpectedResidualLifetime(fit.alpha, fit.beta, 0.1, 7).toFixed(3)).toBe('7.530');
  });

  it('is (β+n)/(α−1) undiscounted when α > 1, and infinite when α ≤ 1', () => {
    expect(discountedExpectedResidualLifetime(2, 3, 0, 4)).toBeCloseTo(7, 8);
    expect(discountedExpectedResidualLifetime(0.5, 3, 0, 2)).toBe(Number.POSITIVE_INFINITY);
    expect(() => discountedExpectedResidualLifetime(1, 1, -0.1, 0)).toThrow('discount rate');
  });
});
