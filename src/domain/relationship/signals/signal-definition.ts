// What one kind of signal is, in one place: the rule that raises it, the facts it reads, its thresholds in
// tend.config.yaml, its name in words, and how the rest of Tend weighs it (money at risk, today list, health).
import type { HealthWeights } from '../health-weights.js';
import type { AccountFact, RaisedSignal, RuleOutcome, SignalContext } from './signal-context.js';
import type { SignalSetting } from './signal-settings.js';

export interface SignalDefinition<
  Kind extends string = string,
  Reads extends readonly AccountFact[] = readonly AccountFact[],
> {
  readonly kind: Kind;
  /** What a rep calls it: the app shows it (GET /api/v1/signal-kinds). */
  readonly label: string;
  /** The facts of the account snapshot the rule reads, and nothing more (see SignalContext). */
  readonly reads: Reads;
  /** Its thresholds under `signals:` in tend.config.yaml, with their defaults and checks; [] when none. */
  readonly settings: readonly SignalSetting[];
  /** Which of its signals hold now (of its own kind only), and when time alone could change that. */
  readonly rule: (context: SignalContext<Reads>) => RuleOutcome<Kind>;
  /** How its value at stake adds up into the money at risk with an account (see revenueAtRiskOf). */
  readonly risk: RiskClass;
  /** How a rep should approach an account where it is open (see rankToday). */
  readonly today: TodayApproach;
  /** What an open signal of this kind takes off the health score; null: nothing. */
  readonly health: HealthEffect | null;
}

/**
 * relationship: it threatens the account's yearly margin, which counts once however many such signals
 * are open (the largest); cash: an amount owed, added up; none: nothing is at risk (a moment to mark).
 */
export type RiskClass = 'relationship' | 'cash' | 'none';

export interface TodayApproach {
  /**
   * What the contact is for when this is the most severe open signal that has an objective; null: it has
   * none of its own (the tier cadence's objective applies, or the next signal's).
   */
  readonly objective: string | null | ((signal: RaisedSignal) => string | null);
  /** It says nobody speaks with them: the list suggests a phone call whatever the tier's usual method. */
  readonly suggestsCall: boolean;
  /** Its first reason is worth raising in the conversation. */
  readonly talkingPoint: boolean;
}

export interface HealthEffect {
  /** The component of the health score it lowers (only when that component has input of its own). */
  readonly component: keyof HealthWeights;
  /** Points one open signal takes off the component (0: it only explains it); null: this one does not count. */
  readonly pointsOff: (signal: RaisedSignal) => number | null;
  /** The reasons that explain the component: the signal's first, or all of them. */
  readonly reasons: 'first' | 'all';
}
