// The IBM Telco churn figures Tend's churn classifier must reproduce, as rows `tend models check`
// prints: the data's published shape, and 5-fold stratified AUC of plain logistic regression.
import { crossValidateChurn } from '../churn-classifier.js';
import type { RecordTable } from '../feature-encoding.js';
import { withinRow, type ReproductionRow } from './reproduction-row.js';

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
    withinRow('Telco customers', 7043, table.records.length, 0),
    withinRow('Telco churned customers', 1869, churned, 0),
    withinRow('Telco blank TotalCharges', 11, blankTotals, 0),
    withinRow('Telco accuracy of always "no churn"', 0.735, 1 - churned / table.records.length, 0.0005),
    withinRow('Telco 5-fold stratified AUC, logistic regression', 0.845, result.auc, 0.005),
    withinRow('Telco 5-fold accuracy at 0.5, logistic regression', 0.815, correct / result.outcomes.length, 0.015),
  ];
}
