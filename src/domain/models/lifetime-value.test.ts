// Lifetime value: discounting and margin applied to either purchase model's expected purchases.
import { describe, expect, it } from 'vitest';
import { bgNbdConditionalExpectedPurchases } from './bg-nbd.js';
import { customerLifetimeValue, expectedPurchases, type PurchaseModel } from './lifetime-value.js';
import { ModelInputError } from './model-input-error.js';
import { paretoNbdConditionalExpectedPurchases } from './pareto-nbd.js';

const bgNbd: PurchaseModel = { kind: 'bg-nbd', parameters: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
const paretoNbd: PurchaseModel = { kind: 'pareto-nbd', parameters: { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.656 } };
const customer = { frequency: 3, recency: 25, age: 30 };
const monthly = { periods: 12, periodLength: 52 / 12, discountRate: 0.01, marginShare: 0.3 };

describe('customerLifetimeValue', () => {
  it('dispatches to the chosen model', () => {
    expect(expectedPurchases(bgNbd, customer, 10)).toBe(
      bgNbdConditionalExpectedPurchases(bgNbd.parameters, customer, 10),
    );
    expect(expectedPurchases(paretoNbd, customer, 10)).toBe(
      paretoNbdConditionalExpectedPurchases(paretoNbd.parameters, customer, 10),
    );
  });

  it.each([bgNbd, paretoNbd])('without discounting is margin × value × E[Y(horizon)] (%o)', (model) => {
    const value = customerLifetimeValue(model, customer, 50, { ...monthly, discountRate: 0 });
    expect(value).toBeCloseTo(0.3 * 50 * expectedPurchases(model, customer, 52), 10);
  });

  it('discounts each period’s purchases by (1 + d)^k', () => {
    const value = customerLifetimeValue(bgNbd, customer, 50, monthly);
    let expected = 0;
    for (let k = 1; k <= 12; k++) {
      const purchases =
        expectedPurchases(bgNbd, customer, (k * 52) / 12) - expectedPurchases(bgNbd, customer, ((k - 1) * 52) / 12);
      expected += (0.3 * 50 * purchases) / 1.01 ** k;
    }
    expect(value).toBeCloseTo(expected, 10);
    expect(value).toBeLessThan(customerLifetimeValue(bgNbd, customer, 50, { ...monthly, discountRate: 0 }));
    expect(customerLifetimeValue(bgNbd, customer, 50, { ...monthly, periods: 24 })).toBeGreaterThan(value);
  });

  it('refuses nonsensical options', () => {
    expect(() => customerLifetimeValue(bgNbd, customer, 50, { ...monthly, marginShare: 1.5 })).toThrow(ModelInputError);
    expect(() => customerLifetimeValue(bgNbd, customer, 50, { ...monthly, periods: 2.5 })).toThrow(ModelInputError);
    expect(() => customerLifetimeValue(bgNbd, customer, 50, { ...monthly, periodLength: 0 })).toThrow(ModelInputError);
  });
});
