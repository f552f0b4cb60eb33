// Unconstrained minimisers for maximum-likelihood fits: models optimise over log-parameters,
// so every point of ℝⁿ is valid and a NaN or infinite objective simply counts as "very bad".

/** A function to minimise; it may return NaN or ±∞ where the model is undefined. */
export type Objective = (point: readonly number[]) => number;

export interface Minimum {
  point: number[];
  value: number;
  evaluations: number;
  converged: boolean;
  /** BFGS only: the final inverse-Hessian estimate, to warm-start a related minimisation. */
  inverseHessian?: number[][];
}

export type MinimiserMethod = 'bfgs' | 'nelder-mead' | 'nelder-mead-then-bfgs';

interface Counted {
  evaluate: (point: readonly number[]) => number;
  count: () => number;
}

function counted(objective: Objective): Counted {
  let evaluations = 0;
  return {
    evaluate: (point) => {
      evaluations++;
      const value = objective(point);
      return Number.isNaN(value) || value === Number.NEGATIVE_INFINITY ? Number.POSITIVE_INFINITY : value;
    },
    count: () => evaluations,
  };
}

export interface NelderMeadOptions {
  initialStep?: number;
  tolerance?: number;
  maximumEvaluations?: number;
}

/**
 * Nelder–Mead simplex search, restarted from its best point until a restart no longer helps:
 * slow but indifferent to noise and kinks, a safe first pass from a poor start.
 */
export function nelderMead(objective: Objective, start: readonly number[], options: NelderMeadOptions = {}): Minimum {
  const { initialStep = 0.5, tolerance = 1e-10, maximumEvaluations = 20_000 } = options;
  const target = counted(objective);
  let best = { point: [...start], value: target.evaluate(start) };
  let converged = false;
  for (let restart = 0; restart < 20 && target.count() < maximumEvaluations; restart++) {
    const step = restart === 0 ? initialStep : initialStep / 4;
    const result = simplexSearch(target, best.point, step, tolerance, maximumEvaluations);
    const improvement = best.value - result.value;
    if (result.value <= best.value) best = result;
    if (improvement <= tolerance * (Math.abs(best.value) + tolerance)) {
      converged = result.converged;
      break;
    }
  }
  return { point: best.point, value: best.value, evaluations: target.count(), converged };
}

function simplexSearch(
  target: Counted,
  start: number[],
  step: number,
  tolerance: number,
  maximumEvaluations: number,
): { point: number[]; value: number; converged: boolean } {
  const size = start.length;
  const vertices = [start, ...start.map((_, i) => start.map((value, j) => (i === j ? value + step : value)))];
  const values = vertices.map((vertex) => target.evaluate(vertex));
  const combine = (from: number[], to: number[], weight: number): number[] =>
    from.map((value, i) => value + weight * (to[i]! - value));
  while (target.count() < maximumEvaluations) {
    const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
    const bestIndex = order[0]!;
    const worstIndex = order[size]!;
    const secondWorstIndex = order[size - 1]!;
    const spread = values[worstIndex]! - values[bestIndex]!;
    const diameter = Math.max(
      ...vertices.map((vertex) => Math.max(...vertex.map((value, i) => Math.abs(value - vertices[bestIndex]![i]!)))),
    );
    if (spread <= tolerance * (Math.abs(values[bestIndex]!) + tolerance) && diameter < 1e-7) {
      return { point: vertices[bestIndex]!, value: values[bestIndex]!, converged: true };
    }
    const centroid = start.map((_, i) => {
      let sum = 0;
      for (let k = 0; k <= size; k++) if (k !== worstIndex) sum += vertices[k]![i]!;
      return sum / size;
    });
    const worst = vertices[worstIndex]!;
    const reflected = combine(centroid, worst, -1);
    const reflectedValue = target.evaluate(reflected);
    if (reflectedValue < values[bestIndex]!) {
      const expanded = combine(centroid, worst, -2);
      const expandedValue = target.evaluate(expanded);
      const useExpanded = expandedValue < reflectedValue;
      vertices[worstIndex] = useExpanded ? expanded : reflected;
      values[worstIndex] = useExpanded ? expandedValue : reflectedValue;
    } else if (reflectedValue < values[secondWorstIndex]!) {
      vertices[worstIndex] = reflected;
      values[worstIndex] = reflectedValue;
    } else {
      const outside = reflectedValue < values[worstIndex]!;
      const contracted = combine(centroid, outside ? reflected : worst, 0.5);
      const contractedValue = target.evaluate(contracted);
      if (contractedValue < Math.min(reflectedValue, values[worstIndex]!)) {
        vertices[worstIndex] = contracted;
        values[worstIndex] = contractedValue;
      } else {
        const anchor = vertices[bestIndex]!;
        for (let k = 0; k <= size; k++) {
          if (k === bestIndex) continue;
          vertices[k] = combine(anchor, vertices[k]!, 0.5);
          values[k] = target.evaluate(vertices[k]!);
        }
      }
    }
  }
  const bestIndex = values.reduce((bestSoFar, value, i) => (value < values[bestSoFar]! ? i : bestSoFar), 0);
  return { point: vertices[bestIndex]!, value: values[bestIndex]!, converged: false };
}

export interface BfgsOptions {
  gradientTolerance?: number;
  maximumIterations?: number;
  /** Starting inverse-Hessian estimate (identity by default). */
  inverseHessian?: number[][];
}

/** Central-difference gradient; the step scales with the coordinate. */
function numericalGradient(target: Counted, point: number[]): number[] {
  return point.map((value, i) => {
    const step = 1e-5 * Math.max(1, Math.abs(value));
    const forward = [...point];
    const backward = [...point];
    forward[i] = value + step;
    backward[i] = value - step;
    return (target.evaluate(forward) - target.evaluate(backward)) / (2 * step);
  });
}

const dot = (u: readonly number[], v: readonly number[]): number => u.reduce((sum, value, i) => sum + value * v[i]!, 0);

/**
 * BFGS with a numerical gradient and a backtracking line search: few evaluations near a smooth
 * optimum, which is what makes fits on a million customers affordable. Scale the objective to O(1)
 * (a mean log-likelihood) so the gradient tolerance means the same for any data size.
 */
export function bfgs(objective: Objective, start: readonly number[], options: BfgsOptions = {}): Minimum {
  const { gradientTolerance = 1e-7, maximumIterations = 400 } = options;
  const target = counted(objective);
  const size = start.length;
  const identity = (): number[][] => start.map((_, i) => start.map((__, j) => (i === j ? 1 : 0)));
  let point = [...start];
  let value = target.evaluate(point);
  if (!Number.isFinite(value)) return { point, value, evaluations: target.count(), converged: false };
  let gradient = numericalGradient(target, point);
  let inverseHessian = options.inverseHessian?.map((row) => [...row]) ?? identity();
  let freshlyReset = options.inverseHessian === undefined;
  for (let iteration = 0; iteration < maximumIterations; iteration++) {
    if (Math.max(...gradient.map(Math.abs)) < gradientTolerance) {
      return { point, value, evaluations: target.count(), converged: true, inverseHessian };
    }
    let direction = inverseHessian.map((row) => -dot(row, gradient));
    let slope = dot(direction, gradient);
    if (!(slope < 0)) {
      direction = gradient.map((g) => -g);
      slope = dot(direction, gradient);
      inverseHessian = identity();
    }
    // Keep the first trial step modest in log-parameter space (a factor of e^2 at most).
    const longest = Math.max(...direction.map(Math.abs));
    let stepLength = longest > 2 ? 2 / longest : 1;
    let candidate = point;
    let candidateValue = Number.POSITIVE_INFINITY;
    for (let trial = 0; trial < 50; trial++) {
      candidate = point.map((x, i) => x + stepLength * direction[i]!);
      candidateValue = target.evaluate(candidate);
      if (candidateValue <= value + 1e-4 * stepLength * slope) break;
      stepLength *= 0.5;
    }
    if (!(candidateValue < value)) {
      if (freshlyReset) return { point, value, evaluations: target.count(), converged: false };
      inverseHessian = identity();
      freshlyReset = true;
      continue;
    }
    const candidateGradient = numericalGradient(target, candidate);
    const move = candidate.map((x, i) => x - point[i]!);
    const change = candidateGradient.map((g, i) => g - gradient[i]!);
    const curvature = dot(move, change);
    const previousValue = value;
    point = candidate;
    value = candidateValue;
    gradient = candidateGradient;
    freshlyReset = false;
    if (curvature > 1e-12) inverseHessian = updatedInverseHessian(inverseHessian, move, change, curvature, size);
    if (previousValue - value <= 1e-15 * Math.abs(value) && Math.max(...move.map(Math.abs)) < 1e-10) {
      return { point, value, evaluations: target.count(), converged: true, inverseHessian };
    }
  }
  return { point, value, evaluations: target.count(), converged: false, inverseHessian };
}

/** H ← (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ. */
function updatedInverseHessian(
  inverse: number[][],
  move: number[],
  change: number[],
  curvature: number,
  size: number,
): number[][] {
  const rho = 1 / curvature;
  const hy = inverse.map((row) => dot(row, change));
  const yhy = dot(change, hy);
  const next: number[][] = [];
  for (let i = 0; i < size; i++) {
    const row: number[] = [];
    for (let j = 0; j < size; j++) {
      row.push(
        inverse[i]![j]! - rho * (hy[i]! * move[j]! + move[i]! * hy[j]!) + (rho * rho * yhy + rho) * move[i]! * move[j]!,
      );
    }
    next.push(row);
  }
  return next;
}

/**
 * Minimises from several starts and keeps the best: likelihood surfaces of the customer models have
 * flat ridges and the occasional local optimum, and one start can stall on them.
 */
export function minimise(
  objective: Objective,
  starts: readonly (readonly number[])[],
  method: MinimiserMethod = 'bfgs',
): Minimum {
  let best: Minimum | null = null;
  let evaluations = 0;
  for (const start of starts) {
    const result = minimiseFrom(objective, start, method);
    evaluations += result.evaluations;
    if (best === null || result.value < best.value) best = result;
  }
  if (best === null) throw new Error('minimise needs at least one start');
  return { ...best, evaluations };
}

function minimiseFrom(objective: Objective, start: readonly number[], method: MinimiserMethod): Minimum {
  switch (method) {
    case 'nelder-mead':
      return nelderMead(objective, start);
    case 'bfgs': {
      const result = bfgs(objective, start);
      if (result.converged && Number.isFinite(result.value)) return result;
      // A stalled quasi-Newton run gets a simplex pass and a second polish.
      const rescue = nelderMead(objective, result.point, { maximumEvaluations: 4_000 });
      const polished = bfgs(objective, rescue.point);
      const chosen = polished.value <= rescue.value ? polished : rescue;
      return { ...chosen, evaluations: result.evaluations + rescue.evaluations + polished.evaluations };
    }
    case 'nelder-mead-then-bfgs': {
      const rough = nelderMead(objective, start);
      const polished = bfgs(objective, rough.point);
      const chosen = polished.value <= rough.value ? polished : rough;
      return { ...chosen, evaluations: rough.evaluations + polished.evaluations };
    }
  }
}

/**
 * Tries every start on a cheap approximation of the objective (say, a sample of the customers) and
 * polishes only the best result on the full objective: several starts at the price of about one.
 */
export function minimiseWithScreening(
  objective: Objective,
  screening: Objective,
  starts: readonly (readonly number[])[],
  method: MinimiserMethod = 'bfgs',
): Minimum {
  const screened = minimise(screening, starts, method);
  // The sample's curvature is the full data's curvature, near enough: BFGS starts already informed.
  const warm = bfgs(
    objective,
    screened.point,
    screened.inverseHessian ? { inverseHessian: screened.inverseHessian } : {},
  );
  const polished = warm.converged ? warm : minimise(objective, [warm.point], method);
  const evaluations = screened.evaluations + warm.evaluations + (polished === warm ? 0 : polished.evaluations);
  return { ...polished, evaluations };
}
