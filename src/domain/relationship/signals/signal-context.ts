// What every signal rule reads (the account, the policy, the instant, the margin at stake) and what it
// returns: the signals that hold now and the instants at which its answer could change by time alone.
// Nothing here knows the kinds: each kind's file imports this, and the registry above them lists them.
import type { DisengagementVerdict } from '../../models/disengagement.js';
import type { AccountSnapshot } from '../account-snapshot.js';
import type { CadencePolicy } from '../cadence-policy.js';

/** A fact a rule may read: one field of the account snapshot. */
export type AccountFact = keyof AccountSnapshot;

/**
 * What a rule reads of the policy in tend.config.yaml: the tiers and their cadences, and each kind's own
 * settings, which it reads through its SignalSetting (see signal-settings.ts).
 */
export interface SignalPolicy extends CadencePolicy {
  readonly signals: object;
}

/**
 * What a rule is given. `Reads` lists the facts of the snapshot it declared: the compiler refuses a rule
 * that reads one more, so a kind's `reads` is always the truth.
 */
export interface SignalContext<Reads extends readonly AccountFact[] = readonly AccountFact[]> {
  readonly snapshot: Pick<AccountSnapshot, Reads[number]>;
  readonly config: SignalPolicy;
  readonly now: Date;
  /** Yearly margin that would be lost with the account (see yearlyMarginMinor). */
  readonly marginMinor: number;
  /** 0–1, log-scaled value for severities. */
  readonly valueWeight: number;
  /** The disengagement verdicts, in the order of the configured activities. */
  readonly activity: readonly ActivityVerdict[];
}

export interface ActivityVerdict {
  readonly activity: string;
  readonly verdict: DisengagementVerdict;
}

/** A condition that holds now; absent from an evaluation = the condition does not hold (clear it). */
export interface RaisedSignal<Kind extends string = string> {
  readonly kind: Kind;
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
  /**
   * Who is told of it when that is not the account's owner (a promise's deliverer), when they are an active
   * Tend user; the signal stays the account owner's (see signalNoticeWrites).
   */
  readonly noticeTo?: string;
}

/** What a rule answers: its kind's signals that hold now, and when time alone could change that. */
export interface RuleOutcome<Kind extends string = string> {
  readonly signals: readonly RaisedSignal<Kind>[];
  /** Instants (past ones are ignored) when the rule's answer could change with no new data. */
  readonly checkAt: readonly (Date | null)[];
}

/** A severity clamped to the 0–100 integer scale. */
export function severityOf(value: number): number {
  return Math.max(0, Math.min(100, Math.round(value)));
}

/** Whole numbers and plurals in reasons: "1 day", "41 days", "2 touches". */
export function countOf(count: number, unit: string, plural = `${unit}s`): string {
  return `${count} ${count === 1 ? unit : plural}`;
}

/** A percentage for reasons: 0.623 → "62 %". */
export function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** Quotes a customer's words in a reason, shortened to a line. */
export function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `"${line.length > 120 ? `${line.slice(0, 117)}…` : line}"`;
}
