// Gamma-gamma: likelihood against its definition, recovery from seeded simulated spend, and shrinkage.
import { describe, expect, it } from 'vitest';
import {
  fitGammaGamma,
  gammaGammaExpectedOrderValue,
  gammaGammaLogLikelihood,
  gammaGammaPopulationMeanValue,
  type GammaGammaParameters,
  type SpendHistory,
} from './gamma-gamma.js';
import { seededRandom } from './random.js';
import { logGamma } from './special-functions.js';

const truth: GammaGammaParameters = { p: 4, q: 5, gamma: 60 };

function simulate(customers: number, seed: number): SpendHistory[] {
  const random = seededRandom(seed);
  const histories: SpendHistory[] = [];
  for (let i = 0; i < customers; i++) {
    const frequency = 1 + random.integer(8);
    const scale = random.gamma(truth.q, truth.gamma); // the customer's rate ν
    let spend = 0;
    for (let k = 0; k < frequency; k++) spend += random.gamma(truth.p, scale);
    histories.push({ frequency, averageValue: spend / frequency });
  }
  return histories;
}

describe('gamma-gamma', () => {
  it('a single order (x = 1) has the density of a gamma mixed over a gamma rate', () => {
    // z | ν ~ Gamma(p, ν), ν ~ Gamma(q, γ): f(z) = Γ(p+q)/(Γ(p)Γ(q)) γ^q z^(p−1) / (γ+z)^(p+q).
    const z = 42;
    const { p, q, gamma } = truth;
    const expected =
      logGamma(p + q) -
      logGamma(p) -
      logGamma(q) +
      q * Math.log(gamma) +
      (p - 1) * Math.log(z) -
      (p + q) * Math.log(gamma + z);
    expect(gammaGammaLogLikelihood(truth, [{ frequency: 1, averageValue: z }])).toBeCloseTo(expected, 12);
  });

  it('recovers p, q, γ from simulated repeat customers', () => {
    const histories = simulate(20_000, 4);
    const fit = fitGammaGamma([...histories, { frequency: 0, averageValue: 0 }]);
    expect(fit.customers).toBe(20_000);
    expect(fit.converged).toBe(true);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(truth, histories));
    expect(Math.abs(fit.parameters.p / truth.p - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.parameters.q / truth.q - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.parameters.gamma / truth.gamma - 1)).toBeLessThan(0.15);
  });

  it('shrinks toward the population mean pγ/(q−1), less as orders accumulate', () => {
    const population = gammaGammaPopulationMeanValue(truth);
    expect(population).toBeCloseTo(60, 12);
    expect(gammaGammaExpectedOrderValue(truth, { frequency: 0, averageValue: 0 })).toBeCloseTo(population, 12);
    const few = gammaGammaExpectedOrderValue(truth, { frequency: 1, averageValue: 120 });
    const many = gammaGammaExpectedOrderValue(truth, { frequency: 50, averageValue: 120 });
    expect(few).toBeGreaterThan(population);
    expect(many).toBeGreaterThan(few);
    expect(many).toBeLessThan(120);
    expect(gammaGammaPopulationMeanValue({ ...truth, q: 0.8 })).toBe(Number.POSITIVE_INFINITY);
  });
});
