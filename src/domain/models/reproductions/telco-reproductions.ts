// The IBM Telco churn figures Tend's churn classifier must reproduce, as rows `tend models check`
// prints: the data's published shape, and 5-fold stratified AUC of plain logistic regression.
import { crossValidateChurn } from '../churn-classifier.js';
import type { RecordTable } from '../feature-encoding.js';

/** One reproduced figure: passes when |value − published| ≤ tolerance. */
export interface ReproductionRow {
  name: string;
  published: number;
  value: number;
  tolerance: number;
}

/** Whether a reproduced figure is close enough to the published one. */
export function reproductionPasses(row: ReproductionRow): boolean {
  return Math.abs(row.value - row.published) <= row.tolerance;
}

/** The options the Telco file needs: `Churn` is the target, `customerID` names customers. */
export const telcoChurnOptions = {
  target: 'Churn',
  positive: 'Yes',
  idColumn: 'customerID',
  units: { tenure: 'months' },
} as const;

/**
 * Reproduces the Telco figures from the parsed file (`WA_Fn-UseC_-Telco-Customer-Churn.csv`):
 * published AUC about 0.84 (Lalwani et al. 2022), 0.845 for one-hot logistic regression in 5-fold
 * stratified cross-validation; accuracy 0.80–0.83; always-"no" accuracy 0.735.
 */
export function telcoReproductions(table: RecordTable, seed = 1): ReproductionRow[] {
  const column = (name: string): number => table.header.indexOf(name);
  const churn = column('Churn');
  const totalCharges = column('TotalCharges');
  const churned = table.records.filter((record) => record[churn] === 'Yes').length;
  const blankTotals = table.records.filter((record) => (record[totalCharges] ?? '').trim() === '').length;
  const result = crossValidateChurn(table, { ...telcoChurnOptions, folds: 5, seed });
  const correct = result.predictions.filter((p, row) => (p >= 0.5 ? 1 : 0) === result.outcomes[row]).length;
  return [
    { name: 'Telco customers', published: 7043, value: table.records.length, tolerance: 0 },
    { name: 'Telco churned customers', published: 1869, value: churned, tolerance: 0 },
    { name: 'Telco blank TotalCharges', published: 11, value: blankTotals, tolerance: 0 },
    { name: 'Telco accuracy of always "no churn"', published: 0.735, value: 1 - churned / table.records.length, tolerance: 0.0005 },
    { name: 'Telco 5-fold stratified AUC, logistic regression', published: 0.845, value: result.auc, tolerance: 0.005 },
    { name: 'Telco 5-fold accuracy at 0.5, logistic regression', published: 0.815, value: correct / result.outcomes.length, tolerance: 0.015 },
  ];
}
