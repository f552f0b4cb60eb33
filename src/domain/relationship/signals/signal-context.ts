// What every signal rule reads (the account, the policy, the instant, the margin at stake) and what it
// returns: the signals that hold now and the instants at which its answer could change by time alone.
import { detectDisengagement } from '../../models/disengagement.js';
import type { AccountSnapshot } from '../account-snapshot.js';
import type { ActiveSignal, ActivityVerdict } from '../signal.js';
import type { TendConfig } from '../tend-config.js';
import { valueWeight, yearlyMarginMinor } from '../value-tiers.js';

/** A fact a rule may read: one field of the account snapshot. */
export type AccountFact = keyof AccountSnapshot;

/**
 * What a rule is given. `Reads` lists the facts of the snapshot it declared: the compiler refuses a rule
 * that reads one more, so a kind's `reads` is always the truth.
 */
export interface SignalContext<Reads extends readonly AccountFact[] = readonly AccountFact[]> {
  readonly snapshot: Pick<AccountSnapshot, Reads[number]>;
  readonly config: TendConfig;
  readonly now: Date;
  /** Yearly margin that would be lost with the account (see yearlyMarginMinor). */
  readonly marginMinor: number;
  /** 0–1, log-scaled value for severities. */
  readonly valueWeight: number;
  /** The disengagement verdicts, in the order of the configured activities. */
  readonly activity: readonly ActivityVerdict[];
}

export interface RuleOutcome {
  readonly signals: readonly ActiveSignal[];
  /** Instants (past ones are ignored) when the rule's answer could change with no new data. */
  readonly checkAt: readonly (Date | null)[];
}

export function signalContext(snapshot: AccountSnapshot, config: TendConfig, now: Date): SignalContext {
  const marginMinor = yearlyMarginMinor(snapshot);
  return {
    snapshot,
    config,
    now,
    marginMinor,
    valueWeight: valueWeight(marginMinor),
    activity: activityVerdicts(snapshot, config),
  };
}

/** Judged once per evaluation: the disengaging rule and the health score's engagement both read it. */
function activityVerdicts(snapshot: AccountSnapshot, config: TendConfig): ActivityVerdict[] {
  const verdicts: ActivityVerdict[] = [];
  for (const activity of config.signals.disengagement.activities) {
    const series = snapshot.activity.find((candidate) => candidate.activity === activity);
    if (series !== undefined) verdicts.push({ activity, verdict: detectDisengagement(series.dailyCounts, activity) });
  }
  return verdicts;
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
