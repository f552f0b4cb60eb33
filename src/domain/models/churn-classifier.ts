// Tend's churn classifier: stratified cross-validation (AUC and calibration measured on rows the
// model never saw), a final logistic model on all rows, and per-record reasons in plain words.
import {
  encodeRecord,
  encodeRows,
  encodeTarget,
  fitFeatureEncoder,
  readNumber,
  type ColumnEncoding,
  type EncodingOptions,
  type FeatureEncoder,
  type RecordTable,
} from './feature-encoding.js';
import {
  fitLogisticRegression,
  predictProbabilities,
  predictProbability,
  type LogisticModel,
} from './logistic-regression.js';
import { ModelInputError } from './model-input-error.js';
import { seededRandom } from './random.js';

/** What to predict and how to validate it. */
export interface ChurnOptions extends EncodingOptions {
  /** Cross-validation folds (default 5). */
  folds?: number;
  /** Seed of the fold assignment (default 1). */
  seed?: number;
  /**
   * L2 penalty of the logistic regression (default 10): enough to share weight between columns
   * that carry the same signal (tenure and total charges), so reasons name both, not one.
   */
  penalty?: number;
  /** Units to print after numeric values in reasons, e.g. { tenure: 'months' }. */
  units?: Readonly<Record<string, string>>;
}

/** One calibration bin: how often the records in it churned against how often the model said. */
export interface CalibrationBin {
  bin: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** Out-of-fold quality of the classifier. */
export interface CrossValidation {
  auc: number;
  foldAucs: number[];
  /** Each record's probability from the model that did not see it. */
  predictions: number[];
  outcomes: number[];
  calibration: CalibrationBin[];
}

/** The final model with the encoder it needs. */
export interface ChurnModel {
  encoder: FeatureEncoder;
  model: LogisticModel;
  positive: string;
  units: Readonly<Record<string, string>>;
}

/** One reason a record's risk differs from the average record's. */
export interface ChurnReason {
  column: string;
  /** Change in log-odds against the average record. */
  contribution: number;
  direction: 'raises' | 'lowers';
  text: string;
}

/** A scored record. */
export interface ChurnScore {
  id: string;
  probability: number;
  reasons: ChurnReason[];
}

/** Assigns each record a fold so that every fold has (within one) the same share of each class. */
export function stratifiedFolds(outcomes: readonly number[], folds: number, seed: number): number[] {
  const random = seededRandom(seed);
  const assignment = outcomes.map(() => 0);
  for (const outcome of [...new Set(outcomes)].sort()) {
    const members = random.shuffle(outcomes.flatMap((value, row) => (value === outcome ? [row] : [])));
    members.forEach((row, position) => (assignment[row] = position % folds));
  }
  return assignment;
}

/** Area under the ROC curve by ranks (Mann–Whitney), tied scores sharing their mean rank. */
export function areaUnderCurve(scores: readonly number[], outcomes: readonly number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positiveRankSum = 0;
  let positives = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end++;
    const meanRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (outcomes[order[k]!] === 1) {
        positiveRankSum += meanRank;
        positives++;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) throw new ModelInputError('AUC needs at least one record of each class.');
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Observed rate against mean prediction in equal-count bins of ascending prediction (deciles by default). */
export function calibrationTable(
  predictions: readonly number[],
  outcomes: readonly number[],
  bins = 10,
): CalibrationBin[] {
  const order = predictions.map((_, i) => i).sort((a, b) => predictions[a]! - predictions[b]!);
  const table: CalibrationBin[] = [];
  for (let bin = 0; bin < bins; bin++) {
    const members = order.slice(Math.floor((bin * order.length) / bins), Math.floor(((bin + 1) * order.length) / bins));
    if (members.length === 0) continue;
    const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
    table.push({
      bin: bin + 1,
      count: members.length,
      meanPredicted: mean(members.map((row) => predictions[row]!)),
      observedRate: mean(members.map((row) => outcomes[row]!)),
    });
  }
  return table;
}

/**
 * Measures the classifier honestly: each fold's encoder and model are fitted on the other folds
 * only, then score the held-out fold.
 */
export function crossValidateChurn(table: RecordTable, options: ChurnOptions): CrossValidation {
  const { outcomes } = encodeTarget(table, options);
  const folds = options.folds ?? 5;
  const smallestClass = Math.min(...[0, 1].map((value) => outcomes.filter((outcome) => outcome === value).length));
  if (folds < 2 || smallestClass < folds) {
    throw new ModelInputError(
      `Cross-validation with ${folds} folds needs ` +
        `at least ${folds} records of each class (smallest has ${smallestClass}).`,
      {
        column: options.target,
      },
    );
  }
  const assignment = stratifiedFolds(outcomes, folds, options.seed ?? 1);
  const predictions = outcomes.map(() => 0);
  const foldAucs: number[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const trainRows = assignment.flatMap((value, row) => (value === fold ? [] : [row]));
    const testRows = assignment.flatMap((value, row) => (value === fold ? [row] : []));
    const encoder = fitFeatureEncoder(table, options, trainRows);
    const model = fitLogisticRegression(
      encodeRows(encoder, table, trainRows),
      trainRows.map((row) => outcomes[row]!),
      penaltyOption(options),
    );
    const foldPredictions = predictProbabilities(model, encodeRows(encoder, table, testRows));
    testRows.forEach((row, k) => (predictions[row] = foldPredictions[k]!));
    foldAucs.push(
      areaUnderCurve(
        foldPredictions,
        testRows.map((row) => outcomes[row]!),
      ),
    );
  }
  return {
    auc: areaUnderCurve(predictions, outcomes),
    foldAucs,
    predictions,
    outcomes,
    calibration: calibrationTable(predictions, outcomes),
  };
}

/** Fits the model used for scoring on every record (after cross-validation has measured it). */
export function trainChurnModel(table: RecordTable, options: ChurnOptions): ChurnModel {
  const { outcomes, positive } = encodeTarget(table, options);
  const encoder = fitFeatureEncoder(table, options);
  const model = fitLogisticRegression(encodeRows(encoder, table), outcomes, penaltyOption(options));
  return { encoder, model, positive, units: options.units ?? {} };
}

/**
 * The columns that move this record's risk most away from the average record's (coefficient ×
 * encoded value minus the training mean, summed over a column's features), in words.
 */
export function explainRecord(churn: ChurnModel, record: readonly string[], count = 3): ChurnReason[] {
  const encoded = encodeRecord(churn.encoder, record);
  const byColumn = new Map<string, number>();
  churn.encoder.features.forEach((feature, j) => {
    const contribution = churn.model.coefficients[j]! * (encoded[j]! - churn.encoder.featureMeans[j]!);
    byColumn.set(feature.column, (byColumn.get(feature.column) ?? 0) + contribution);
  });
  return churn.encoder.columns
    .map((column) => ({ column, contribution: byColumn.get(column.column) ?? 0 }))
    .filter((entry) => entry.contribution !== 0)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, count)
    .map(({ column, contribution }) => {
      const direction = contribution > 0 ? 'raises' : 'lowers';
      const text = `${describeValue(column, record, churn.units)} (${direction} risk)`;
      return { column: column.column, contribution, direction, text };
    });
}

/** Scores every record of a table with the final model, with its top reasons. */
export function scoreChurn(churn: ChurnModel, table: RecordTable, idColumn?: string, reasonCount = 3): ChurnScore[] {
  const idIndex = idColumn === undefined ? -1 : table.header.indexOf(idColumn);
  return table.records.map((record, row) => ({
    id: idIndex >= 0 ? (record[idIndex] ?? '') : String(row + 1),
    probability: predictProbability(churn.model, encodeRecord(churn.encoder, record)),
    reasons: explainRecord(churn, record, reasonCount),
  }));
}

const defaultPenalty = 10;

function penaltyOption(options: ChurnOptions): { penalty: number } {
  return { penalty: options.penalty ?? defaultPenalty };
}

function describeValue(
  column: ColumnEncoding,
  record: readonly string[],
  units: Readonly<Record<string, string>>,
): string {
  const raw = (record[column.index] ?? '').trim();
  switch (column.kind) {
    case 'categorical':
      return raw === '' ? `${column.column} is blank` : `${column.column} is ${raw}`;
    case 'numeric': {
      const value = readNumber(raw);
      if (value === null) return `${column.column} is blank`;
      if (column.isFlag) return `${column.column} is ${value}`;
      const unit = units[column.column];
      const withUnit = (amount: number): string =>
        unit === undefined
          ? formatNumber(amount)
          : `${formatNumber(amount)} ${amount === 1 && unit.endsWith('s') ? unit.slice(0, -1) : unit}`;
      const distance = (value - column.median) / column.deviation;
      const position =
        Math.abs(distance) < 0.25
          ? 'close to'
          : `${Math.abs(distance) >= 1 ? 'well ' : ''}${distance > 0 ? 'above' : 'below'}`;
      return `${column.column} ${withUnit(value)}, ${position} the typical ${withUnit(column.median)}`;
    }
    default:
      return assertNever(column);
  }
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(2)));
}

function assertNever(value: never): never {
  throw new Error(`Unexpected column encoding ${JSON.stringify(value)}`);
}
