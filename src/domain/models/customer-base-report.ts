// Fits BG/NBD or Pareto/NBD to a user's customers and forecasts each one: P(alive), expected
// purchases over a horizon and, with spend, lifetime value from gamma-gamma. What `tend models fit
// bgnbd|paretonbd` prints and writes.
import { bgNbdProbabilityAlive, fitBgNbd, type ModelFit } from './bg-nbd.js';
import {
  groupHistories,
  type CustomerHistory,
  type CustomerId,
  type CustomerSummary,
  type TimeUnit,
} from './customer-summary.js';
import { fitGammaGamma, gammaGammaExpectedOrderValue, type GammaGammaParameters } from './gamma-gamma.js';
import { customerLifetimeValue, expectedPurchases, type PurchaseModel } from './lifetime-value.js';
import { ModelInputError } from './model-input-error.js';
import { fitParetoNbd, paretoNbdProbabilityAlive } from './pareto-nbd.js';

export type PurchaseModelKind = PurchaseModel['kind'];

/** What to fit and how far ahead to look. */
export interface CustomerBaseOptions {
  model: PurchaseModelKind;
  timeUnit: TimeUnit;
  /** Forecast horizon in time units (e.g. 52 weeks). */
  horizon: number;
  /** Share of revenue kept as margin, in [0, 1], for lifetime value. */
  marginShare: number;
  /** Discount rate per year (0.1 = 10 %), for lifetime value. */
  annualDiscountRate: number;
  /** The summaries carry spend: fit gamma-gamma and compute lifetime value. */
  withSpend: boolean;
}

/** One customer's history and forecast. */
export interface CustomerForecast {
  customerId: CustomerId;
  frequency: number;
  recency: number;
  age: number;
  probabilityAlive: number;
  /** Expected purchases over the horizon. */
  expectedPurchases: number;
  /** Gamma-gamma expected value of a future order; null without spend. */
  expectedOrderValue: number | null;
  /** Discounted expected margin over the horizon; null without spend. */
  lifetimeValue: number | null;
}

/** The fit, its spend model when there was spend, and every customer's forecast. */
export interface CustomerBaseReport {
  model: PurchaseModel;
  logLikelihood: number;
  customers: number;
  converged: boolean;
  options: CustomerBaseOptions;
  spend: { parameters: GammaGammaParameters; customers: number } | null;
  forecasts: CustomerForecast[];
}

const DAYS_PER_YEAR = 365.25;

/** The usual horizon: a year, in the model's time unit. */
export function defaultHorizon(unit: TimeUnit): number {
  switch (unit) {
    case 'week':
      return 52;
    case 'day':
      return 365;
  }
}

/**
 * Fits the chosen model to the summaries and forecasts every customer. Lifetime value needs spend:
 * it is computed when the summaries carry amounts, discounted month by month over the horizon.
 */
export function fitCustomerBase(
  summaries: readonly CustomerSummary[],
  options: CustomerBaseOptions,
): CustomerBaseReport {
  if (summaries.length === 0) {
    throw new ModelInputError(
      'No customer made a first purchase on or before the calibration end: move the calibration end later.',
    );
  }
  if (!(options.horizon > 0))
    throw new ModelInputError(
      `The horizon must be a positive number of ${options.timeUnit}s (got ${options.horizon}).`,
    );
  if (!(options.marginShare >= 0 && options.marginShare <= 1))
    throw new ModelInputError(`The margin must lie in [0, 1] (got ${options.marginShare}).`);
  if (!(options.annualDiscountRate > -1))
    throw new ModelInputError(`The discount rate must be above −1 (got ${options.annualDiscountRate}).`);
  const groups = groupHistories(summaries);
  const { model, fit } = fitPurchaseModel(options.model, groups);
  const spendFit = options.withSpend
    ? fitGammaGamma(
        summaries.map((customer) => ({
          frequency: customer.frequency,
          averageValue: customer.averageRepeatValue ?? 0,
        })),
      )
    : null;
  const lifetime = lifetimeValuePeriods(options);
  // Customers who share (x, tₓ, T) share their forecast: computed once per distinct history.
  const perHistory = new Map<string, { alive: number; purchases: number; discountedPurchases: number }>();
  const forecastOf = (history: CustomerHistory) => {
    const key = `${history.frequency}|${history.recency}|${history.age}`;
    let forecast = perHistory.get(key);
    if (forecast === undefined) {
      forecast = {
        alive: probabilityAlive(model, history),
        purchases: expectedPurchases(model, history, options.horizon),
        discountedPurchases:
          spendFit === null ? 0 : customerLifetimeValue(model, history, 1, { ...lifetime, marginShare: 1 }),
      };
      perHistory.set(key, forecast);
    }
    return forecast;
  };
  const forecasts = summaries.map((customer): CustomerForecast => {
    const forecast = forecastOf(customer);
    const orderValue =
      spendFit === null
        ? null
        : gammaGammaExpectedOrderValue(spendFit.parameters, {
            frequency: customer.frequency,
            averageValue: customer.averageRepeatValue ?? 0,
          });
    return {
      customerId: customer.customerId,
      frequency: customer.frequency,
      recency: customer.recency,
      age: customer.age,
      probabilityAlive: forecast.alive,
      expectedPurchases: forecast.purchases,
      expectedOrderValue: orderValue,
      lifetimeValue: orderValue === null ? null : options.marginShare * orderValue * forecast.discountedPurchases,
    };
  });
  return {
    model,
    logLikelihood: fit.logLikelihood,
    customers: fit.customers,
    converged: fit.converged,
    options,
    spend: spendFit === null ? null : { parameters: spendFit.parameters, customers: spendFit.customers },
    forecasts,
  };
}

/** Probability that a customer is still active at the calibration end, under either model. */
function probabilityAlive(model: PurchaseModel, history: CustomerHistory): number {
  switch (model.kind) {
    case 'bg-nbd':
      return bgNbdProbabilityAlive(model.parameters, history);
    case 'pareto-nbd':
      return paretoNbdProbabilityAlive(model.parameters, history);
    default: {
      const unknown: never = model;
      throw new Error(`Unknown purchase model ${JSON.stringify(unknown)}`);
    }
  }
}

function fitPurchaseModel(
  kind: PurchaseModelKind,
  groups: ReturnType<typeof groupHistories>,
): { model: PurchaseModel; fit: ModelFit<object> } {
  switch (kind) {
    case 'bg-nbd': {
      const fit = fitBgNbd(groups);
      return { model: { kind, parameters: fit.parameters }, fit };
    }
    case 'pareto-nbd': {
      const fit = fitParetoNbd(groups);
      return { model: { kind, parameters: fit.parameters }, fit };
    }
    default: {
      const unknown: never = kind;
      throw new Error(`Unknown purchase model ${String(unknown)}`);
    }
  }
}

/** The horizon cut into whole periods of about a month, each discounted at the annual rate's monthly share. */
function lifetimeValuePeriods(options: CustomerBaseOptions): {
  periods: number;
  periodLength: number;
  discountRate: number;
} {
  const daysPerUnit = options.timeUnit === 'week' ? 7 : 1;
  const monthInUnits = DAYS_PER_YEAR / 12 / daysPerUnit;
  const periods = Math.max(1, Math.round(options.horizon / monthInUnits));
  const periodLength = options.horizon / periods;
  const discountRate = (1 + options.annualDiscountRate) ** ((periodLength * daysPerUnit) / DAYS_PER_YEAR) - 1;
  return { periods, periodLength, discountRate };
}
