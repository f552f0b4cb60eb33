// Customer lifetime value: the discounted margin a customer is expected to bring over the coming
// periods, from a purchase model (BG/NBD or Pareto/NBD) and an expected order value (e.g. gamma-gamma).

import { ModelInputError } from './model-input-error.js';
import { bgNbdConditionalExpectedPurchases, type BgNbdParameters } from './bg-nbd.js';
import type { CustomerHistory } from './customer-summary.js';
import { paretoNbdConditionalExpectedPurchases, type ParetoNbdParameters } from './pareto-nbd.js';

export type PurchaseModel =
  | { kind: 'bg-nbd'; parameters: BgNbdParameters }
  | { kind: 'pareto-nbd'; parameters: ParetoNbdParameters };

/** Expected purchases in the next `duration` under either model, so callers need not care which was fitted. */
export function expectedPurchases(model: PurchaseModel, history: CustomerHistory, duration: number): number {
  switch (model.kind) {
    case 'bg-nbd':
      return bgNbdConditionalExpectedPurchases(model.parameters, history, duration);
    case 'pareto-nbd':
      return paretoNbdConditionalExpectedPurchases(model.parameters, history, duration);
    default: {
      const unknown: never = model;
      throw new Error(`Unknown purchase model ${JSON.stringify(unknown)}`);
    }
  }
}

export interface LifetimeValueOptions {
  /** How many periods ahead to count. */
  periods: number;
  /** Length of one period in the model's time unit (e.g. 52 / 12 for months of a weekly model). */
  periodLength: number;
  /** Discount rate per period (0.01 = 1 % a period); cash in period k is divided by (1 + rate)^k. */
  discountRate: number;
  /** Share of revenue kept as margin, in [0, 1]. */
  marginShare: number;
}

/**
 * Discounted expected margin over the coming periods:
 * Σₖ margin · value · (E[Y(k·L)] − E[Y((k−1)·L)]) / (1+d)ᵏ.
 * This is what a retention budget per customer should be weighed against.
 */
export function customerLifetimeValue(
  model: PurchaseModel,
  history: CustomerHistory,
  expectedOrderValue: number,
  options: LifetimeValueOptions,
): number {
  const { periods, periodLength, discountRate, marginShare } = options;
  if (!(periods >= 0) || !Number.isInteger(periods)) throw new ModelInputError('periods must be a whole number ≥ 0');
  if (!(periodLength > 0)) throw new ModelInputError('periodLength must be positive');
  if (!(discountRate > -1)) throw new ModelInputError('discountRate must be above −1');
  if (!(marginShare >= 0 && marginShare <= 1)) throw new ModelInputError('marginShare must lie in [0, 1]');
  let value = 0;
  let previous = 0;
  for (let period = 1; period <= periods; period++) {
    const cumulative = expectedPurchases(model, history, period * periodLength);
    value += (cumulative - previous) / (1 + discountRate) ** period;
    previous = cumulative;
  }
  return marginShare * expectedOrderValue * value;
}
