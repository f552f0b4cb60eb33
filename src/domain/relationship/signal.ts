// The signals Tend raises about accounts: what it noticed, how bad, what is at stake, and why in words.
import type { SignalKind } from './signals/registry.js';
import type { ActivityVerdict, RaisedSignal } from './signals/signal-context.js';

// The kinds are the registry's: one file per kind under signals/.
export { type SignalKind, signalKinds } from './signals/registry.js';

/** A signal of any kind: what it noticed, how bad, what is at stake, and why (see RaisedSignal). */
export type ActiveSignal = RaisedSignal<SignalKind>;

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
