import { describe, expect, it } from 'vitest';
import {
  compareMeans,
  compareRates,
  normalQuantile,
  requiredSampleSize,
  studentTDistribution,
  studentTQuantile,
  summariseMean,
  summariseRate,
  twoProportionPValue,
  welchDegreesOfFreedom,
  wilsonInterval,
} from './experiment-statistics.js';
import { seededRandom } from './random.js';

describe('quantiles', () => {
  it('match printed tables of the normal and Student t distributions', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 6);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.644854, 6);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 4);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.2281, 4);
    expect(studentTQuantile(0.95, 5)).toBeCloseTo(2.015, 4);
    expect(studentTQuantile(0.995, 30)).toBeCloseTo(2.75, 4);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.2281, 4);
    expect(studentTQuantile(0.975, 100_000)).toBeCloseTo(1.95998, 4);
  });

  it('invert the t distribution, including fractional degrees of freedom', () => {
    for (const df of [1.5, 9.708, 24.9]) {
      for (const p of [0.01, 0.3, 0.975]) expect(studentTDistribution(studentTQuantile(p, df), df)).toBeCloseTo(p, 12);
    }
  });
});

describe('wilsonInterval (Newcombe 1998a, table II)', () => {
  it('reproduces the published intervals', () => {
    const cases: [number, number, number, number][] = [
      [0, 10, 0, 0.2775],
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [successes, count, lower, upper] of cases) {
      const interval = wilsonInterval(successes, count);
      expect(interval.lower).toBeCloseTo(lower, 4);
      expect(interval.upper).toBeCloseTo(upper, 4);
    }
    expect(summariseRate(10, 10).upper).toBe(1);
  });
});

describe('twoProportionPValue', () => {
  it('matches the pooled z test computed with erfc', () => {
    // Reference values: erfc(|z| / √2) with z from the pooled standard error, in double precision.
    const cases: [number, number, number, number, number][] = [
      [56, 70, 48, 80, 0.008045081368196568],
      [5, 56, 0, 29, 0.09718656817057977],
      [20, 20, 10, 20, 0.00026072963285531743],
      [500, 1000, 400, 1000, 6.967931072849895e-6],
    ];
    for (const [a, m, b, n, expected] of cases) {
      const p = twoProportionPValue(summariseRate(a, m), summariseRate(b, n));
      expect(p / expected).toBeCloseTo(1, 9);
      expect(twoProportionPValue(summariseRate(b, n), summariseRate(a, m))).toBeCloseTo(p, 15);
    }
  });

  it('is 1 when the groups cannot differ', () => {
    expect(twoProportionPValue(summariseRate(7, 7), summariseRate(3, 3))).toBe(1);
    expect(twoProportionPValue(summariseRate(0, 7), summariseRate(0, 3))).toBe(1);
    expect(twoProportionPValue(summariseRate(3, 10), summariseRate(6, 20))).toBeCloseTo(1, 12);
  });
});

describe('compareRates: Newcombe hybrid score interval (Newcombe 1998b, method 10)', () => {
  it('reproduces the published examples', () => {
    const cases: [number, number, number, number, number, number][] = [
      [56, 70, 48, 80, 0.0524, 0.3339],
      [9, 10, 3, 10, 0.1705, 0.809],
      [5, 56, 0, 29, -0.0381, 0.1926],
    ];
    for (const [a, m, b, n, lower, upper] of cases) {
      const lift = compareRates(summariseRate(a, m), summariseRate(b, n));
      expect(lift.absolute).toBeCloseTo(a / m - b / n, 12);
      expect(lift.lower).toBeCloseTo(lower, 4);
      expect(lift.upper).toBeCloseTo(upper, 4);
    }
  });

  it('reports relative lift and significance', () => {
    const significant = compareRates(summariseRate(56, 70), summariseRate(48, 80));
    expect(significant.relative).toBeCloseTo(1 / 3, 12);
    expect(significant.significant).toBe(true);
    const unclear = compareRates(summariseRate(5, 56), summariseRate(0, 29));
    expect(unclear.relative).toBeNull();
    expect(unclear.significant).toBe(false);
  });
});

describe('means and Welch intervals', () => {
  it('gives a t interval for a mean', () => {
    // Values 1..10: mean 5.5, sd √(55/6), t(0.975, 9) = 2.2622.
    const summary = summariseMean([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(summary.mean).toBe(5.5);
    expect(summary.standardDeviation).toBeCloseTo(Math.sqrt(55 / 6), 12);
    expect(summary.upper - summary.mean).toBeCloseTo((2.262157 * Math.sqrt(55 / 6)) / Math.sqrt(10), 5);
  });

  it('reproduces a worked Welch example (ulcer 18.97 ± 8.06, n 10 vs normal 3.756 ± 2.017, n 16)', () => {
    const ulcer = { count: 10, mean: 18.97, standardDeviation: 8.06488 };
    const normal = { count: 16, mean: 3.75625, standardDeviation: 2.01659 };
    const lift = compareMeans(ulcer, normal, 0.99);
    expect(lift.degreesOfFreedom).toBeCloseTo(9.708, 3);
    expect(lift.standardError).toBeCloseTo(2.59969, 5);
    expect(lift.absolute).toBeCloseTo(15.21375, 10);
    // Published 99 % interval [6.9192, 23.5083], computed with t rounded to 3.1906.
    expect(lift.lower).toBeCloseTo(6.9192, 3);
    expect(lift.upper).toBeCloseTo(23.5083, 3);
    expect(lift.significant).toBe(true);
  });

  it('gives Welch df 35.2 for n = 20, s = 15 against n = 20, s = 20', () => {
    expect(
      welchDegreesOfFreedom({ count: 20, standardDeviation: 15 }, { count: 20, standardDeviation: 20 }),
    ).toBeCloseTo(35.2, 1);
  });

  it('covers the true difference about 95 % of the time in simulation', () => {
    const random = seededRandom(12);
    let covered = 0;
    const trials = 2000;
    for (let trial = 0; trial < trials; trial++) {
      const treated = Array.from({ length: 8 }, () => 1 + 3 * random.normal());
      const control = Array.from({ length: 25 }, () => random.normal());
      const lift = compareMeans(summariseMean(treated), summariseMean(control));
      if (lift.lower <= 1 && 1 <= lift.upper) covered++;
    }
    expect(Math.abs(covered / trials - 0.95)).toBeLessThan(0.015);
  });
});

describe('requiredSampleSize', () => {
  it('needs 3,841 per arm to move 10 % to 12 % with an even split', () => {
    // Worked by hand from the pooled/unpooled formula without continuity correction:
    // (1.95996·√(2·0.11·0.89) + 0.84162·√(0.09 + 0.1056))² / 0.02² = 3,840.9 per arm.
    expect(
      requiredSampleSize({ baselineRate: 0.1, minimumLift: { kind: 'points', value: 0.02 }, holdoutShare: 0.5 }),
    ).toEqual({
      total: 7682,
      treatment: 3841,
      holdout: 3841,
    });
    const relative = requiredSampleSize({
      baselineRate: 0.1,
      minimumLift: { kind: 'relative', value: 0.2 },
      holdoutShare: 0.5,
    });
    expect(relative.total).toBe(7682);
  });

  it('needs more subjects when the holdout is small', () => {
    const even = requiredSampleSize({
      baselineRate: 0.05,
      minimumLift: { kind: 'points', value: 0.01 },
      holdoutShare: 0.5,
    });
    const small = requiredSampleSize({
      baselineRate: 0.05,
      minimumLift: { kind: 'points', value: 0.01 },
      holdoutShare: 0.1,
    });
    expect(small.total).toBeGreaterThan(2.5 * even.total);
    expect(small.holdout / small.total).toBeCloseTo(0.1, 3);
  });

  it('delivers about 80 % power in simulation with a 20 % holdout', () => {
    const plan = { baselineRate: 0.1, minimumLift: { kind: 'points' as const, value: 0.03 }, holdoutShare: 0.2 };
    const size = requiredSampleSize(plan);
    const random = seededRandom(2024);
    const trials = 2000;
    let detected = 0;
    const draw = (count: number, rate: number): number => {
      let successes = 0;
      for (let i = 0; i < count; i++) if (random.next() < rate) successes++;
      return successes;
    };
    for (let trial = 0; trial < trials; trial++) {
      const treated = draw(size.treatment, 0.13);
      const held = draw(size.holdout, 0.1);
      const pooled = (treated + held) / (size.treatment + size.holdout);
      const z =
        (treated / size.treatment - held / size.holdout) /
        Math.sqrt(pooled * (1 - pooled) * (1 / size.treatment + 1 / size.holdout));
      if (Math.abs(z) > 1.959964) detected++;
    }
    expect(Math.abs(detected / trials - 0.8)).toBeLessThan(0.03);
  });

  it('refuses impossible plans', () => {
    expect(() =>
      requiredSampleSize({ baselineRate: 0.95, minimumLift: { kind: 'points', value: 0.1 }, holdoutShare: 0.5 }),
    ).toThrow(/between 0 and 1/);
    expect(() =>
      requiredSampleSize({ baselineRate: 0.1, minimumLift: { kind: 'points', value: 0.1 }, holdoutShare: 1 }),
    ).toThrow(/holdout share/);
  });
});
