// `tend models fit churn --csv FILE.csv --target COL …`: cross-validates the churn classifier on a
// user's table (AUC per fold, calibration by decile), names its strongest features, and with --out
// writes each row's risk and top reasons.
import { churnReport, churnReportDefaults, type ChurnReport } from '../domain/models/churn-report.js';
import {
  fixed,
  formatTable,
  inFile,
  listOption,
  numberOption,
  percent,
  printJson,
  readCsvFile,
  writeCsvFile,
} from './models-output.js';

interface ChurnCommandOptions {
  csv: string;
  target: string;
  positive?: string;
  id?: string;
  drop?: string;
  folds?: string;
  seed?: string;
  out?: string;
  json?: boolean;
}

export async function fitChurnCommand(options: ChurnCommandOptions): Promise<void> {
  const folds = numberOption(
    options.folds,
    '--folds',
    churnReportDefaults.folds,
    (value) => Number.isInteger(value) && value >= 2,
    'a whole number ≥ 2',
  );
  const seed = numberOption(options.seed, '--seed', churnReportDefaults.seed, Number.isInteger, 'a whole number');
  const table = readCsvFile(options.csv, 'CSV file');
  const report = inFile(options.csv, () =>
    churnReport(table, {
      target: options.target,
      ...(options.positive === undefined ? {} : { positive: options.positive }),
      ...(options.id === undefined ? {} : { idColumn: options.id }),
      drop: listOption(options.drop),
      folds,
      seed,
    }),
  );
  if (options.out !== undefined) writeScores(options.out, report, options.id ?? 'row');
  if (options.json) {
    const { scores: _scores, ...summary } = report;
    printJson({ file: options.csv, ...summary, out: options.out ?? null });
    return;
  }
  printReport(report, options);
}

function writeScores(file: string, report: ChurnReport, idHeader: string): void {
  const reasons = churnReportDefaults.reasons;
  const header = [idHeader, 'risk', ...Array.from({ length: reasons }, (_, i) => `reason_${i + 1}`)];
  writeCsvFile(
    file,
    header,
    report.scores.map((score) => [
      score.id,
      score.probability,
      ...Array.from({ length: reasons }, (_, i) => score.reasons[i]?.text ?? null),
    ]),
  );
}

function printReport(report: ChurnReport, options: ChurnCommandOptions): void {
  console.log(
    `Churn classifier on ${options.csv}: ${report.records} rows, ` +
      `target "${report.target}" = "${report.positive}" in ${report.positives} ` +
      `(${percent(report.positives / report.records, 1)}).`,
  );
  console.log(`Cross-validated AUC (${report.folds} stratified folds, seed ${report.seed}): ${fixed(report.auc, 3)}`);
  console.log(`  per fold: ${report.foldAucs.map((auc) => fixed(auc, 3)).join(', ')}`);
  console.log('\nCalibration by decile of predicted risk (out-of-fold):');
  console.log(
    formatTable(
      ['decile', 'rows', 'predicted', 'observed'],
      report.calibration.map((bin) => [
        String(bin.bin),
        String(bin.count),
        percent(bin.meanPredicted, 1),
        percent(bin.observedRate, 1),
      ]),
      ['right', 'right', 'right', 'right'],
    ),
  );
  console.log('\nStrongest features (coefficients on standardised features, model fitted on all rows):');
  console.log(
    formatTable(
      ['feature', 'coefficient', 'effect'],
      report.strongestFeatures.map((feature) => [
        feature.feature,
        fixed(feature.coefficient, 3),
        `${feature.direction} risk`,
      ]),
      ['left', 'right', 'left'],
    ),
  );
  if (options.out !== undefined) console.log(`\nWrote each row's risk and top reasons to ${options.out}`);
}
