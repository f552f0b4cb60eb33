// Everything `tend models fit churn` reports about a user's table: cross-validated AUC per fold,
// calibration by decile, the strongest features of the final model, and every row's risk with reasons.
import {
  crossValidateChurn,
  scoreChurn,
  trainChurnModel,
  type CalibrationBin,
  type ChurnOptions,
  type ChurnScore,
} from './churn-classifier.js';
import { encodeTarget, type RecordTable } from './feature-encoding.js';

/** One feature of the final model, by the size of its (standardised) coefficient. */
export interface FeatureStrength {
  feature: string;
  column: string;
  coefficient: number;
  direction: 'raises' | 'lowers';
}

export interface ChurnReport {
  target: string;
  positive: string;
  records: number;
  positives: number;
  folds: number;
  seed: number;
  auc: number;
  foldAucs: number[];
  calibration: CalibrationBin[];
  strongestFeatures: FeatureStrength[];
  scores: ChurnScore[];
}

/** Defaults the report uses when the options leave them out. */
export const churnReportDefaults = { folds: 5, seed: 1, features: 10, reasons: 3 } as const;

/**
 * Measures the classifier by stratified cross-validation, then fits it on every row and scores
 * every row with its top reasons: the numbers to trust it by, and the list to act on.
 */
export function churnReport(
  table: RecordTable,
  options: ChurnOptions & { features?: number; reasons?: number },
): ChurnReport {
  const folds = options.folds ?? churnReportDefaults.folds;
  const seed = options.seed ?? churnReportDefaults.seed;
  const { outcomes, positive } = encodeTarget(table, options);
  const validation = crossValidateChurn(table, { ...options, folds, seed });
  const churn = trainChurnModel(table, options);
  const strongestFeatures = churn.encoder.features
    .map((feature, j): FeatureStrength => {
      const coefficient = churn.model.coefficients[j] ?? 0;
      return {
        feature: feature.name,
        column: feature.column,
        coefficient,
        direction: coefficient > 0 ? 'raises' : 'lowers',
      };
    })
    .sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient))
    .slice(0, options.features ?? churnReportDefaults.features);
  return {
    target: options.target,
    positive,
    records: outcomes.length,
    positives: outcomes.filter((outcome) => outcome === 1).length,
    folds,
    seed,
    auc: validation.auc,
    foldAucs: validation.foldAucs,
    calibration: validation.calibration,
    strongestFeatures,
    scores: scoreChurn(churn, table, options.idColumn, options.reasons ?? churnReportDefaults.reasons),
  };
}
