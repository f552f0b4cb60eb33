// Evaluates every signal for one account at one instant: which hold now (with severity, value at
// stake, reasons and deadline) and when the answer could next change by time alone.
import { detectDisengagement } from '../models/disengagement.js';
import type { AccountSnapshot } from './account-snapshot.js';
import type { AccountEvaluation, ActiveSignal } from './signal.js';
import { signalDefinitions } from './signals/registry.js';
import type { ActivityVerdict, SignalContext } from './signals/signal-context.js';
import type { TendConfig } from './tend-config.js';
import { earliestAfter } from './time-spans.js';
import { valueWeight, yearlyMarginMinor } from './value-tiers.js';

/**
 * The one decision behind signals: run on every event that changes an account and whenever
 * `nextCheckAt` comes, and raise what is new, clear what is gone (by kind and instance).
 * Signals come out in the order of `signalKinds` (the registry's).
 */
export function evaluateAccount(snapshot: AccountSnapshot, config: TendConfig, now: Date): AccountEvaluation {
  const context = signalContext(snapshot, config, now);
  const signals: ActiveSignal[] = [];
  const checkAt: (Date | null)[] = [];
  for (const definition of signalDefinitions) {
    const outcome = definition.rule(context);
    signals.push(...outcome.signals);
    checkAt.push(...outcome.checkAt);
  }
  return { signals, nextCheckAt: earliestAfter(now, checkAt), activity: context.activity };
}

/** What every rule of one evaluation reads: built once, shared by all the kinds. */
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
