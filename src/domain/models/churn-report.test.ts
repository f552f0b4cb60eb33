// The report behind `tend models fit churn`, on a synthetic table with a planted signal.
import { describe, expect, it } from 'vitest';
import { churnReport } from './churn-report.js';
import { seededRandom } from './random.js';

/** Monthly plans and few logins churn; colour is noise. */
function accounts(rows: number) {
  const random = seededRandom(3);
  const records: string[][] = [];
  for (let id = 1; id <= rows; id++) {
    const monthly = random.next() < 0.5;
    const logins = random.poisson(monthly ? 5 : 9);
    const logit = (monthly ? 1 : -1) - 0.3 * (logins - 7);
    const churned = random.next() < 1 / (1 + Math.exp(-logit));
    records.push([
      `acct-${id}`,
      monthly ? 'monthly' : 'annual',
      String(logins),
      ['red', 'blue'][random.integer(2)]!,
      churned ? 'Yes' : 'No',
    ]);
  }
  return { header: ['account', 'plan', 'logins', 'colour', 'Churn'], records };
}

describe('churnReport', () => {
  it('measures AUC out of fold, ranks the planted features first, and scores every row with reasons', () => {
    const table = accounts(500);
    const report = churnReport(table, { target: 'Churn', idColumn: 'account', seed: 2 });
    expect(report).toMatchObject({ target: 'Churn', positive: 'Yes', records: 500, folds: 5, seed: 2 });
    expect(report.positives).toBe(table.records.filter((record) => record[4] === 'Yes').length);
    expect(report.auc).toBeGreaterThan(0.75);
    expect(report.foldAucs).toHaveLength(5);
    expect(report.calibration.reduce((sum, bin) => sum + bin.count, 0)).toBe(500);
    const ranked = report.strongestFeatures.map((feature) => feature.column);
    expect(ranked.indexOf('colour')).toBeGreaterThan(Math.max(ranked.indexOf('plan'), ranked.indexOf('logins')));
    expect(report.strongestFeatures.find((feature) => feature.feature === 'plan = monthly')?.direction).toBe('raises');
    expect(report.scores).toHaveLength(500);
    expect(report.scores[0]!.id).toBe('acct-1');
    expect(
      report.scores.every((score) => score.reasons.length === 3 && score.probability > 0 && score.probability < 1),
    ).toBe(true);
  });

  it('leaves dropped columns out of the features and keeps to the requested count', () => {
    const report = churnReport(accounts(200), {
      target: 'Churn',
      idColumn: 'account',
      drop: ['colour'],
      features: 2,
      folds: 4,
    });
    expect(report.folds).toBe(4);
    expect(report.foldAucs).toHaveLength(4);
    expect(report.strongestFeatures).toHaveLength(2);
    expect(report.scores.flatMap((score) => score.reasons.map((reason) => reason.column))).not.toContain('colour');
  });
});
