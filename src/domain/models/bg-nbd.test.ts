// BG/NBD on closed forms and on customers simulated (seeded) from known parameters.
import { describe, expect, it } from 'vitest';
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdExpectedPurchases,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  fitBgNbd,
  type BgNbdParameters,
} from './bg-nbd.js';
import { groupHistories, type CustomerHistory } from './customer-summary.js';
import { seededRandom } from './random.js';

const truth: BgNbdParameters = { r: 0.8, alpha: 6, a: 0.9, b: 3 };

/** Customers acquired uniformly over the first 12 weeks, observed to week 39 (continuous time). */
function simulate(parameters: BgNbdParameters, customers: number, seed: number): CustomerHistory[] {
  const random = seededRandom(seed);
  const histories: CustomerHistory[] = [];
  for (let i = 0; i < customers; i++) {
    const rate = random.gamma(parameters.r, parameters.alpha);
    const dropout = random.beta(parameters.a, parameters.b);
    const start = random.next() * 12;
    let time = start;
    let frequency = 0;
    let last = start;
    for (;;) {
      time += random.exponential(rate);
      if (time > 39) break;
      frequency++;
      last = time;
      if (random.next() < dropout) break;
    }
    histories.push({ frequency, recency: last - start, age: 39 - start });
  }
  return histories;
}

describe('BG/NBD likelihood', () => {
  it('reduces to (α/(α+T))^r for a customer without repeats', () => {
    const T = 20;
    const expected = truth.r * Math.log(truth.alpha / (truth.alpha + T));
    expect(bgNbdLogLikelihood(truth, [{ frequency: 0, recency: 0, age: T, count: 1 }])).toBeCloseTo(expected, 12);
  });

  it('weights a group by its count', () => {
    const single = bgNbdLogLikelihood(truth, [{ frequency: 3, recency: 10, age: 30, count: 1 }]);
    expect(bgNbdLogLikelihood(truth, [{ frequency: 3, recency: 10, age: 30, count: 7 }])).toBeCloseTo(7 * single, 10);
  });
});

describe('BG/NBD predictions', () => {
  it('P(alive) is 1 without repeats and falls with a long silence', () => {
    expect(bgNbdProbabilityAlive(truth, { frequency: 0, recency: 0, age: 30 })).toBe(1);
    const recent = bgNbdProbabilityAlive(truth, { frequency: 4, recency: 29, age: 30 });
    const silent = bgNbdProbabilityAlive(truth, { frequency: 4, recency: 5, age: 30 });
    expect(recent).toBeGreaterThan(silent);
    expect(silent).toBeGreaterThan(0);
  });

  it('E[X(t)] starts at rate r/α and matches a simulation of new customers', () => {
    expect(bgNbdExpectedPurchases(truth, 1e-4) / 1e-4).toBeCloseTo(truth.r / truth.alpha, 4);
    const random = seededRandom(11);
    const horizon = 26;
    const customers = 100_000;
    let total = 0;
    let squares = 0;
    for (let i = 0; i < customers; i++) {
      const rate = random.gamma(truth.r, truth.alpha);
      const dropout = random.beta(truth.a, truth.b);
      let time = random.exponential(rate);
      let count = 0;
      while (time <= horizon) {
        count++;
        if (random.next() < dropout) break;
        time += random.exponential(rate);
      }
      total += count;
      squares += count * count;
    }
    const mean = total / customers;
    const standardError = Math.sqrt((squares / customers - mean * mean) / customers);
    expect(Math.abs(bgNbdExpectedPurchases(truth, horizon) - mean)).toBeLessThan(3 * standardError);
  });

  it('the conditional expectation of a brand-new customer is E[X(t)]', () => {
    const fresh = { frequency: 0, recency: 0, age: 0 };
    expect(bgNbdConditionalExpectedPurchases(truth, fresh, 13)).toBeCloseTo(bgNbdExpectedPurchases(truth, 13), 12);
  });
});

describe('fitBgNbd', () => {
  it('recovers the parameters of simulated customers and beats the truth’s likelihood', () => {
    const groups = groupHistories(simulate(truth, 15_000, 3));
    const fit = fitBgNbd(groups);
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(15_000);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdLogLikelihood(truth, groups));
    expect(Math.abs(fit.parameters.r / truth.r - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.parameters.alpha / truth.alpha - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.parameters.a / truth.a - 1)).toBeLessThan(0.3);
    expect(Math.abs(fit.parameters.b / truth.b - 1)).toBeLessThan(0.3);
  });

  it('reaches a true maximum on large data too (starts screened on a sample, then polished)', () => {
    const groups = groupHistories(simulate(truth, 40_000, 5));
    const fit = fitBgNbd(groups);
    const keys = ['r', 'alpha', 'a', 'b'] as const;
    for (const key of keys) {
      for (const factor of [0.999, 1.001]) {
        const nudged = { ...fit.parameters, [key]: fit.parameters[key] * factor };
        expect(bgNbdLogLikelihood(nudged, groups)).toBeLessThan(fit.logLikelihood);
      }
    }
  });
});
