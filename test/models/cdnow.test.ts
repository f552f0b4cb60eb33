// Reproduces the CDNOW figures (reference README: Fader, Hardie & Lee 2005 and later reproductions)
// with Tend's customer summary, BG/NBD, Pareto/NBD and gamma-gamma models.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitBgNbd } from '../../src/domain/models/bg-nbd.js';
import { groupHistories, type CustomerSummary } from '../../src/domain/models/customer-summary.js';
import {
  fitGammaGamma,
  gammaGammaExpectedOrderValue,
  gammaGammaPopulationMeanValue,
} from '../../src/domain/models/gamma-gamma.js';
import { customerLifetimeValue } from '../../src/domain/models/lifetime-value.js';
import {
  cdnowBgNbdReproduction,
  cdnowGammaGammaReproduction,
  cdnowParetoNbdReproduction,
  cdnowSummaryReproduction,
  parseCdnowSample,
  summariseCdnow,
  type CdnowTransaction,
} from '../../src/domain/models/reproductions/cdnow-reproductions.js';
import { reproductionPasses, type ReproductionRow } from '../../src/domain/models/reproductions/reproduction-row.js';
import { referenceFile } from '../support/reference-data.js';

const samplePath = referenceFile('cdnow/CDNOW_sample.txt');
const summaryPath = referenceFile('cdnow/cdnow_customers_summary.csv');

/** Each row as its own assertion, so a failure names the figure. */
function expectReproduced(rows: ReproductionRow[]): void {
  for (const row of rows) {
    expect({ name: row.name, value: row.value, holds: reproductionPasses(row) }).toEqual({
      name: row.name,
      value: row.value,
      holds: true,
    });
  }
}

describe.skipIf(samplePath === null || summaryPath === null)('CDNOW sample (2,357 customers)', () => {
  // Loaded in beforeAll: a skipped suite's body still runs when tests are collected.
  let transactions: CdnowTransaction[];
  let summaries: CustomerSummary[];
  beforeAll(() => {
    transactions = parseCdnowSample(readFileSync(samplePath!, 'utf8'));
    summaries = summariseCdnow(transactions);
  });

  it('reads 6,919 records and reproduces the split: 2,457 / 1,882 repeat transactions, 1,411 without repeat', () => {
    expect(transactions).toHaveLength(6919);
    const rows = cdnowSummaryReproduction(transactions);
    expect(rows).toHaveLength(4);
    expectReproduced(rows);
  });

  it('agrees customer by customer with cdnow_customers_summary.csv (ID, frequency, recency, T in weeks)', () => {
    const lines = readFileSync(summaryPath!, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('ID,frequency,recency,T');
    const published = new Map(
      lines.slice(1).map((line) => {
        const [id, frequency, recency, age] = line.split(',').map(Number) as [number, number, number, number];
        return [id, { frequency, recency, age }];
      }),
    );
    expect(published.size).toBe(summaries.length);
    for (const customer of summaries) {
      const expected = published.get(customer.customerId as number);
      expect(expected, `customer ${customer.customerId}`).toBeDefined();
      expect(customer.frequency).toBe(expected!.frequency);
      // The file rounds to two decimals.
      expect(Math.abs(customer.recency - expected!.recency)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(customer.age - expected!.age)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
  });

  it('reproduces BG/NBD: parameters, LL, P(alive), conditional and unconditional forecasts, holdout table, cumulative sales', () => {
    const rows = cdnowBgNbdReproduction(transactions);
    expect(rows.length).toBe(42);
    expectReproduced(rows);
  });

  it('reproduces Pareto/NBD: parameters, LL, P(alive), forecasts', () => {
    const rows = cdnowParetoNbdReproduction(transactions);
    expect(rows.length).toBe(8);
    expectReproduced(rows);
  });

  it('reproduces the gamma-gamma fit reported by lifetimes on the same 946 repeat customers', () => {
    expectReproduced(cdnowGammaGammaReproduction(transactions));
  });

  it('gamma-gamma behaves sensibly: shrinks each mean toward the population mean, more for fewer orders', () => {
    const repeaters = summaries.filter((customer) => customer.frequency > 0);
    const spend = repeaters.map((customer) => ({
      frequency: customer.frequency,
      averageValue: customer.averageRepeatValue!,
    }));
    const { parameters } = fitGammaGamma(spend);
    const populationMean = gammaGammaPopulationMeanValue(parameters);
    const observedMean = spend.reduce((sum, customer) => sum + customer.averageValue, 0) / spend.length;
    // The model's population mean sits near the customers' average of averages.
    expect(Math.abs(populationMean - observedMean) / observedMean).toBeLessThan(0.1);
    for (const customer of spend) {
      const expected = gammaGammaExpectedOrderValue(parameters, customer);
      const low = Math.min(populationMean, customer.averageValue);
      const high = Math.max(populationMean, customer.averageValue);
      expect(expected).toBeGreaterThanOrEqual(low - 1e-9);
      expect(expected).toBeLessThanOrEqual(high + 1e-9);
    }
    const oneOrder = gammaGammaExpectedOrderValue(parameters, { frequency: 1, averageValue: 100 });
    const tenOrders = gammaGammaExpectedOrderValue(parameters, { frequency: 10, averageValue: 100 });
    expect(Math.abs(tenOrders - 100)).toBeLessThan(Math.abs(oneOrder - 100));
  });

  it('lifetime value: the undiscounted value over the holdout equals margin × value × conditional expectation', () => {
    const { parameters } = fitBgNbd(groupHistories(summaries));
    const model = { kind: 'bg-nbd', parameters } as const;
    const customer = summaries[0]!;
    const undiscounted = customerLifetimeValue(model, customer, 20, {
      periods: 39,
      periodLength: 1,
      discountRate: 0,
      marginShare: 0.3,
    });
    const discounted = customerLifetimeValue(model, customer, 20, {
      periods: 39,
      periodLength: 1,
      discountRate: 0.01,
      marginShare: 0.3,
    });
    // Customer 1 expects 1.226 purchases in 39 weeks (FHL 2005).
    expect(undiscounted).toBeCloseTo(0.3 * 20 * 1.226, 1);
    expect(discounted).toBeLessThan(undiscounted);
    expect(discounted).toBeGreaterThan(undiscounted / 1.01 ** 39);
  });
});
