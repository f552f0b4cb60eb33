// Published CDNOW figures (Fader, Hardie & Lee 2005 and later reproductions) next to Tend's values,
// as rows that `tend models check` prints and the reproduction tests assert. Pure: callers read the files.

import {
  bgNbdConditionalExpectedPurchases,
  bgNbdExpectedPurchases,
  bgNbdProbabilityAlive,
  fitBgNbd,
} from '../bg-nbd.js';
import { epochDay, groupHistories, summariseCustomers, type CustomerSummary } from '../customer-summary.js';
import { fitGammaGamma } from '../gamma-gamma.js';
import {
  fitParetoNbd,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdProbabilityAlive,
} from '../pareto-nbd.js';
import { withinRow, type ReproductionRow } from './reproduction-row.js';

export interface CdnowTransaction {
  customerId: number;
  day: number;
  cds: number;
  amount: number;
}

/** Parses CDNOW_sample.txt (`master_id sample_id yyyymmdd cds dollars`, CRLF); the sample id is the customer. */
export function parseCdnowSample(text: string): CdnowTransaction[] {
  const transactions: CdnowTransaction[] = [];
  for (const line of text.split(/\r?\n/)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5) continue;
    const [, sampleId, date, cds, dollars] = fields as [string, string, string, string, string];
    const day = epochDay(Number(date.slice(0, 4)), Number(date.slice(4, 6)), Number(date.slice(6, 8)));
    transactions.push({ customerId: Number(sampleId), day, cds: Number(cds), amount: Number(dollars) });
  }
  return transactions;
}

/** The paper's split: calibration to 1997-09-30 (39 weeks), holdout to 1998-06-30, in weeks. */
export function summariseCdnow(transactions: readonly CdnowTransaction[]): CustomerSummary[] {
  return summariseCustomers(transactions, { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30', timeUnit: 'week' });
}

const HOLDOUT_WEEKS = 39;
/** Parameters: within half a per cent of the published value. */
const parameterRow = (name: string, published: number, value: number): ReproductionRow =>
  withinRow(name, published, value, Math.abs(published) * 0.005);
const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);

/** Transaction counts of the calibration/holdout split (FHL 2005, section 3). */
export function cdnowSummaryReproduction(transactions: readonly CdnowTransaction[]): ReproductionRow[] {
  const summaries = summariseCdnow(transactions);
  const withoutRepeat = summaries.filter((customer) => customer.frequency === 0).length;
  return [
    withinRow('customers', 2357, summaries.length, 0),
    withinRow('repeat transactions, calibration', 2457, sum(summaries.map((customer) => customer.frequency)), 0),
    withinRow('repeat transactions, holdout', 1882, sum(summaries.map((customer) => customer.holdoutFrequency)), 0),
    withinRow('customers without a repeat purchase', 1411, withoutRepeat, 0),
  ];
}

const FIRST_CUSTOMER = { frequency: 2, recency: 30.43, age: 38.86 };
const HEAVY_CUSTOMER = { frequency: 26, recency: 30.857, age: 31 };
const HEAVY = 'x=26, tx=30.857, T=31';
const FREQUENCY_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7+'];
const classOf = (frequency: number): number => Math.min(frequency, 7);
// [weeks, published E[X(t)]] for a new customer (FHL 2005 and its reproductions).
const NEW_CUSTOMER_CURVE: [number, number][] = [
  [0.1429, 0.0078],
  [1, 0.0532],
  [3, 0.1506],
  [31.857, 1.0405],
  [32, 1.0437],
  [78, 1.8576],
  [52, 1.444],
];
const HOLDOUT_CUSTOMERS = [1411, 439, 214, 100, 62, 38, 29, 64];
const HOLDOUT_ACTUAL = [0.237, 0.697, 1.393, 1.56, 2.532, 2.947, 3.862, 6.359];
const HOLDOUT_BG_NBD = [0.225, 0.523, 1.044, 1.52, 2.164, 2.654, 3.504, 6.157];

/** BG/NBD on CDNOW: parameters, likelihood, individual and aggregate forecasts of FHL 2005. */
export function cdnowBgNbdReproduction(transactions: readonly CdnowTransaction[]): ReproductionRow[] {
  const summaries = summariseCdnow(transactions);
  const fit = fitBgNbd(groupHistories(summaries));
  const parameters = fit.parameters;
  const rows: ReproductionRow[] = [
    parameterRow('BG/NBD r', 0.2425982, parameters.r),
    parameterRow('BG/NBD α', 4.4136842, parameters.alpha),
    parameterRow('BG/NBD a', 0.7929899, parameters.a),
    parameterRow('BG/NBD b', 2.4261667, parameters.b),
    withinRow('BG/NBD log-likelihood', -9582.429, fit.logLikelihood, 0.1),
    withinRow(
      'BG/NBD customer 1 (x=2, tx=30.43, T=38.86): purchases in next 39 weeks',
      1.226,
      bgNbdConditionalExpectedPurchases(parameters, FIRST_CUSTOMER, 39),
      0.002,
    ),
    withinRow('BG/NBD customer 1: P(alive)', 0.727, bgNbdProbabilityAlive(parameters, FIRST_CUSTOMER), 0.002),
    withinRow(
      `BG/NBD ${HEAVY}: purchases in next 52 weeks`,
      25.757,
      bgNbdConditionalExpectedPurchases(parameters, HEAVY_CUSTOMER, 52),
      0.01,
    ),
    withinRow(`BG/NBD ${HEAVY}: P(alive)`, 0.9689, bgNbdProbabilityAlive(parameters, HEAVY_CUSTOMER), 0.0005),
  ];
  for (const [weeks, published] of NEW_CUSTOMER_CURVE) {
    rows.push(
      withinRow(`BG/NBD E[X(${weeks})] new customer`, published, bgNbdExpectedPurchases(parameters, weeks), 0.001),
    );
  }
  // Holdout purchases by calibration frequency class (FHL 2005, figure 3).
  const customers = FREQUENCY_CLASSES.map(() => 0);
  const actual = FREQUENCY_CLASSES.map(() => 0);
  const predicted = FREQUENCY_CLASSES.map(() => 0);
  for (const customer of summaries) {
    const index = classOf(customer.frequency);
    customers[index]!++;
    actual[index]! += customer.holdoutFrequency;
    predicted[index]! += bgNbdConditionalExpectedPurchases(parameters, customer, HOLDOUT_WEEKS);
  }
  FREQUENCY_CLASSES.forEach((label, i) => {
    const count = customers[i]!;
    const name = `holdout, ${label} calibration purchases`;
    rows.push(withinRow(`${name}: customers`, HOLDOUT_CUSTOMERS[i]!, count, 0));
    rows.push(withinRow(`${name}: actual mean`, HOLDOUT_ACTUAL[i]!, actual[i]! / count, 0.0005));
    rows.push(withinRow(`${name}: BG/NBD mean`, HOLDOUT_BG_NBD[i]!, predicted[i]! / count, 0.02));
  });
  // Cumulative repeat sales to week 78: E[X(t)] over each customer's own time since first purchase.
  const forecast = sum(summaries.map((customer) => bgNbdExpectedPurchases(parameters, customer.age + HOLDOUT_WEEKS)));
  const observed = sum(summaries.map((customer) => customer.frequency + customer.holdoutFrequency));
  rows.push(withinRow('cumulative repeat transactions to week 78, actual', 4339, observed, 0));
  rows.push(
    withinRow(
      'cumulative repeat transactions to week 78, BG/NBD error vs actual (%)',
      (100 * (4166 - 4339)) / 4339,
      (100 * (forecast - observed)) / observed,
      1,
    ),
  );
  return rows;
}

/** Pareto/NBD on CDNOW, against the reproduction (0.553, 10.580, 0.606, 11.656; LL −9594.976). */
export function cdnowParetoNbdReproduction(transactions: readonly CdnowTransaction[]): ReproductionRow[] {
  const fit = fitParetoNbd(groupHistories(summariseCdnow(transactions)));
  const parameters = fit.parameters;
  return [
    parameterRow('Pareto/NBD r', 0.553, parameters.r),
    parameterRow('Pareto/NBD α', 10.58, parameters.alpha),
    parameterRow('Pareto/NBD s', 0.606, parameters.s),
    parameterRow('Pareto/NBD β', 11.656, parameters.beta),
    withinRow('Pareto/NBD log-likelihood', -9594.976, fit.logLikelihood, 0.1),
    withinRow(
      `Pareto/NBD ${HEAVY}: purchases in next 52 weeks`,
      25.456,
      paretoNbdConditionalExpectedPurchases(parameters, HEAVY_CUSTOMER, 52),
      0.01,
    ),
    withinRow(`Pareto/NBD ${HEAVY}: P(alive)`, 0.9979, paretoNbdProbabilityAlive(parameters, HEAVY_CUSTOMER), 0.0005),
    withinRow('Pareto/NBD E[X(52)] new customer', 1.473, paretoNbdExpectedPurchases(parameters, 52), 0.001),
  ];
}

/**
 * Gamma-gamma on the 946 repeat customers of the sample, against the lifetimes documentation
 * (p 6.25, q 3.74, γ 15.45, printed to two decimals from average values rounded to cents).
 */
export function cdnowGammaGammaReproduction(transactions: readonly CdnowTransaction[]): ReproductionRow[] {
  const repeaters = summariseCdnow(transactions).filter((customer) => customer.frequency > 0);
  const fit = fitGammaGamma(
    repeaters.map((customer) => ({ frequency: customer.frequency, averageValue: customer.averageRepeatValue ?? 0 })),
  );
  return [
    withinRow('gamma-gamma customers', 946, fit.customers, 0),
    withinRow('gamma-gamma p', 6.25, fit.parameters.p, 0.01),
    withinRow('gamma-gamma q', 3.74, fit.parameters.q, 0.01),
    withinRow('gamma-gamma γ', 15.45, fit.parameters.gamma, 0.01),
  ];
}
