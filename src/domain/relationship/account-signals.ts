// Evaluates every signal for one account at one instant: which hold now (with severity, value at
// stake, reasons and deadline) and when the answer could next change by time alone.
import { detectDisengagement } from '../models/disengagement.js';
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
 *
 * And one per person whose own activity fell below their own baseline while the account's did not
 * (the champion who stopped signing in while colleagues carry on; when the whole account fades, its
 * own signal says so). Only people who made at least `minimumPersonShare` of the account's usual
 * activity: in a 500-seat account one quiet seat is no news. Weighed by that share: severity
 * 30 + 50 × drop × share + up to 10 for value; value at stake: the margin × drop × share.
 */
function disengagingRule(context: SignalContext): RuleOutcome {
  const signals: ActiveSignal[] = [];
  const accountFading = new Set<string>();
  for (const { activity, verdict } of context.activity) {
    if (verdict.kind !== 'disengaging') continue;
    accountFading.add(activity);
    const drop = Math.min(1, Math.max(0, verdict.dropShare));
    signals.push({
      kind: 'disengaging',
      severity: severityOf(40 + 50 * drop + 10 * context.valueWeight),
      valueAtStakeMinor: Math.round(context.marginMinor * drop),
      reasons: [`${verdict.reason} ${overTheLast(verdict.windowWeeks)} (down ${percent(drop)})`],
      deadlineAt: null,
      instance: activity,
    });
  }
  for (const person of context.snapshot.people ?? []) {
    for (const series of person.activity) {
      if (
        accountFading.has(series.activity) ||
        !context.config.signals.disengagement.activities.includes(series.activity)
      )
        continue;
      // Most people in a large account made too little of its activity to be judged alone: skip them
      // before the detector, on their share of the whole window (the baseline's share is checked below).
      const accountSeries = context.snapshot.activity.find((candidate) => candidate.activity === series.activity);
      if (
        accountSeries === undefined ||
        total(series.dailyCounts) < minimumPersonShare * total(accountSeries.dailyCounts)
      )
        continue;
      const verdict = detectDisengagement(series.dailyCounts, series.activity);
      if (verdict.kind !== 'disengaging') continue;
      const account = context.activity.find((candidate) => candidate.activity === series.activity)?.verdict;
      if (account === undefined || account.kind === 'insufficient-history' || account.baselinePerWeek <= 0) continue;
      const share = Math.min(1, verdict.baselinePerWeek / account.baselinePerWeek);
      if (share < minimumPersonShare) continue;
      const drop = Math.min(1, Math.max(0, verdict.dropShare));
      const who =
        person.name !== null && person.email !== null
          ? `${person.name} (${person.email})`
          : (person.name ?? person.email ?? person.contactId);
      signals.push({
        kind: 'disengaging',
        severity: severityOf(30 + 50 * drop * share + 10 * context.valueWeight),
        valueAtStakeMinor: Math.round(context.marginMinor * drop * share),
        reasons: [
          `${who}: ${verdict.reason} ${overTheLast(verdict.windowWeeks)} (down ${percent(drop)}), while the account as a whole has not fallen as far`,
          `${percent(share)} of the account's usual ${series.activity} was theirs`,
        ],
        deadlineAt: null,
        instance: `${series.activity}:${person.contactId}`,
        contactId: person.contactId,
      });
    }
  }
  return { signals, checkAt: [] };
}

/** A person's share of the account's usual activity below which their drifting raises nothing. */
export const minimumPersonShare = 0.1;

const total = (counts: readonly number[]): number => counts.reduce((sum, count) => sum + count, 0);

const overTheLast = (weeks: number): string => `over the last ${weeks === 1 ? 'week' : `${weeks} weeks`}`;

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
    reasons.push(
      `Their buying pattern gives only a ${percent(probabilityAlive)} chance they are still an active customer`,
    );
    lossProbability = Math.max(lossProbability, 1 - probabilityAlive);
  }
  if (reasons.length === 0) return { signals: [], checkAt: [] };
  const expectedLoss = Math.round(lossProbability * context.marginMinor);
  return {
    signals: [
      {
        kind: 'at-risk',
        severity: severityOf(100 * lossProbability),
        valueAtStakeMinor: expectedLoss,
        reasons,
        deadlineAt: null,
        instance: '',
      },
    ],
    checkAt: [],
  };
}
