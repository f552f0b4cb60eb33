import { describe, expect, it } from 'vitest';
import { encodeRecord, encodeRows, encodeTarget, fitFeatureEncoder, type RecordTable } from './feature-encoding.js';
import { ModelInputError } from './model-input-error.js';

const table: RecordTable = {
  header: ['id', 'plan', 'months', 'spend', 'churned'],
  records: [
    ['a', 'Monthly', '1', '10', 'Yes'],
    ['b', 'Annual', '3', '', 'No'],
    ['c', 'Monthly', '5', '30', 'Yes'],
    ['d', 'Annual', '7', '50', 'No'],
    ['e', 'Biennial', '100', '900', 'No'],
  ],
  lineNumbers: [2, 3, 4, 5, 6],
};
const options = { target: 'churned', idColumn: 'id' };

describe('encodeTarget', () => {
  it('reads Yes as positive without being told', () => {
    expect(encodeTarget(table, options)).toEqual({ outcomes: [1, 0, 1, 0, 0], positive: 'Yes' });
  });

  it('refuses a missing target, one class, an unknown positive value and a blank target, naming them', () => {
    expect(() => encodeTarget(table, { target: 'Churn' })).toThrow(/target column "Churn" is not in the header/);
    const oneClass = { ...table, records: table.records.map((record) => [...record.slice(0, 4), 'No']) };
    expect(() => encodeTarget(oneClass, options)).toThrow(/only one class \(No\)/);
    expect(() => encodeTarget(table, { ...options, positive: 'yes' })).toThrow(/positive value "yes" does not occur/);
    const blank = { ...table, records: [...table.records.slice(0, 2), ['x', 'Annual', '2', '1', ' ']] };
    expect(() => encodeTarget(blank, options)).toThrow(/blank on line 4/);
    try {
      encodeTarget(table, { target: 'Churn' });
    } catch (error) {
      expect(error).toBeInstanceOf(ModelInputError);
      expect((error as ModelInputError).location.column).toBe('Churn');
    }
  });

  it('asks for the positive value when it cannot be inferred', () => {
    const colours = { header: ['c'], records: [['red'], ['blue']] };
    expect(() => encodeTarget(colours, { target: 'c' })).toThrow(/--positive/);
  });
});

describe('fitFeatureEncoder', () => {
  it('leaves out the target, the id and dropped columns, and names features readably', () => {
    const encoder = fitFeatureEncoder(table, options);
    expect(encoder.features.map((feature) => feature.name)).toEqual([
      'plan = Annual',
      'plan = Biennial',
      'plan = Monthly',
      'months',
      'log months',
      'spend',
      'log spend',
      'spend is blank',
    ]);
    const dropped = fitFeatureEncoder(table, { ...options, drop: ['spend'] });
    expect(dropped.features.map((feature) => feature.column)).not.toContain('spend');
    expect(() => fitFeatureEncoder(table, { ...options, drop: ['nope'] })).toThrow(/column to drop "nope"/);
  });

  it('standardises with training statistics only and imputes the training mean for blanks', () => {
    const training = [0, 1, 2, 3];
    const encoder = fitFeatureEncoder(table, options, training);
    const months = encoder.columns.find((column) => column.column === 'months');
    // The outlier in row 4 (100 months) is not in training: mean 4, population sd √5.
    expect(months).toMatchObject({ kind: 'numeric', mean: 4, median: 4 });
    expect(months?.kind === 'numeric' ? months.deviation : 0).toBeCloseTo(Math.sqrt(5), 12);
    const spend = encoder.columns.find((column) => column.column === 'spend');
    expect(spend).toMatchObject({ kind: 'numeric', mean: 30, hasMissingIndicator: true });
    // Row 1: Annual, 3 months, blank spend → spend at the mean (0) and the missing flag set.
    const row = encodeRecord(encoder, table.records[1]!);
    expect(row.slice(0, 2)).toEqual([1, 0]);
    expect(row[2]).toBeCloseTo(-1 / Math.sqrt(5), 12);
    expect(row.slice(4)).toEqual([0, 0, 1]);
    // Standardised training columns average to zero; the encoder's feature means say so.
    expect(encoder.featureMeans[2]).toBeCloseTo(0, 12);
    expect(encoder.featureMeans[0]).toBeCloseTo(0.5, 12);
  });

  it('encodes a level unseen in training as all zeros', () => {
    const encoder = fitFeatureEncoder(table, options, [0, 1, 2, 3]);
    const [encoded] = encodeRows(encoder, table, [4]);
    expect(encoded!.slice(0, 2)).toEqual([0, 0]);
  });

  it('refuses a text column that looks like an identifier', () => {
    const records = Array.from({ length: 300 }, (_, i) => [`customer-${i}`, i % 2 === 0 ? 'Yes' : 'No']);
    expect(() => fitFeatureEncoder({ header: ['key', 'y'], records }, { target: 'y' })).toThrow(
      /"key" has 300 distinct values/,
    );
  });
});
