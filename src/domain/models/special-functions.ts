// Special functions the customer models need: log-gamma (Lanczos) and the Gaussian hypergeometric
// function 2F1, evaluated with transformations so that z near 1, z < 0 and large parameters stay accurate.

const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.91893853320467274178;

/** sin(πx) with the argument reduced first, so that it is exactly zero at integers. */
function sinPi(x: number): number {
  const reduced = x - 2 * Math.round(x / 2); // in [-1, 1]
  if (reduced === 0 || Math.abs(reduced) === 1) return 0;
  return Math.sin(Math.PI * reduced);
}

/**
 * ln|Γ(x)|: model likelihoods are products of gamma ratios that overflow long before their logs do.
 * Lanczos (g = 7, 9 terms), reflection below ½; +∞ at the poles 0, −1, −2, …
 */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0.5) {
    const sine = sinPi(x);
    if (sine === 0) return Number.POSITIVE_INFINITY;
    return Math.log(Math.PI / Math.abs(sine)) - logGamma(1 - x);
  }
  if (x === Number.POSITIVE_INFINITY) return x;
  const shifted = x - 1;
  let series = LANCZOS_COEFFICIENTS[0]!;
  for (let i = 1; i < LANCZOS_COEFFICIENTS.length; i++) series += LANCZOS_COEFFICIENTS[i]! / (shifted + i);
  const base = shifted + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (shifted + 0.5) * Math.log(base) - base + Math.log(series);
}

/** Sign of Γ(x) (0 at the poles), to pair with logGamma when arguments can be negative. */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (Number.isInteger(x)) return 0;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** ln B(a, b) for positive a, b. */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** ln(eᵃ + eᵇ) without overflow: sums of likelihood terms are kept in log space. */
export function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  const high = Math.max(a, b);
  return high + Math.log1p(Math.exp(-Math.abs(a - b)));
}

const isNonPositiveInteger = (value: number): boolean => value <= 0 && Number.isInteger(value);

/** A value with the size of the terms that were added to reach it (rounding error ≈ 1e-16 × magnitude). */
interface Estimate {
  value: number;
  magnitude: number;
}

const FAILED: Estimate = { value: Number.NaN, magnitude: Number.POSITIVE_INFINITY };
/** Relative rounding error accepted before an answer is refused (NaN): eight good digits. */
const ACCEPTED_LOSS = 1e8;
const loss = (estimate: Estimate): number =>
  Number.isFinite(estimate.value) ? estimate.magnitude / Math.abs(estimate.value) : Number.POSITIVE_INFINITY;
const better = (first: Estimate, second: Estimate): Estimate => (loss(second) < loss(first) ? second : first);
const scaled = (estimate: Estimate, factor: number): Estimate => ({
  value: estimate.value * factor,
  magnitude: estimate.magnitude * Math.abs(factor),
});

/** Σ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ term by term, for |z| < 1. */
function directSeries(a: number, b: number, c: number, z: number, maximumTerms = 100_000): Estimate {
  // Past the larger root of (1−z)n² + (c+1−z(a+b))n + c − zab the term ratio stays below one,
  // so a small term there really ends the sum (earlier, a small term can be followed by large ones).
  const quadraticA = 1 - Math.abs(z);
  const quadraticB = c + 1 - Math.abs(z) * (a + b);
  const quadraticC = c - Math.abs(z) * a * b;
  const discriminant = quadraticB * quadraticB - 4 * quadraticA * quadraticC;
  const root = discriminant > 0 ? (-quadraticB + Math.sqrt(discriminant)) / (2 * quadraticA) : 0;
  const safeFrom = Math.max(0, -a, -b, -c, root) + 1;
  let term = 1;
  let sum = 1;
  let magnitude = 1;
  for (let n = 0; n < maximumTerms; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    magnitude += Math.abs(term);
    if (term === 0) return { value: sum, magnitude };
    if (n >= safeFrom && Math.abs(term) <= 1e-17 * Math.abs(sum)) return { value: sum, magnitude };
  }
  return FAILED;
}

/** Γ(numerators…)/Γ(denominators…) as sign·exp(log); sign 0 when a denominator sits on a pole. */
function gammaRatio(numerators: number[], denominators: number[]): { sign: number; log: number } {
  let sign = 1;
  let log = 0;
  for (const value of denominators) {
    const valueSign = gammaSign(value);
    if (valueSign === 0) return { sign: 0, log: Number.NEGATIVE_INFINITY };
    sign *= valueSign;
    log -= logGamma(value);
  }
  for (const value of numerators) {
    sign *= gammaSign(value);
    log += logGamma(value);
  }
  return { sign, log };
}

/** Abramowitz & Stegun 15.3.6, the connection formula in w = 1 − z, for c − a − b not an integer. */
function oneMinusZTransformation(a: number, b: number, c: number, w: number): Estimate {
  const m = c - a - b;
  const first = gammaRatio([c, m], [c - a, c - b]);
  const second = gammaRatio([c, -m], [a, b]);
  const firstPart =
    first.sign === 0
      ? { value: 0, magnitude: 0 }
      : scaled(directSeries(a, b, 1 - m, w), first.sign * Math.exp(first.log));
  const secondPart =
    second.sign === 0
      ? { value: 0, magnitude: 0 }
      : scaled(directSeries(c - a, c - b, 1 + m, w), second.sign * Math.exp(second.log + m * Math.log(w)));
  return { value: firstPart.value + secondPart.value, magnitude: firstPart.magnitude + secondPart.magnitude };
}

const INTERPOLATION_OFFSETS = [-3, -2, -1, 1, 2, 3];

/**
 * z in (¾, 1). When c − a − b is at or near an integer both terms of 15.3.6 blow up and cancel;
 * there the function (analytic in c) is interpolated from six values of c whose c − a − b keeps a
 * safe distance from the integer. If the connection formula still cancels badly (large a and b)
 * and every term of the plain series is positive, the plain series is summed instead, slowly but exactly.
 */
function nearOne(a: number, b: number, c: number, z: number): Estimate {
  const w = 1 - z;
  const m = c - a - b;
  const nearest = Math.round(m);
  // Nodes closer together where the function changes fast: small w, large parameters, c near a pole.
  const poleDistance = c < 0.5 ? Math.abs(c - Math.round(c)) : Number.POSITIVE_INFINITY;
  const scale =
    1 + Math.abs(Math.log(w)) + 0.5 * Math.log(1 + Math.abs(a) + Math.abs(b) + Math.abs(c)) + 1 / poleDistance;
  const spacing = 0.004 / scale;
  let estimate: Estimate;
  if (Math.abs(m - nearest) >= spacing) {
    estimate = oneMinusZTransformation(a, b, c, w);
  } else {
    const nodes = INTERPOLATION_OFFSETS.map((offset) => nearest + offset * spacing);
    estimate = { value: 0, magnitude: 0 };
    for (let i = 0; i < nodes.length; i++) {
      let weight = 1;
      for (let j = 0; j < nodes.length; j++) {
        if (j !== i) weight *= (m - nodes[j]!) / (nodes[i]! - nodes[j]!);
      }
      const part = scaled(oneMinusZTransformation(a, b, c + (nodes[i]! - m), w), weight);
      estimate = { value: estimate.value + part.value, magnitude: estimate.magnitude + part.magnitude };
    }
    // Interpolation error, not rounding, bounds this path: a few digits of headroom are enough.
    estimate = { value: estimate.value, magnitude: Math.max(estimate.magnitude, Math.abs(estimate.value) * 1e3) };
  }
  if (loss(estimate) > 1e4 && a > 0 && b > 0 && c > 0) return better(estimate, directSeries(a, b, c, z, 10_000_000));
  return estimate;
}

/** 2F1 for 0 < z < 1 with no terminating parameter. */
function positiveArgument(a: number, b: number, c: number, z: number): Estimate {
  if (z > 0.75) return nearOne(a, b, c, z);
  const plain = directSeries(a, b, c, z);
  if (loss(plain) < 10) return plain;
  // Euler's transformation: the other parameter pair may sum without cancellation.
  return better(plain, scaled(directSeries(c - a, c - b, c, z), (1 - z) ** (c - a - b)));
}

/** 2F1 for real z < 1, z ≠ 0, carrying the rounding estimate. */
function evaluate(a: number, b: number, c: number, z: number): Estimate {
  // A polynomial (a or b a non-positive integer) is summed as it stands, or after Pfaff for z < −1.
  if (isNonPositiveInteger(a) || isNonPositiveInteger(b)) {
    if (z >= -1) return directSeries(a, b, c, z);
    const terminating = isNonPositiveInteger(a) ? a : b;
    const other = terminating === a ? b : a;
    return scaled(directSeries(terminating, c - other, c, z / (z - 1)), (1 - z) ** -terminating);
  }
  // c − a or c − b a non-positive integer: Euler's transformation turns it into a polynomial.
  if (isNonPositiveInteger(c - a) || isNonPositiveInteger(c - b)) {
    return scaled(evaluate(c - a, c - b, c, z), (1 - z) ** (c - a - b));
  }
  if (z > 0) return positiveArgument(a, b, c, z);
  // Pfaff: 2F1(a,b;c;z) = (1−z)^(−a) 2F1(a, c−b; c; z/(z−1)), the argument now in (0, 1);
  // of the two symmetric forms (and the plain series when |z| is small) keep the better conditioned.
  const w = z / (z - 1);
  let estimate = scaled(evaluate(a, c - b, c, w), (1 - z) ** -a);
  if (loss(estimate) > 10) estimate = better(estimate, scaled(evaluate(b, c - a, c, w), (1 - z) ** -b));
  if (loss(estimate) > 10 && z >= -0.75) estimate = better(estimate, directSeries(a, b, c, z));
  return estimate;
}

/**
 * The Gaussian hypergeometric function ₂F₁(a, b; c; z) for real parameters and real z ≤ 1:
 * the Pareto/NBD likelihood and the BG/NBD expectations are written in it.
 * z < 0 goes through Pfaff's transformation, z near 1 through the 1 − z connection formula
 * (interpolated across integer c − a − b). Returns NaN for z > 1, for c a non-positive integer,
 * and where no available series delivers eight significant digits (large a and b with heavy cancellation).
 */
export function hypergeometric2F1(a: number, b: number, c: number, z: number): number {
  if ([a, b, c, z].some(Number.isNaN) || z > 1 || isNonPositiveInteger(c)) return Number.NaN;
  if (z === 0 || a === 0 || b === 0) return 1;
  if (z === 1) {
    const m = c - a - b;
    if (m <= 0) return Number.POSITIVE_INFINITY;
    const ratio = gammaRatio([c, m], [c - a, c - b]);
    return ratio.sign * Math.exp(ratio.log);
  }
  const estimate = evaluate(a, b, c, z);
  if (estimate.value === 0 || loss(estimate) <= ACCEPTED_LOSS) return estimate.value;
  return Number.NaN;
}
