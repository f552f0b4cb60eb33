// Whether a daily fit of the purchase model (BG/NBD) may set P(alive): only one that converged to finite
// parameters and a finite log-likelihood. Anything else leaves every account's P(alive) as the last
// good fit left it, so an `at-risk` signal never comes from a fit that failed.
import { assertNever } from '../tracking-message.js';
import type { BgNbdParameters, ModelFit } from './bg-nbd.js';

/** What a daily fit came to; `fitted` alone writes P(alive). */
export type PurchaseFitOutcome = 'fitted' | 'not-converged' | 'failed' | 'skipped';
export const purchaseFitOutcomes: readonly PurchaseFitOutcome[] = ['fitted', 'not-converged', 'failed', 'skipped'];

/** The base a fit was tried on. */
export interface PurchaseBase {
  /** Accounts with at least one purchase. */
  readonly customers: number;
  /** Of those, the ones with purchases on more than one day. */
  readonly repeatBuyers: number;
}

export type PurchaseFitVerdict =
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'use'; readonly fit: ModelFit<BgNbdParameters> }
  | {
      readonly kind: 'refuse';
      readonly outcome: 'not-converged' | 'failed';
      readonly fit: ModelFit<BgNbdParameters> | null;
      readonly reason: string;
    };

/** Whether to fit at all: below `minimumRepeatBuyers` the fit says too little to act on. */
export function purchaseBaseVerdict(base: PurchaseBase, minimumRepeatBuyers: number): PurchaseFitVerdict | null {
  if (base.repeatBuyers >= minimumRepeatBuyers) return null;
  const reason =
    base.customers === 0
      ? 'no account has a purchase yet'
      : `${base.repeatBuyers} of ${base.customers} customers bought on more than one day; ` +
        `the fit needs at least ${minimumRepeatBuyers}`;
  return { kind: 'skip', reason };
}

/** Judges a fit that ran (or threw `error`): use it, or refuse it and say why. */
export function purchaseFitVerdict(
  attempt: { readonly fit: ModelFit<BgNbdParameters> } | { readonly error: unknown },
): PurchaseFitVerdict {
  if ('error' in attempt) {
    const message = attempt.error instanceof Error ? attempt.error.message : String(attempt.error);
    return { kind: 'refuse', outcome: 'failed', fit: null, reason: `the fit failed: ${message}` };
  }
  const { fit } = attempt;
  const values = [fit.parameters.r, fit.parameters.alpha, fit.parameters.a, fit.parameters.b];
  if (!values.every((value) => Number.isFinite(value) && value > 0) || !Number.isFinite(fit.logLikelihood)) {
    const reason = 'the fit ended on parameters or a log-likelihood that are not finite numbers';
    return { kind: 'refuse', outcome: 'failed', fit, reason };
  }
  if (!fit.converged) {
    const reason = `the optimiser stopped after ${fit.evaluations} evaluations without converging`;
    return { kind: 'refuse', outcome: 'not-converged', fit, reason };
  }
  return { kind: 'use', fit };
}

/** The outcome a verdict is recorded as. */
export function outcomeOf(verdict: PurchaseFitVerdict): PurchaseFitOutcome {
  switch (verdict.kind) {
    case 'skip':
      return 'skipped';
    case 'use':
      return 'fitted';
    case 'refuse':
      return verdict.outcome;
    default:
      return assertNever(verdict);
  }
}
