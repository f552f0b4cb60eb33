// Which daily purchase-model fits may set P(alive): one that converged to finite figures, nothing else.
import { describe, expect, it } from 'vitest';
import type { BgNbdParameters, ModelFit } from './bg-nbd.js';
import { outcomeOf, purchaseBaseVerdict, purchaseFitVerdict } from './purchase-fit-verdict.js';

const good: ModelFit<BgNbdParameters> = {
  parameters: { r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 },
  logLikelihood: -9582.4,
  customers: 2357,
  converged: true,
  evaluations: 412,
};

describe('purchaseBaseVerdict', () => {
  it('skips a base without purchases, or with too few repeat buyers, saying which', () => {
    const none = purchaseBaseVerdict({ customers: 0, repeatBuyers: 0 }, 20);
    expect(none).toEqual({ kind: 'skip', reason: 'no account has a purchase yet' });
    const few = purchaseBaseVerdict({ customers: 50, repeatBuyers: 19 }, 20);
    expect(few?.kind).toBe('skip');
    expect(few && outcomeOf(few)).toBe('skipped');
    const reason = few?.kind === 'skip' && few.reason;
    expect(reason).toBe('19 of 50 customers bought on more than one day; the fit needs at least 20');
  });

  it('lets a base with enough repeat buyers be fitted', () => {
    expect(purchaseBaseVerdict({ customers: 50, repeatBuyers: 20 }, 20)).toBeNull();
  });
});

describe('purchaseFitVerdict', () => {
  it('uses a fit that converged', () => {
    const verdict = purchaseFitVerdict({ fit: good });
    expect(verdict).toEqual({ kind: 'use', fit: good });
    expect(outcomeOf(verdict)).toBe('fitted');
  });

  it('refuses a fit that did not converge, keeping its figures for the record', () => {
    const verdict = purchaseFitVerdict({ fit: { ...good, converged: false } });
    expect(verdict).toMatchObject({
      kind: 'refuse',
      outcome: 'not-converged',
      reason: 'the optimiser stopped after 412 evaluations without converging',
    });
    expect(outcomeOf(verdict)).toBe('not-converged');
  });

  it.each([
    ['a log-likelihood of NaN', { ...good, logLikelihood: Number.NaN }],
    ['an infinite parameter', { ...good, parameters: { ...good.parameters, alpha: Number.POSITIVE_INFINITY } }],
    ['a parameter of 0', { ...good, parameters: { ...good.parameters, b: 0 } }],
  ])('refuses a "converged" fit with %s as failed', (_case, fit) => {
    expect(purchaseFitVerdict({ fit })).toMatchObject({ kind: 'refuse', outcome: 'failed' });
  });

  it('records a fit that threw as failed, with its message', () => {
    expect(purchaseFitVerdict({ error: new Error('Fitting BG/NBD needs at least one customer') })).toEqual({
      kind: 'refuse',
      outcome: 'failed',
      fit: null,
      reason: 'the fit failed: Fitting BG/NBD needs at least one customer',
    });
  });
});
