// L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
// squares): deterministic, exact to the tolerance, and fast for the tens of features churn uses.

/** A fitted model: the intercept (not penalised) and one coefficient per feature. */
export interface LogisticModel {
  intercept: number;
  coefficients: number[];
  iterations: number;
}

/** How strongly to shrink the coefficients, and when to stop. */
export interface LogisticOptions {
  /** λ in −log-likelihood + λ/2 · ‖β‖² (the intercept is not penalised). Default 1. */
  penalty?: number;
  maxIterations?: number;
  /** Stop when the largest coefficient step is below this. Default 1e-8. */
  tolerance?: number;
}

/**
 * Fits the model to 0/1 outcomes; the penalty keeps coefficients finite when one-hot columns are
 * collinear or a level separates the classes perfectly.
 */
export function fitLogisticRegression(
  design: readonly (readonly number[])[],
  outcomes: readonly number[],
  options: LogisticOptions = {},
): LogisticModel {
  const penalty = options.penalty ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-8;
  if (design.length !== outcomes.length)
    throw new Error(`Design has ${design.length} rows but ${outcomes.length} outcomes.`);
  const featureCount = design[0]?.length ?? 0;
  const size = featureCount + 1;
  // Parameter 0 is the intercept; rows are read with a leading 1.
  let parameters = new Float64Array(size);
  let objective = penalisedLoss(design, outcomes, parameters, penalty);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const gradient = new Float64Array(size);
    const hessian = new Float64Array(size * size);
    design.forEach((row, r) => {
      const probability = sigmoid(linear(parameters, row));
      const residual = probability - outcomes[r]!;
      const weight = Math.max(probability * (1 - probability), 1e-12);
      gradient[0]! += residual;
      hessian[0]! += weight;
      for (let i = 0; i < featureCount; i++) {
        const xi = row[i]!;
        if (xi === 0) continue;
        gradient[i + 1]! += residual * xi;
        const wx = weight * xi;
        hessian[(i + 1) * size]! += wx;
        for (let j = 0; j <= i; j++) hessian[(i + 1) * size + j + 1]! += wx * row[j]!;
      }
    });
    for (let i = 1; i < size; i++) {
      gradient[i]! += penalty * parameters[i]!;
      hessian[i * size + i]! += penalty;
    }
    for (let i = 0; i < size; i++) for (let j = i + 1; j < size; j++) hessian[i * size + j] = hessian[j * size + i]!;
    const step = solveSymmetric(hessian, gradient, size);
    // Step-halving keeps each iteration downhill even far from the optimum.
    let scale = 1;
    let candidate = parameters.map((value, i) => value - step[i]!);
    let candidateObjective = penalisedLoss(design, outcomes, candidate, penalty);
    while (candidateObjective > objective + 1e-12 && scale > 1e-6) {
      scale /= 2;
      candidate = parameters.map((value, i) => value - scale * step[i]!);
      candidateObjective = penalisedLoss(design, outcomes, candidate, penalty);
    }
    const largestStep = Math.max(...step.map((value) => Math.abs(value * scale)));
    parameters = candidate;
    objective = candidateObjective;
    if (largestStep < tolerance) {
      iterations++;
      break;
    }
  }
  return { intercept: parameters[0]!, coefficients: Array.from(parameters.subarray(1)), iterations };
}

/** The modelled probability of the positive outcome for one encoded record. */
export function predictProbability(model: LogisticModel, row: readonly number[]): number {
  let score = model.intercept;
  model.coefficients.forEach((coefficient, i) => (score += coefficient * (row[i] ?? 0)));
  return sigmoid(score);
}

/** Probabilities for every row of a design matrix. */
export function predictProbabilities(model: LogisticModel, design: readonly (readonly number[])[]): number[] {
  return design.map((row) => predictProbability(model, row));
}

function linear(parameters: Float64Array, row: readonly number[]): number {
  let score = parameters[0]!;
  for (let i = 0; i < row.length; i++) score += parameters[i + 1]! * row[i]!;
  return score;
}

function sigmoid(score: number): number {
  return score >= 0 ? 1 / (1 + Math.exp(-score)) : Math.exp(score) / (1 + Math.exp(score));
}

function penalisedLoss(
  design: readonly (readonly number[])[],
  outcomes: readonly number[],
  parameters: Float64Array,
  penalty: number,
): number {
  let loss = 0;
  design.forEach((row, r) => {
    const score = linear(parameters, row);
    // log(1 + e^s) − y·s, computed without overflow.
    loss += (score > 0 ? score + Math.log1p(Math.exp(-score)) : Math.log1p(Math.exp(score))) - outcomes[r]! * score;
  });
  let squares = 0;
  for (let i = 1; i < parameters.length; i++) squares += parameters[i]! ** 2;
  return loss + (penalty / 2) * squares;
}

/** Solves H x = g for a symmetric positive-definite H (row-major) by Cholesky factorisation. */
function solveSymmetric(matrix: Float64Array, vector: Float64Array, size: number): Float64Array {
  const lower = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * size + j]!;
      for (let k = 0; k < j; k++) sum -= lower[i * size + k]! * lower[j * size + k]!;
      if (i === j) {
        // A tiny floor guards an unpenalised, degenerate intercept-only direction.
        lower[i * size + i] = Math.sqrt(Math.max(sum, 1e-12));
      } else {
        lower[i * size + j] = sum / lower[j * size + j]!;
      }
    }
  }
  const forward = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let sum = vector[i]!;
    for (let k = 0; k < i; k++) sum -= lower[i * size + k]! * forward[k]!;
    forward[i] = sum / lower[i * size + i]!;
  }
  const solution = new Float64Array(size);
  for (let i = size - 1; i >= 0; i--) {
    let sum = forward[i]!;
    for (let k = i + 1; k < size; k++) sum -= lower[k * size + i]! * solution[k]!;
    solution[i] = sum / lower[i * size + i]!;
  }
  return solution;
}
