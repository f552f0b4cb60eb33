// Pareto/NBD: the 2F1 likelihood against direct numerical integration, predictions against
// simulation, and recovery of known parameters from seeded simulated customers.
import { describe, expect, it } from 'vitest';
import { groupHistories, type CustomerHistory } from './customer-summary.js';
import {
  fitParetoNbd,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  type ParetoNbdParameters,
} from './pareto-nbd.js';
import { seededRandom } from './random.js';
import { logGamma } from './special-functions.js';

const truth: ParetoNbdParameters = { r: 0.6, alpha: 8, s: 0.7, beta: 12 };

/**
 * The likelihood as FHL (2005) write it before integrating:
 * Γ(r+x)αʳβˢ/Γ(r) · [(α+T)^−(r+x) (β+T)^−s + s ∫ₜₓᵀ (α+τ)^−(r+x) (β+τ)^−(s+1) dτ],
 * by Simpson's rule.
 */
function integratedLogLikelihood(
  { r, alpha, s, beta }: ParetoNbdParameters,
  { frequency: x, recency, age }: CustomerHistory,
): number {
  const steps = 20_000;
  const width = (age - recency) / steps;
  let integral = 0;
  for (let i = 0; i <= steps; i++) {
    const tau = recency + i * width;
    const weight = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
    integral += weight * (alpha + tau) ** -(r + x) * (beta + tau) ** -(s + 1);
  }
  integral *= width / 3;
  const alive = (alpha + age) ** -(r + x) * (beta + age) ** -s;
  return logGamma(r + x) - logGamma(r) + r * Math.log(alpha) + s * Math.log(beta) + Math.log(alive + s * integral);
}

function simulate(parameters: ParetoNbdParameters, customers: number, seed: number): CustomerHistory[] {
  const random = seededRandom(seed);
  const histories: CustomerHistory[] = [];
  for (let i = 0; i < customers; i++) {
    const rate = random.gamma(parameters.r, parameters.alpha);
    const start = random.next() * 12;
    const end = Math.min(39, start + random.exponential(random.gamma(parameters.s, parameters.beta)));
    let time = start + random.exponential(rate);
    let frequency = 0;
    let last = start;
    while (time <= end) {
      frequency++;
      last = time;
      time += random.exponential(rate);
    }
    histories.push({ frequency, recency: last - start, age: 39 - start });
  }
  return histories;
}

describe('Pareto/NBD likelihood', () => {
  const histories: CustomerHistory[] = [
    { frequency: 0, recency: 0, age: 30 },
    { frequency: 2, recency: 12.5, age: 38 },
    { frequency: 26, recency: 30.857, age: 31 },
    { frequency: 5, recency: 2, age: 35 },
  ];
  const parameterSets: ParetoNbdParameters[] = [
    truth, // α < β
    { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.656 }, // CDNOW
    { r: 2, alpha: 40, s: 1.5, beta: 3 }, // α > β, z near 1
    { r: 0.4, alpha: 0.5, s: 3, beta: 200 }, // α ≪ β, z near 1
    { r: 1, alpha: 5, s: 1, beta: 5 }, // α = β, z = 0
  ];
  it.each(parameterSets)('matches numerical integration of the dropout time (%o)', (parameters) => {
    for (const history of histories) {
      const grouped = paretoNbdLogLikelihood(parameters, [{ ...history, count: 1 }]);
      expect(Math.abs(grouped - integratedLogLikelihood(parameters, history))).toBeLessThan(1e-8);
    }
  });
});

describe('Pareto/NBD predictions', () => {
  it('E[X(t)] matches a simulation of new customers and starts at rate r/α', () => {
    expect(paretoNbdExpectedPurchases(truth, 1e-4) / 1e-4).toBeCloseTo(truth.r / truth.alpha, 4);
    const random = seededRandom(17);
    const horizon = 30;
    const customers = 100_000;
    let total = 0;
    let squares = 0;
    for (let i = 0; i < customers; i++) {
      const rate = random.gamma(truth.r, truth.alpha);
      const lifetime = Math.min(horizon, random.exponential(random.gamma(truth.s, truth.beta)));
      const count = random.poisson(rate * lifetime);
      total += count;
      squares += count * count;
    }
    const mean = total / customers;
    const standardError = Math.sqrt((squares / customers - mean * mean) / customers);
    expect(Math.abs(paretoNbdExpectedPurchases(truth, horizon) - mean)).toBeLessThan(3 * standardError);
  });

  it('a brand-new customer is alive and expects E[X(t)]; s = 1 takes the logarithmic limit', () => {
    const fresh = { frequency: 0, recency: 0, age: 0 };
    expect(paretoNbdProbabilityAlive(truth, fresh)).toBeCloseTo(1, 12);
    expect(paretoNbdConditionalExpectedPurchases(truth, fresh, 20)).toBeCloseTo(
      paretoNbdExpectedPurchases(truth, 20),
      12,
    );
    const unit = { ...truth, s: 1 };
    const near = { ...truth, s: 1 + 1e-7 };
    expect(paretoNbdExpectedPurchases(unit, 20)).toBeCloseTo(paretoNbdExpectedPurchases(near, 20), 6);
  });

  it('P(alive) falls with silence', () => {
    const recent = paretoNbdProbabilityAlive(truth, { frequency: 4, recency: 29, age: 30 });
    const silent = paretoNbdProbabilityAlive(truth, { frequency: 4, recency: 5, age: 30 });
    expect(recent).toBeGreaterThan(silent);
    expect(silent).toBeGreaterThan(0);
  });
});

describe('fitParetoNbd', () => {
  it('recovers the parameters of simulated customers and beats the truth’s likelihood', () => {
    const groups = groupHistories(simulate(truth, 15_000, 9));
    const fit = fitParetoNbd(groups);
    expect(fit.converged).toBe(true);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(paretoNbdLogLikelihood(truth, groups));
    expect(Math.abs(fit.parameters.r / truth.r - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.parameters.alpha / truth.alpha - 1)).toBeLessThan(0.15);
    // s and β are weakly identified over 39 weeks: their ratio (the mean dropout rate) is the firm part.
    expect(Math.abs(fit.parameters.s / fit.parameters.beta / (truth.s / truth.beta) - 1)).toBeLessThan(0.15);
  });
});
