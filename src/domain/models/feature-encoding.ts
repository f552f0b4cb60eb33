// Turns a table of strings into a numeric design matrix for the churn classifier: column types
// are inferred, categoricals one-hot encoded, numbers standardised (non-negative quantities also
// on a log scale), every statistic taken from the training rows only so held-out rows never leak.
import { ModelInputError } from './model-input-error.js';

/** A table already parsed by the caller; `lineNumbers` (when known) lets errors name the line. */
export interface RecordTable {
  header: readonly string[];
  records: readonly (readonly string[])[];
  lineNumbers?: readonly number[];
}

/** Which column to predict, which value of it counts as "positive", and what to leave out. */
export interface EncodingOptions {
  target: string;
  /** Target value that means "churned"; inferred for Yes/No, 1/0, true/false when absent. */
  positive?: string;
  /** An identifier column: never a feature, but used to name records. */
  idColumn?: string;
  /** Further columns to leave out of the features. */
  drop?: readonly string[];
}

/** How one source column became features: a standardised number, or one indicator per level. */
export type ColumnEncoding =
  | {
      kind: 'numeric';
      column: string;
      index: number;
      mean: number;
      deviation: number;
      median: number;
      /** Every known value is 0 or 1: read as a flag, not a quantity. */
      isFlag: boolean;
      /**
       * For a non-negative quantity, log(1 + value) standardised with these statistics, as a second
       * feature: it lets a linear model bend (churn falls fast over the first months of tenure).
       */
      logScale: { mean: number; deviation: number } | null;
      /** True when the training rows had blanks: then a "missing" indicator follows the value. */
      hasMissingIndicator: boolean;
    }
  | { kind: 'categorical'; column: string; index: number; levels: string[] };

/** One column of the design matrix, with a name a person can read. */
export interface Feature {
  name: string;
  column: string;
  role: 'value' | 'log' | 'missing' | 'level';
  level?: string;
}

/** An encoder fitted on training rows, ready to encode any rows of the same table. */
export interface FeatureEncoder {
  columns: ColumnEncoding[];
  features: Feature[];
  /** Mean of each encoded feature over the training rows: the "average record". */
  featureMeans: number[];
}

/** The target as 0/1 outcomes plus the value read as positive. */
export interface EncodedTarget {
  outcomes: number[];
  positive: string;
}

const identifierLevelLimit = 100;

/** Reads the target column as 0/1 outcomes, refusing a missing column, one class or a bad positive value. */
export function encodeTarget(table: RecordTable, options: EncodingOptions): EncodedTarget {
  const targetIndex = columnIndex(table, options.target, 'target');
  const values = table.records.map((record, row) => {
    const value = (record[targetIndex] ?? '').trim();
    if (value === '') {
      const line = table.lineNumbers?.[row];
      throw new ModelInputError(
        `The target column "${options.target}" is blank ` +
          `${line === undefined ? `in record ${row + 1}` : `on line ${line}`}.`,
        line === undefined ? { column: options.target } : { column: options.target, line },
      );
    }
    return value;
  });
  const classes = [...new Set(values)].sort();
  if (classes.length < 2) {
    throw new ModelInputError(
      `The target column "${options.target}" has only one class (${classes[0] ?? 'no records'}): ` +
        'a classifier needs both outcomes.',
      { column: options.target },
    );
  }
  if (classes.length > 2) {
    throw new ModelInputError(
      `The target column "${options.target}" has ${classes.length} classes (${listed(classes)}); expected two.`,
      { column: options.target },
    );
  }
  const positive = options.positive ?? inferPositive(classes);
  if (positive === undefined) {
    throw new ModelInputError(
      `Cannot tell which value of "${options.target}" means churned (${listed(classes)}): name it with --positive.`,
      { column: options.target },
    );
  }
  if (!classes.includes(positive)) {
    throw new ModelInputError(
      `The positive value "${positive}" ` +
        `does not occur in the target column "${options.target}" (values: ${listed(classes)}).`,
      { column: options.target },
    );
  }
  return { outcomes: values.map((value) => (value === positive ? 1 : 0)), positive };
}

/**
 * Fits the encoder on the training rows only (types, levels, means, deviations), so that a
 * cross-validation fold's test rows are encoded with statistics they did not contribute to.
 */
export function fitFeatureEncoder(
  table: RecordTable,
  options: EncodingOptions,
  trainingRows: readonly number[] = table.records.map((_, row) => row),
): FeatureEncoder {
  const excluded = new Set<number>([columnIndex(table, options.target, 'target')]);
  if (options.idColumn !== undefined) excluded.add(columnIndex(table, options.idColumn, 'id'));
  for (const column of options.drop ?? []) excluded.add(columnIndex(table, column, 'drop'));
  const columns: ColumnEncoding[] = [];
  table.header.forEach((column, index) => {
    if (excluded.has(index)) return;
    const values = trainingRows.map((row) => (table.records[row]?.[index] ?? '').trim());
    columns.push(encodeColumn(column, index, values, trainingRows.length));
  });
  if (columns.length === 0)
    throw new ModelInputError('No feature columns are left after excluding the target, id and dropped columns.');
  const features = columns.flatMap(featuresOf);
  const encoder: FeatureEncoder = { columns, features, featureMeans: features.map(() => 0) };
  const sums = features.map(() => 0);
  for (const row of trainingRows)
    encodeRecord(encoder, table.records[row] ?? []).forEach((value, j) => (sums[j]! += value));
  encoder.featureMeans = sums.map((sum) => sum / Math.max(trainingRows.length, 1));
  return encoder;
}

/** Encodes one record with a fitted encoder: unseen levels and unreadable numbers count as missing. */
export function encodeRecord(encoder: FeatureEncoder, record: readonly string[]): number[] {
  const encoded: number[] = [];
  for (const column of encoder.columns) {
    const raw = (record[column.index] ?? '').trim();
    switch (column.kind) {
      case 'numeric': {
        const value = readNumber(raw);
        encoded.push(value === null ? 0 : (value - column.mean) / column.deviation);
        if (column.logScale !== null) {
          encoded.push(
            value === null ? 0 : (Math.log1p(Math.max(value, 0)) - column.logScale.mean) / column.logScale.deviation,
          );
        }
        if (column.hasMissingIndicator) encoded.push(value === null ? 1 : 0);
        break;
      }
      case 'categorical':
        for (const level of column.levels) encoded.push(raw === level ? 1 : 0);
        break;
      default:
        assertNever(column);
    }
  }
  return encoded;
}

/** Encodes the given rows (all rows when none are named) into a design matrix. */
export function encodeRows(encoder: FeatureEncoder, table: RecordTable, rows?: readonly number[]): number[][] {
  const chosen = rows ?? table.records.map((_, row) => row);
  return chosen.map((row) => encodeRecord(encoder, table.records[row] ?? []));
}

/** A number from a cell, or null when the cell is blank or not a number. */
export function readNumber(raw: string): number | null {
  if (raw === '') return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}

function encodeColumn(column: string, index: number, values: string[], rowCount: number): ColumnEncoding {
  const present = values.filter((value) => value !== '');
  const numbers = present.map(readNumber);
  if (present.length > 0 && numbers.every((value) => value !== null)) {
    const known = numbers as number[];
    const { mean, deviation } = moments(known);
    const isFlag = known.every((value) => value === 0 || value === 1);
    const isQuantity = !isFlag && known.every((value) => value >= 0) && new Set(known).size > 2;
    const sorted = [...known].sort((a, b) => a - b);
    const middle = sorted.length / 2;
    const median = sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
    return {
      kind: 'numeric',
      column,
      index,
      mean,
      deviation,
      median,
      isFlag,
      logScale: isQuantity ? moments(known.map((value) => Math.log1p(value))) : null,
      hasMissingIndicator: present.length < values.length,
    };
  }
  // Blank is a level of its own for a text column.
  const levels = [...new Set(values)].sort();
  if (levels.length > identifierLevelLimit && levels.length > rowCount / 2) {
    throw new ModelInputError(
      `Column "${column}" has ${levels.length} distinct values in ${rowCount} rows ` +
        'and looks like an identifier: pass it as the id column or drop it.',
      { column },
    );
  }
  return { kind: 'categorical', column, index, levels };
}

/** Mean and (population) standard deviation; a constant keeps deviation 1 so it encodes to zeros, not NaN. */
function moments(values: readonly number[]): { mean: number; deviation: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return { mean, deviation: variance > 0 ? Math.sqrt(variance) : 1 };
}

function featuresOf(column: ColumnEncoding): Feature[] {
  switch (column.kind) {
    case 'numeric': {
      const features: Feature[] = [{ name: column.column, column: column.column, role: 'value' }];
      if (column.logScale !== null) features.push({ name: `log ${column.column}`, column: column.column, role: 'log' });
      if (column.hasMissingIndicator)
        features.push({ name: `${column.column} is blank`, column: column.column, role: 'missing' });
      return features;
    }
    case 'categorical':
      return column.levels.map((level) => ({
        name: `${column.column} = ${level === '' ? '(blank)' : level}`,
        column: column.column,
        role: 'level',
        level,
      }));
    default:
      return assertNever(column);
  }
}

function columnIndex(table: RecordTable, column: string, role: 'target' | 'id' | 'drop'): number {
  const index = table.header.indexOf(column);
  if (index < 0) {
    const what = role === 'target' ? 'target column' : role === 'id' ? 'id column' : 'column to drop';
    throw new ModelInputError(`The ${what} "${column}" is not in the header (columns: ${listed(table.header)}).`, {
      column,
    });
  }
  return index;
}

function inferPositive(classes: readonly string[]): string | undefined {
  const pairs: [string, string][] = [
    ['yes', 'no'],
    ['1', '0'],
    ['true', 'false'],
    ['churned', 'active'],
  ];
  for (const [positive, negative] of pairs) {
    const lower = classes.map((value) => value.toLowerCase());
    if (lower.includes(positive) && lower.includes(negative)) return classes[lower.indexOf(positive)];
  }
  return undefined;
}

function listed(values: readonly string[]): string {
  const shown = values.slice(0, 8).map((value) => `"${value}"`);
  return values.length > 8 ? `${shown.join(', ')}, …` : shown.join(', ');
}

function assertNever(value: never): never {
  throw new Error(`Unexpected column encoding ${JSON.stringify(value)}`);
}
