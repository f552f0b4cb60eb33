// Reproduces the IBM Telco churn figures (reference README) with Tend's churn classifier, and
// checks that nothing leaks from the target or the id into the features.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossValidateChurn, explainRecord, trainChurnModel } from '../../src/domain/models/churn-classifier.js';
import { parseCsvTable } from '../../src/domain/models/csv-table.js';
import { fitFeatureEncoder } from '../../src/domain/models/feature-encoding.js';
import type { CsvTable } from '../../src/domain/models/csv-table.js';
import type { ChurnModel } from '../../src/domain/models/churn-classifier.js';
import { seededRandom } from '../../src/domain/models/random.js';
import { reproductionPasses } from '../../src/domain/models/reproductions/reproduction-row.js';
import { telcoChurnOptions, telcoReproductions } from '../../src/domain/models/reproductions/telco-reproductions.js';
import { referenceFile } from '../support/reference-data.js';

const path = referenceFile('telco/WA_Fn-UseC_-Telco-Customer-Churn.csv');

describe.skipIf(path === null)('Telco customer churn', () => {
  // Loaded in beforeAll: a skipped suite's body still runs when tests are collected.
  let table: CsvTable;
  beforeAll(() => {
    table = parseCsvTable(readFileSync(path!, 'utf8'));
  });
  const column = (name: string): number => table.header.indexOf(name);

  it('reads 7,043 customers × 21 columns, 1,869 churned, 11 blank TotalCharges (all with tenure 0)', () => {
    expect(table.records).toHaveLength(7043);
    expect(table.header).toHaveLength(21);
    expect(table.records.filter((record) => record[column('Churn')] === 'Yes')).toHaveLength(1869);
    const blanks = table.records.filter((record) => record[column('TotalCharges')]!.trim() === '');
    expect(blanks).toHaveLength(11);
    expect(blanks.every((record) => record[column('tenure')] === '0')).toBe(true);
  });

  it('reaches the published AUC (≥ 0.84) in 5-fold stratified cross-validation, on every seed tried', () => {
    for (const seed of [1, 2, 3]) {
      const result = crossValidateChurn(table, { ...telcoChurnOptions, folds: 5, seed });
      expect(result.auc).toBeGreaterThanOrEqual(0.84);
      expect(Math.min(...result.foldAucs)).toBeGreaterThan(0.82);
      // Calibrated: every decile's observed churn within 5 points of what was predicted.
      for (const bin of result.calibration) expect(Math.abs(bin.observedRate - bin.meanPredicted)).toBeLessThan(0.05);
    }
  });

  it('passes every reproduction row', () => {
    const rows = telcoReproductions(table);
    expect(rows.filter((row) => !reproductionPasses(row))).toEqual([]);
  });

  it('never sees Churn or customerID among the features, and imputes blank TotalCharges', () => {
    const encoder = fitFeatureEncoder(table, telcoChurnOptions);
    const columns = new Set(encoder.features.map((feature) => feature.column));
    expect(columns.has('Churn')).toBe(false);
    expect(columns.has('customerID')).toBe(false);
    expect(columns.size).toBe(19);
    expect(encoder.features.map((feature) => feature.name)).toEqual(
      expect.arrayContaining(['Contract = Month-to-month', 'Contract = Two year', 'tenure', 'TotalCharges is blank']),
    );
  });

  it('standardises each fold with its training rows only', () => {
    const training = table.records.map((_, row) => row).filter((row) => row % 5 !== 0);
    const encoder = fitFeatureEncoder(table, telcoChurnOptions, training);
    const tenure = encoder.columns.find((encoding) => encoding.column === 'tenure');
    const trainingMean =
      training.reduce((sum, row) => sum + Number(table.records[row]![column('tenure')]), 0) / training.length;
    const fullMean =
      table.records.reduce((sum, record) => sum + Number(record[column('tenure')]), 0) / table.records.length;
    expect(tenure?.kind === 'numeric' ? tenure.mean : Number.NaN).toBeCloseTo(trainingMean, 10);
    expect(Math.abs(trainingMean - fullMean)).toBeGreaterThan(1e-6);
  });

  it('scores about 0.5 when the target is shuffled', () => {
    const shuffled = seededRandom(99).shuffle(table.records.map((record) => record[column('Churn')]!));
    const records = table.records.map((record, row) =>
      record.map((value, i) => (i === column('Churn') ? shuffled[row]! : value)),
    );
    const result = crossValidateChurn({ header: table.header, records }, telcoChurnOptions);
    expect(Math.abs(result.auc - 0.5)).toBeLessThan(0.03);
  });

  describe('reasons', () => {
    let churn: ChurnModel;
    beforeAll(() => {
      churn = trainChurnModel(table, telcoChurnOptions);
    });
    const allReasons = (record: readonly string[]) => explainRecord(churn, record, 100);
    const direction = (record: readonly string[], name: string) =>
      allReasons(record).find((reason) => reason.column === name)?.direction;

    it('say a month-to-month contract raises risk and a two-year contract lowers it, for every such customer', () => {
      for (const record of table.records) {
        const contract = record[column('Contract')];
        if (contract === 'Month-to-month') expect(direction(record, 'Contract')).toBe('raises');
        if (contract === 'Two year') expect(direction(record, 'Contract')).toBe('lowers');
      }
    });

    it('say a short tenure raises risk and a long one lowers it', () => {
      for (const record of table.records) {
        const tenure = Number(record[column('tenure')]);
        if (tenure <= 6) expect(direction(record, 'tenure')).toBe('raises');
        if (tenure >= 60) expect(direction(record, 'tenure')).toBe('lowers');
      }
    });

    it('name short tenure and the contract in words for a new month-to-month customer', () => {
      const record = table.records.find((candidate) => candidate[column('customerID')] === '3668-QPYBK')!;
      const texts = explainRecord(churn, record, 3).map((reason) => reason.text);
      expect(texts).toContain('tenure 2 months, well below the typical 29 months (raises risk)');
      expect(texts).toContain('Contract is Month-to-month (raises risk)');
    });

    it('rank the contract among the top three reasons for most high-risk customers', () => {
      const risky = table.records.filter(
        (record) => record[column('Contract')] === 'Month-to-month' && record[column('Churn')] === 'Yes',
      );
      const withContract = risky.filter((record) =>
        explainRecord(churn, record, 3).some((reason) => reason.column === 'Contract'),
      );
      expect(withContract.length / risky.length).toBeGreaterThan(0.5);
    });
  });
});
