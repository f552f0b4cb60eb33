// One checked figure, the unit of `tend models check` and of the reproduction tests: a published
// value (or a required bound) next to Tend's, with the rule that judges them and its text form.

/** How a figure is judged: close to the published value, or on the right side of a bound. */
export type Comparison = 'within' | 'at-least' | 'at-most';

/**
 * A checked figure. `within` passes when |value − published| ≤ tolerance (0 = exact), `at-least`
 * when value ≥ published (a detection rate), `at-most` when value ≤ published (a false-alarm rate).
 */
export interface ReproductionRow {
  name: string;
  /** The published figure, or for a simulation the bound the issue requires. */
  published: number;
  /** Tend's value. */
  value: number;
  comparison: Comparison;
  /** Allowed distance for `within`; 0 for the bounds. */
  tolerance: number;
}

/** A figure that must lie within `tolerance` of the published one (0 = exactly it). */
export function withinRow(name: string, published: number, value: number, tolerance: number): ReproductionRow {
  return { name, published, value, comparison: 'within', tolerance };
}

/** A figure that must reach a bound: at least (a detection rate) or at most (a false-alarm rate). */
export function boundRow(
  name: string,
  comparison: 'at-least' | 'at-most',
  bound: number,
  value: number,
): ReproductionRow {
  return { name, published: bound, value, comparison, tolerance: 0 };
}

/** Whether Tend's value meets the figure: the verdict `tend models check` prints and the tests assert. */
export function reproductionPasses(row: ReproductionRow): boolean {
  switch (row.comparison) {
    case 'within':
      // A hair of slack so that 0.97 is within 0.02 of 0.95 despite binary fractions.
      return Math.abs(row.value - row.published) <= row.tolerance + 1e-12 * Math.max(1, Math.abs(row.published));
    case 'at-least':
      return row.value >= row.published;
    case 'at-most':
      return row.value <= row.published;
    default:
      return assertNever(row.comparison);
  }
}

/** The target in words a reader can check against a paper: "0.2426 ± 0.0012", "2357", "≥ 0.95". */
export function describeTarget(row: ReproductionRow): string {
  switch (row.comparison) {
    case 'within':
      if (row.tolerance === 0) return formatShortest(row.published);
      return `${formatPublished(row)} ± ${row.tolerance.toFixed(toleranceDecimals(row.tolerance))}`;
    case 'at-least':
      return `≥ ${formatShortest(row.published)}`;
    case 'at-most':
      return `≤ ${formatShortest(row.published)}`;
    default:
      return assertNever(row.comparison);
  }
}

/**
 * Tend's value to one digit more than the tolerance is written with (at least three significant), so a
 * near miss shows.
 */
export function describeValue(row: ReproductionRow): string {
  if (row.comparison === 'within' && row.tolerance > 0) {
    return row.value.toFixed(
      Math.min(Math.max(toleranceDecimals(row.tolerance) + 1, threeDigitDecimals(row.value)), 8),
    );
  }
  if (Number.isInteger(row.value)) return String(row.value);
  const decimals = row.comparison === 'within' ? 4 : decimalsOf(row.published) + 2;
  return row.value.toFixed(Math.min(Math.max(decimals, 3), 8));
}

/** Decimals that show a tolerance to two significant digits, or one when the second is zero. */
function toleranceDecimals(tolerance: number): number {
  const first = Math.max(0, -Math.floor(Math.log10(tolerance)));
  const rounded = Number(tolerance.toFixed(first + 1));
  return Number(rounded.toFixed(first)) === rounded ? first : first + 1;
}

/**
 * The published value as written when it has at most one decimal more than the tolerance (1.0405 ±
 * 0.001); otherwise rounded to the tolerance's decimals, keeping three significant digits (0.2426).
 */
function formatPublished(row: ReproductionRow): string {
  const decimals = toleranceDecimals(row.tolerance);
  if (decimalsOf(row.published) <= decimals + 1) return String(row.published);
  return row.published.toFixed(Math.min(Math.max(decimals, threeDigitDecimals(row.published)), 8));
}

/** Decimals that keep three significant digits of a value. */
function threeDigitDecimals(value: number): number {
  const magnitude = Math.abs(value) > 0 ? Math.floor(Math.log10(Math.abs(value))) : 0;
  return Math.max(0, 2 - magnitude);
}

function decimalsOf(value: number): number {
  const text = String(value);
  const point = text.indexOf('.');
  return point < 0 || text.includes('e') ? 0 : text.length - point - 1;
}

function formatShortest(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

function assertNever(value: never): never {
  throw new Error(`Unexpected comparison: ${String(value)}`);
}
