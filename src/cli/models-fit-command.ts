// `tend models fit bgnbd|paretonbd --transactions FILE.csv …`: fits a customer-base model to a user's
// purchases, prints its parameters, log-likelihood and customers, and with --out writes each
// customer's P(alive), expected purchases over the horizon and (with --amount) lifetime value.
import { type TimeUnit, summariseCustomers } from '../domain/models/customer-summary.js';
import {
  defaultHorizon,
  fitCustomerBase,
  type CustomerBaseReport,
  type PurchaseModelKind,
} from '../domain/models/customer-base-report.js';
import { ModelInputError } from '../domain/models/model-input-error.js';
import { parseCalendarDate, readTransactionTable } from '../domain/models/transaction-table.js';
import { fixed, formatTable, inFile, numberOption, printJson, readCsvFile, writeCsvFile } from './models-output.js';

export interface CustomerBaseCommandOptions {
  transactions: string;
  customer: string;
  date: string;
  amount?: string;
  calibrationEnd: string;
  unit?: string;
  horizon?: string;
  margin?: string;
  discountRate?: string;
  out?: string;
  json?: boolean;
}

/** Defaults for lifetime value when the user gives none: a 30 % margin, 10 % a year discount. */
export const lifetimeValueDefaults = { margin: 0.3, discountRate: 0.1 } as const;

const modelNames: Record<PurchaseModelKind, string> = { 'bg-nbd': 'BG/NBD', 'pareto-nbd': 'Pareto/NBD' };

export async function fitCustomerBaseCommand(
  kind: PurchaseModelKind,
  options: CustomerBaseCommandOptions,
): Promise<void> {
  const unit = timeUnitOption(options.unit);
  const calibrationEnd = parseCalendarDate(options.calibrationEnd);
  if (calibrationEnd === null)
    throw new ModelInputError(`--calibration-end must be a date YYYY-MM-DD (got "${options.calibrationEnd}").`);
  const horizon = numberOption(
    options.horizon,
    '--horizon',
    defaultHorizon(unit),
    (value) => value > 0,
    `a positive number of ${unit}s`,
  );
  const marginShare = numberOption(
    options.margin,
    '--margin',
    lifetimeValueDefaults.margin,
    (value) => value >= 0 && value <= 1,
    'a share between 0 and 1',
  );
  const annualDiscountRate = numberOption(
    options.discountRate,
    '--discount-rate',
    lifetimeValueDefaults.discountRate,
    (value) => value >= 0,
    'a yearly rate ≥ 0, e.g. 0.1',
  );
  const table = readCsvFile(options.transactions, 'transactions file');
  const transactions = inFile(options.transactions, () =>
    readTransactionTable(table, {
      customer: options.customer,
      date: options.date,
      ...(options.amount === undefined ? {} : { amount: options.amount }),
    }),
  );
  const summaries = summariseCustomers(transactions, { calibrationEnd, timeUnit: unit });
  const report = inFile(options.transactions, () =>
    fitCustomerBase(summaries, {
      model: kind,
      timeUnit: unit,
      horizon,
      marginShare,
      annualDiscountRate,
      withSpend: options.amount !== undefined,
    }),
  );
  const period = `next_${fixed(horizon, Number.isInteger(horizon) ? 0 : 2)}_${unit}s`;
  if (options.out !== undefined) writeForecasts(options.out, report, period);
  if (options.json) {
    printJson({
      model: report.model.kind,
      parameters: report.model.parameters,
      logLikelihood: report.logLikelihood,
      customers: report.customers,
      converged: report.converged,
      transactions: transactions.length,
      calibrationEnd: options.calibrationEnd,
      timeUnit: unit,
      horizon,
      spend: report.spend,
      lifetimeValue: report.spend === null ? null : { marginShare, annualDiscountRate },
      totals: totals(report),
      out: options.out ?? null,
    });
    return;
  }
  printReport(report, options, transactions.length, period);
}

function timeUnitOption(raw: string | undefined): TimeUnit {
  const unit = raw ?? 'week';
  if (unit === 'week' || unit === 'day') return unit;
  throw new ModelInputError(`--unit must be week or day (got "${unit}").`);
}

function totals(report: CustomerBaseReport): {
  expectedPurchases: number;
  meanProbabilityAlive: number;
  lifetimeValue: number | null;
} {
  const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
  return {
    expectedPurchases: sum(report.forecasts.map((forecast) => forecast.expectedPurchases)),
    meanProbabilityAlive: sum(report.forecasts.map((forecast) => forecast.probabilityAlive)) / report.forecasts.length,
    lifetimeValue: report.spend === null ? null : sum(report.forecasts.map((forecast) => forecast.lifetimeValue ?? 0)),
  };
}

function writeForecasts(file: string, report: CustomerBaseReport, period: string): void {
  const header = ['customer', 'frequency', 'recency', 'T', 'p_alive', `expected_purchases_${period}`];
  if (report.spend !== null) header.push('expected_order_value', `clv_${period}`);
  const rows = report.forecasts.map((forecast) => [
    String(forecast.customerId),
    forecast.frequency,
    forecast.recency,
    forecast.age,
    forecast.probabilityAlive,
    forecast.expectedPurchases,
    ...(report.spend === null ? [] : [forecast.expectedOrderValue, forecast.lifetimeValue]),
  ]);
  writeCsvFile(file, header, rows);
}

function printReport(
  report: CustomerBaseReport,
  options: CustomerBaseCommandOptions,
  transactions: number,
  period: string,
): void {
  const { timeUnit, horizon, marginShare, annualDiscountRate } = report.options;
  const name = modelNames[report.model.kind];
  console.log(
    `${name} on ${options.transactions}: ${report.customers} customers, ${transactions} transactions; ` +
      `calibration to ${options.calibrationEnd}, time in ${timeUnit}s.`,
  );
  const symbols: Record<string, string> = { alpha: 'α', beta: 'β' };
  const parameters = Object.entries(report.model.parameters).map(([key, value]) => [
    symbols[key] ?? key,
    fixed(value as number, 4),
  ]);
  console.log(formatTable(['parameter', 'value'], parameters, ['left', 'right']));
  console.log(
    `  log-likelihood ${fixed(report.logLikelihood, 3)}` +
      `${report.converged ? '' : ' (the optimiser did not report convergence: treat with care)'}`,
  );
  if (report.spend !== null) {
    const { p, q, gamma } = report.spend.parameters;
    console.log(
      `Spend (gamma-gamma on "${options.amount}", ${report.spend.customers} repeat customers): ` +
        `p ${fixed(p, 3)}, q ${fixed(q, 3)}, γ ${fixed(gamma, 3)}`,
    );
  }
  const sums = totals(report);
  console.log(
    `Over the next ${horizon} ${timeUnit}s: ${fixed(sums.expectedPurchases, 1)} purchases expected; ` +
      `mean P(alive) ${fixed(sums.meanProbabilityAlive, 3)}.`,
  );
  if (sums.lifetimeValue !== null) {
    console.log(
      `Lifetime value over that horizon (${fixed(marginShare * 100, 0)} % margin, ` +
        `${fixed(annualDiscountRate * 100, 1)} % a year discount): ` +
        `${fixed(sums.lifetimeValue, 2)} in all.`,
    );
  }
  if (options.out !== undefined)
    console.log(
      'Wrote one row per customer (P(alive), expected purchases ' +
        `${period.replaceAll('_', ' ')}${report.spend === null ? '' : ', CLV'}) to ${options.out}`,
    );
}
