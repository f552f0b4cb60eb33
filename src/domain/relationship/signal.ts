// The signals Tend raises about accounts: what it noticed, how bad, what is at stake, and why in words.
import type { DisengagementVerdict } from '../models/disengagement.js';
import type { SignalKind } from './signals/registry.js';

// The kinds are the registry's: one file per kind under signals/.
export { type SignalKind, signalKinds } from './signals/registry.js';

/** A condition that holds now; absent from an evaluation = the condition does not hold (clear it). */
export interface ActiveSignal {
  readonly kind: SignalKind;
  /** 0–100: how urgent (grows with days overdue and value, for neglect). */
  readonly severity: number;
  /** Money at stake, minor units, per year (the margin that would be lost). */
  readonly valueAtStakeMinor: number;
  /** Reasons in words, most important first. */
  readonly reasons: readonly string[];
  /** When someone should have acted by (e.g. the cadence due date, a response deadline); null if none. */
  readonly deadlineAt: Date | null;
  /**
   * Distinguishes instances of a kind that can recur (renewal 90/60/30, a particular invoice, a
   * milestone); '' for kinds with one instance per account.
   */
  readonly instance: string;
  /** The person the signal is about (a person drifting in an account); absent when it is the account. */
  readonly contactId?: string;
}

export interface AccountEvaluation {
  readonly signals: readonly ActiveSignal[];
  /**
   * When time alone could next raise or clear a signal at a known instant (a cadence coming due, a
   * deadline passing); null: none is pending. What drifts a little every day is not in it, because
   * every account is also refreshed once a day: days overdue in reasons, the health history, and
   * the two signals judged on daily inputs, disengaging (activity windows) and at-risk (the daily
   * refit of P(alive)).
   */
  readonly nextCheckAt: Date | null;
  /** The disengagement detector's verdict on each configured activity the account has a series of. */
  readonly activity: readonly ActivityVerdict[];
}

export interface ActivityVerdict {
  readonly activity: string;
  readonly verdict: DisengagementVerdict;
}
