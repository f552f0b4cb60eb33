import { describe, expect, it } from 'vitest';
import { fitLogisticRegression, predictProbabilities, predictProbability } from './logistic-regression.js';
import { seededRandom } from './random.js';

/** Draws records from a known logistic model. */
function simulate(count: number, intercept: number, coefficients: number[], seed: number) {
  const random = seededRandom(seed);
  const design: number[][] = [];
  const outcomes: number[] = [];
  for (let i = 0; i < count; i++) {
    const row = coefficients.map(() => random.normal());
    const score = intercept + row.reduce((sum, value, j) => sum + value * coefficients[j]!, 0);
    design.push(row);
    outcomes.push(random.next() < 1 / (1 + Math.exp(-score)) ? 1 : 0);
  }
  return { design, outcomes };
}

describe('fitLogisticRegression', () => {
  it('recovers the coefficients of simulated data', () => {
    const truth = [1.5, -0.8, 0];
    const { design, outcomes } = simulate(20_000, -1, truth, 7);
    const model = fitLogisticRegression(design, outcomes, { penalty: 0.01 });
    expect(model.intercept).toBeCloseTo(-1, 1);
    model.coefficients.forEach((coefficient, j) => expect(Math.abs(coefficient - truth[j]!)).toBeLessThan(0.06));
  });

  it('sits at the penalised optimum: the gradient is zero', () => {
    const { design, outcomes } = simulate(500, 0.3, [0.7, -1.2], 3);
    const penalty = 2;
    const model = fitLogisticRegression(design, outcomes, { penalty });
    const probabilities = predictProbabilities(model, design);
    const residuals = probabilities.map((p, r) => p - outcomes[r]!);
    expect(Math.abs(residuals.reduce((sum, value) => sum + value, 0))).toBeLessThan(1e-8);
    for (let j = 0; j < 2; j++) {
      const gradient =
        residuals.reduce((sum, value, r) => sum + value * design[r]![j]!, 0) + penalty * model.coefficients[j]!;
      expect(Math.abs(gradient)).toBeLessThan(1e-8);
    }
  });

  it('stays finite when a feature separates the classes perfectly', () => {
    const design = [[-2], [-1], [1], [2]];
    const model = fitLogisticRegression(design, [0, 0, 1, 1], { penalty: 1 });
    expect(Number.isFinite(model.coefficients[0])).toBe(true);
    expect(predictProbability(model, [2])).toBeGreaterThan(0.5);
    expect(predictProbability(model, [-2])).toBeLessThan(0.5);
  });

  it('is deterministic', () => {
    const { design, outcomes } = simulate(300, 0, [1], 11);
    expect(fitLogisticRegression(design, outcomes)).toEqual(fitLogisticRegression(design, outcomes));
  });

  it('matches the base rate with no features', () => {
    const model = fitLogisticRegression([[], [], [], []], [1, 0, 0, 0]);
    expect(predictProbability(model, [])).toBeCloseTo(0.25, 10);
  });
});
