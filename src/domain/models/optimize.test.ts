// The minimisers on textbook surfaces with known minima.
import { describe, expect, it } from 'vitest';
import { bfgs, minimise, nelderMead, type Objective } from './optimize.js';

const rosenbrock: Objective = (p) => {
  let sum = 0;
  for (let i = 0; i + 1 < p.length; i++) sum += 100 * (p[i + 1]! - p[i]! ** 2) ** 2 + (1 - p[i]!) ** 2;
  return sum;
};
// A tilted double well: local minimum near x = +0.96, global near x = −1.04.
const doubleWell: Objective = ([x = 0, y = 0]) => (x * x - 1) ** 2 + 0.3 * x + (y - 2) ** 2;
const expectNear = (point: number[], expected: number[], tolerance: number): void => {
  point.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(tolerance));
};

describe('nelderMead', () => {
  it('finds the Rosenbrock minimum in two and four dimensions', () => {
    // (From [−1, 2, 0.5, −1] the 4-D surface has a genuine local minimum near x₁ = −0.78; start elsewhere.)
    expectNear(nelderMead(rosenbrock, [-1.2, 1]).point, [1, 1], 1e-4);
    expectNear(nelderMead(rosenbrock, [0, 0, 0, 0]).point, [1, 1, 1, 1], 1e-3);
  });

  it('treats NaN as worse than anything (a log-likelihood undefined outside its domain)', () => {
    const guarded: Objective = ([x = 0]) => (x < -1 ? Number.NaN : (x - 2) ** 2);
    expect(nelderMead(guarded, [0]).point[0]).toBeCloseTo(2, 5);
  });
});

describe('bfgs', () => {
  it('converges on Rosenbrock with a numerical gradient', () => {
    const result = bfgs(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expectNear(result.point, [1, 1], 1e-5);
  });

  it('solves an ill-scaled quadratic exactly', () => {
    const quadratic: Objective = ([x = 0, y = 0, z = 0]) => 1e3 * (x - 1) ** 2 + (y + 2) ** 2 + 1e-2 * (z - 3) ** 2;
    expectNear(bfgs(quadratic, [0, 0, 0]).point, [1, -2, 3], 1e-4);
  });
});

describe('minimise', () => {
  it('keeps the best of several starts (escapes the local well)', () => {
    const single = minimise(doubleWell, [[1, 0]]);
    const several = minimise(doubleWell, [
      [1, 0],
      [-2, 0],
    ]);
    expect(single.point[0]!).toBeGreaterThan(0);
    expect(several.point[0]!).toBeLessThan(-1);
    expect(several.value).toBeLessThan(single.value);
  });

  it('gives the same optimum by every method', () => {
    for (const method of ['bfgs', 'nelder-mead', 'nelder-mead-then-bfgs'] as const) {
      expectNear(minimise(rosenbrock, [[-1.2, 1]], method).point, [1, 1], 1e-4);
    }
  });
});
