import { describe, expect, it } from 'vitest';
import {
  areaUnderCurve,
  calibrationTable,
  crossValidateChurn,
  explainRecord,
  scoreChurn,
  stratifiedFolds,
  trainChurnModel,
} from './churn-classifier.js';
import type { RecordTable } from './feature-encoding.js';
import { seededRandom } from './random.js';

/** Customers whose churn follows a known model: monthly plans and short tenure churn more. */
function simulatedCustomers(count: number, seed: number): { table: RecordTable; truth: number[] } {
  const random = seededRandom(seed);
  const plans = ['Monthly', 'Annual', 'Biennial'];
  const planEffect: Record<string, number> = { Monthly: 1, Annual: -0.5, Biennial: -1.5 };
  const records: string[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < count; i++) {
    const plan = plans[random.integer(3)]!;
    const months = 1 + random.integer(72);
    const noise = random.normal().toFixed(3);
    const probability = 1 / (1 + Math.exp(-(planEffect[plan]! - 0.04 * (months - 36))));
    truth.push(probability);
    records.push([`c${i}`, plan, String(months), noise, random.next() < probability ? 'Yes' : 'No']);
  }
  return { table: { header: ['id', 'plan', 'months', 'noise', 'churn'], records }, truth };
}

describe('areaUnderCurve', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 when every score ties', () => {
    expect(areaUnderCurve([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(areaUnderCurve([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(areaUnderCurve([0.3, 0.3, 0.3, 0.3], [0, 1, 0, 1])).toBe(0.5);
  });

  it('counts a tied positive–negative pair as half', () => {
    expect(areaUnderCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(areaUnderCurve([0.5, 0.5, 0.5, 0.9], [0, 1, 0, 1])).toBe(0.75);
  });

  it('equals the share of positive–negative pairs ranked correctly', () => {
    const random = seededRandom(5);
    const scores = Array.from({ length: 200 }, () => Math.round(random.next() * 20) / 20);
    const outcomes = scores.map((score) => (random.next() < score ? 1 : 0));
    let wins = 0;
    let pairs = 0;
    scores.forEach((positive, i) => {
      if (outcomes[i] !== 1) return;
      scores.forEach((negative, j) => {
        if (outcomes[j] !== 0) return;
        pairs++;
        wins += positive > negative ? 1 : positive === negative ? 0.5 : 0;
      });
    });
    expect(areaUnderCurve(scores, outcomes)).toBeCloseTo(wins / pairs, 12);
  });
});

describe('stratifiedFolds', () => {
  it('gives every fold the same share of each class, within one record, reproducibly', () => {
    const outcomes = Array.from({ length: 103 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const folds = stratifiedFolds(outcomes, 5, 9);
    for (let fold = 0; fold < 5; fold++) {
      const positives = outcomes.filter((outcome, row) => outcome === 1 && folds[row] === fold).length;
      const negatives = outcomes.filter((outcome, row) => outcome === 0 && folds[row] === fold).length;
      expect(Math.abs(positives - 26 / 5)).toBeLessThan(1);
      expect(Math.abs(negatives - 77 / 5)).toBeLessThan(1);
    }
    expect(stratifiedFolds(outcomes, 5, 9)).toEqual(folds);
    expect(stratifiedFolds(outcomes, 5, 10)).not.toEqual(folds);
  });
});

describe('calibrationTable', () => {
  it('puts equal counts in bins of ascending prediction', () => {
    const predictions = Array.from({ length: 100 }, (_, i) => (99 - i) / 100);
    const outcomes = predictions.map((p) => (p >= 0.5 ? 1 : 0));
    const table = calibrationTable(predictions, outcomes);
    expect(table.map((bin) => bin.count)).toEqual(Array(10).fill(10));
    expect(table[0]).toMatchObject({ bin: 1, observedRate: 0 });
    expect(table[0]!.meanPredicted).toBeCloseTo(0.045, 12);
    expect(table[9]).toMatchObject({ bin: 10, observedRate: 1 });
  });
});

describe('crossValidateChurn', () => {
  const { table, truth } = simulatedCustomers(3000, 21);
  const options = { target: 'churn', idColumn: 'id', units: { months: 'months' } };

  it('comes close to the AUC of the true probabilities, and is calibrated', () => {
    const result = crossValidateChurn(table, options);
    const best = areaUnderCurve(truth, result.outcomes);
    expect(result.auc).toBeGreaterThan(best - 0.02);
    expect(result.auc).toBeLessThanOrEqual(best + 0.01);
    expect(result.foldAucs).toHaveLength(5);
    for (const bin of result.calibration) expect(Math.abs(bin.observedRate - bin.meanPredicted)).toBeLessThan(0.08);
  });

  it('scores about 0.5 when the target is shuffled (nothing leaks from the target)', () => {
    const random = seededRandom(4);
    const shuffled = random.shuffle(table.records.map((record) => record[4]!));
    const records = table.records.map((record, row) => [...record.slice(0, 4), shuffled[row]!]);
    const result = crossValidateChurn({ header: table.header, records }, options);
    expect(Math.abs(result.auc - 0.5)).toBeLessThan(0.04);
  });

  it('refuses more folds than the smaller class has records', () => {
    const tiny = {
      header: ['x', 'y'],
      records: [
        ['1', 'Yes'],
        ['2', 'No'],
        ['3', 'No'],
        ['4', 'No'],
      ],
    };
    expect(() => crossValidateChurn(tiny, { target: 'y' })).toThrow(/at least 5 records of each class/);
  });
});

describe('explainRecord', () => {
  const { table } = simulatedCustomers(3000, 22);
  const churn = trainChurnModel(table, { target: 'churn', idColumn: 'id', units: { months: 'months' } });

  it('says a monthly plan and a short tenure raise risk, in words', () => {
    const reasons = explainRecord(churn, ['new', 'Monthly', '2', '0.1', 'No'], 2);
    // Months are uniform on 1–72, so the typical (median) customer has been with us about 36 months.
    expect(reasons[0]!.text).toMatch(/^months 2 months, well below the typical 3[5-7](\.5)? months \(raises risk\)$/);
    expect(reasons[1]!.text).toBe('plan is Monthly (raises risk)');
    expect(reasons[0]!.contribution).toBeGreaterThan(reasons[1]!.contribution);
  });

  it('says a biennial plan and a long tenure lower risk', () => {
    const reasons = explainRecord(churn, ['old', 'Biennial', '70', '0', 'No'], 2);
    expect(reasons.map((reason) => `${reason.column} ${reason.direction}`).sort()).toEqual([
      'months lowers',
      'plan lowers',
    ]);
  });

  it('scores every record with its id', () => {
    const scores = scoreChurn(churn, table, 'id');
    expect(scores).toHaveLength(3000);
    expect(scores[0]!.id).toBe('c0');
    expect(scores.every((score) => score.probability > 0 && score.probability < 1 && score.reasons.length === 3)).toBe(
      true,
    );
  });
});
