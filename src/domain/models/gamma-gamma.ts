// The gamma-gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang 1999):
// each customer's order values are gamma around a personal mean, and those means vary as a gamma.

import { ModelInputError } from './model-input-error.js';
import { minimise, type MinimiserMethod } from './optimize.js';
import { logGamma } from './special-functions.js';

/** p: shape of order values; q, γ: shape and rate of the spread of customers' mean order values. */
export interface GammaGammaParameters {
  p: number;
  q: number;
  gamma: number;
}

/** A repeat customer's input: repeat purchases x (≥ 1) and their mean value z̄. */
export interface SpendHistory {
  frequency: number;
  averageValue: number;
}

export interface GammaGammaFit {
  parameters: GammaGammaParameters;
  logLikelihood: number;
  customers: number;
  converged: boolean;
}

/**
 * Log-likelihood of the mean order values of repeat customers (customers without repeats carry no spend
 * information).
 */
export function gammaGammaLogLikelihood(parameters: GammaGammaParameters, histories: readonly SpendHistory[]): number {
  const { p, q, gamma } = parameters;
  const constant = q * Math.log(gamma) - logGamma(q);
  let total = 0;
  for (const { frequency: x, averageValue: z } of histories) {
    const px = p * x;
    const shape = logGamma(px + q) - logGamma(px) + constant;
    total += shape + (px - 1) * Math.log(z) + px * Math.log(x) - (px + q) * Math.log(gamma + x * z);
  }
  return total;
}

/**
 * Maximum-likelihood gamma-gamma fit over log-parameters from several starts. Only customers with at
 * least one repeat purchase and a positive average value are used; pass the others and they are skipped.
 */
export function fitGammaGamma(
  histories: readonly SpendHistory[],
  options: { starts?: number[][]; method?: MinimiserMethod } = {},
): GammaGammaFit {
  const usable = histories.filter((history) => history.frequency > 0 && history.averageValue > 0);
  if (usable.length === 0)
    throw new ModelInputError('Fitting gamma-gamma needs customers with repeat purchases and spend');
  const meanValue = usable.reduce((sum, history) => sum + history.averageValue, 0) / usable.length;
  const starts = options.starts ?? [
    [1, 1, 1],
    [2, 3, meanValue],
    [10, 5, meanValue / 2],
  ];
  const fromLog = (point: readonly number[]): GammaGammaParameters => ({
    p: Math.exp(point[0]!),
    q: Math.exp(point[1]!),
    gamma: Math.exp(point[2]!),
  });
  const result = minimise(
    (point) => -gammaGammaLogLikelihood(fromLog(point), usable) / usable.length,
    starts.map((start) => start.map(Math.log)),
    options.method,
  );
  const parameters = fromLog(result.point);
  return {
    parameters,
    logLikelihood: gammaGammaLogLikelihood(parameters, usable),
    customers: usable.length,
    converged: result.converged,
  };
}

/**
 * Expected value of a customer's future orders: a weighted average of the population mean and the
 * customer's own mean, trusting the customer's mean more the more orders it rests on.
 */
export function gammaGammaExpectedOrderValue(parameters: GammaGammaParameters, history: SpendHistory): number {
  const { p, q, gamma } = parameters;
  const x = history.frequency;
  const z = x > 0 ? history.averageValue : 0;
  return (p * (gamma + x * z)) / (p * x + q - 1);
}

/** Mean order value across the population, pγ/(q − 1) (infinite when q ≤ 1). */
export function gammaGammaPopulationMeanValue({ p, q, gamma }: GammaGammaParameters): number {
  return q > 1 ? (p * gamma) / (q - 1) : Number.POSITIVE_INFINITY;
}
