// Evaluates every signal for one account at one instant: which hold now (with severity, value at
// stake, reasons and deadline) and when the answer could next change by time alone.
import { assertNever } from '../tracking-message.js';
import type { AccountSnapshot } from './account-snapshot.js';
import { asyncOnlyRule, neglectedRule, neverSpokenRule } from './contact-signals.js';
import { detractorRule, highEffortRule, slowResponseRule } from './conversation-signals.js';
import { momentRule, onboardingRule, paymentLateRule, renewalRule } from './lifecycle-signals.js';
import { percent, severityOf, signalContext, type RuleOutcome, type SignalContext } from './signal-context.js';
import { signalKinds, type AccountEvaluation, type ActiveSignal, type SignalKind } from './signal.js';
import type { TendConfig } from './tend-config.js';
import { earliestAfter } from './time-spans.js';

/**
 * The one decision behind signals: run on every event that changes an account and whenever
 * `nextCheckAt` comes, and raise what is new, clear what is gone (by kind and instance).
 * Signals come out in the order of `signalKinds`.
 */
export function evaluateAccount(snapshot: AccountSnapshot, config: TendConfig, now: Date): AccountEvaluation {
  const context = signalContext(snapshot, config, now);
  const signals: ActiveSignal[] = [];
  const checkAt: (Date | null)[] = [];
  for (const kind of signalKinds) {
    const outcome = ruleFor(kind, context);
    signals.push(...outcome.signals);
    checkAt.push(...outcome.checkAt);
  }
  return { signals, nextCheckAt: earliestAfter(now, checkAt), activity: context.activity };
}

function ruleFor(kind: SignalKind, context: SignalContext): RuleOutcome {
  switch (kind) {
    case 'neglected':
      return neglectedRule(context);
    case 'async-only':
      return asyncOnlyRule(context);
    case 'never-spoken':
      return neverSpokenRule(context);
    case 'disengaging':
      return disengagingRule(context);
    case 'at-risk':
      return atRiskRule(context);
    case 'detractor':
      return detractorRule(context);
    case 'high-effort':
      return highEffortRule(context);
    case 'slow-response':
      return slowResponseRule(context);
    case 'renewal-approaching':
      return renewalRule(context);
    case 'payment-late':
      return paymentLateRule(context);
    case 'onboarding-stalled':
      return onboardingRule(context);
    case 'moment-that-matters':
      return momentRule(context);
    default:
      return assertNever(kind);
  }
}

/**
 * disengaging, one per configured activity with a series: the disengagement detector's verdict
 * against the account's own baseline. Severity: 40 + 50 × the drop share + up to 10 for value; value
 * at stake: the margin times the drop share. Each new day of counts can change the verdict; the daily
 * refresh of every account re-judges it, so the rule asks for no check of its own (one would make
 * every active account due at every midnight, ahead of the deadlines that fall due then).
 */
function disengagingRule(context: SignalContext): RuleOutcome {
  const signals: ActiveSignal[] = [];
  for (const { activity, verdict } of context.activity) {
    if (verdict.kind !== 'disengaging') continue;
    const drop = Math.min(1, Math.max(0, verdict.dropShare));
    signals.push({
      kind: 'disengaging',
      severity: severityOf(40 + 50 * drop + 10 * context.valueWeight),
      valueAtStakeMinor: Math.round(context.marginMinor * drop),
      reasons: [
        `${verdict.reason} over the last ${verdict.windowWeeks === 1 ? 'week' : `${verdict.windowWeeks} weeks`} (down ${percent(drop)})`,
      ],
      deadlineAt: null,
      instance: activity,
    });
  }
  return { signals, checkAt: [] };
}

/**
 * at-risk: the churn model's probability is at or above its threshold, or P(alive) at or below its
 * own. The probability of losing them is the larger of churn probability and 1 − P(alive) among
 * those that crossed; value at stake = that probability × the yearly margin (expected margin lost);
 * severity = that probability as a percentage.
 */
function atRiskRule(context: SignalContext): RuleOutcome {
  const { churnProbability, probabilityAlive } = context.snapshot;
  const thresholds = context.config.signals.atRisk;
  const reasons: string[] = [];
  let lossProbability = 0;
  if (churnProbability !== null && churnProbability >= thresholds.churnProbability) {
    reasons.push(`The churn model gives a ${percent(churnProbability)} chance they leave`);
    lossProbability = Math.max(lossProbability, churnProbability);
  }
  if (probabilityAlive !== null && probabilityAlive <= thresholds.probabilityAlive) {
    reasons.push(`Their buying pattern gives only a ${percent(probabilityAlive)} chance they are still an active customer`);
    lossProbability = Math.max(lossProbability, 1 - probabilityAlive);
  }
  if (reasons.length === 0) return { signals: [], checkAt: [] };
  const expectedLoss = Math.round(lossProbability * context.marginMinor);
  return {
    signals: [{
      kind: 'at-risk',
      severity: severityOf(100 * lossProbability),
      valueAtStakeMinor: expectedLoss,
      reasons,
      deadlineAt: null,
      instance: '',
    }],
    checkAt: [],
  };
}
