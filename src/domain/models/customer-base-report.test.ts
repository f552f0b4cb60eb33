// The per-customer forecasts behind `tend models fit bgnbd|paretonbd`, on a seeded synthetic base.
import { describe, expect, it } from 'vitest';
import { bgNbdConditionalExpectedPurchases, bgNbdProbabilityAlive, type BgNbdParameters } from './bg-nbd.js';
import { defaultHorizon, fitCustomerBase, type CustomerBaseOptions } from './customer-base-report.js';
import { summariseCustomers, type Transaction } from './customer-summary.js';
import { paretoNbdProbabilityAlive, type ParetoNbdParameters } from './pareto-nbd.js';
import { seededRandom } from './random.js';

/** 800 customers from a BG/NBD (weekly rates), first purchases over 12 weeks, 39 weeks observed. */
function customers() {
  const random = seededRandom(5);
  const transactions: Transaction[] = [];
  for (let id = 0; id < 800; id++) {
    const rate = random.gamma(0.4, 3);
    const dropout = random.beta(0.8, 2.5);
    let week = random.next() * 12;
    const order = 10 + 50 * random.next();
    transactions.push({ customerId: id, day: Math.floor(week * 7), amount: order });
    for (;;) {
      week += random.exponential(rate);
      if (week >= 39) break;
      transactions.push({ customerId: id, day: Math.floor(week * 7), amount: order * (0.5 + random.next()) });
      if (random.next() < dropout) break;
    }
  }
  return summariseCustomers(transactions, { calibrationEnd: 272, timeUnit: 'week' });
}

const summaries = customers();
const options: CustomerBaseOptions = {
  model: 'bg-nbd',
  timeUnit: 'week',
  horizon: 52,
  marginShare: 0.3,
  annualDiscountRate: 0,
  withSpend: true,
};

describe('fitCustomerBase', () => {
  it("forecasts every customer with the fitted model's P(alive) and expected purchases over the horizon", () => {
    const report = fitCustomerBase(summaries, options);
    const parameters = report.model.parameters as BgNbdParameters;
    expect(report.customers).toBe(summaries.length);
    expect(report.forecasts).toHaveLength(summaries.length);
    summaries.forEach((customer, i) => {
      const forecast = report.forecasts[i]!;
      expect(forecast.customerId).toBe(customer.customerId);
      expect(forecast.probabilityAlive).toBeCloseTo(bgNbdProbabilityAlive(parameters, customer), 12);
      expect(forecast.expectedPurchases).toBeCloseTo(bgNbdConditionalExpectedPurchases(parameters, customer, 52), 12);
    });
  });

  it(
    'values a customer, undiscounted, at margin × expected order value × expected purchases; ' +
      'discounting lowers it',
    () => {
      const undiscounted = fitCustomerBase(summaries, options);
      const discounted = fitCustomerBase(summaries, { ...options, annualDiscountRate: 0.1 });
      expect(undiscounted.spend?.customers).toBe(summaries.filter((customer) => customer.frequency > 0).length);
      undiscounted.forecasts.forEach((forecast, i) => {
        expect(forecast.lifetimeValue!).toBeCloseTo(0.3 * forecast.expectedOrderValue! * forecast.expectedPurchases, 9);
        const lower = discounted.forecasts[i]!.lifetimeValue!;
        expect(lower).toBeLessThan(forecast.lifetimeValue!);
        // A year at 10 %: never below the value discounted for the whole year.
        expect(lower).toBeGreaterThan(forecast.lifetimeValue! / 1.1 - 1e-12);
      });
    },
  );

  it('leaves value out without spend, and fits Pareto/NBD when asked', () => {
    const report = fitCustomerBase(summaries, { ...options, model: 'pareto-nbd', withSpend: false });
    expect(report.model.kind).toBe('pareto-nbd');
    expect(report.spend).toBeNull();
    expect(
      report.forecasts.every((forecast) => forecast.lifetimeValue === null && forecast.expectedOrderValue === null),
    ).toBe(true);
    const parameters = report.model.parameters as ParetoNbdParameters;
    expect(report.forecasts[3]!.probabilityAlive).toBeCloseTo(paretoNbdProbabilityAlive(parameters, summaries[3]!), 12);
  });

  it('refuses an empty base and a non-positive horizon, and defaults to a year', () => {
    expect(() => fitCustomerBase([], options)).toThrow(/calibration end/);
    expect(() => fitCustomerBase(summaries, { ...options, horizon: 0 })).toThrow(/horizon/);
    expect([defaultHorizon('week'), defaultHorizon('day')]).toEqual([52, 365]);
  });
});
