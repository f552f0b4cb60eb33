// disengaging: an account's activity, or one person's, fell well below its own baseline.
import { detectDisengagement } from '../../models/disengagement.js';
import type { SignalDefinition } from './signal-definition.js';
import { percent, severityOf, type RaisedSignal, type RuleOutcome, type SignalContext } from './signal-context.js';
import { settingGroup, texts } from './signal-settings.js';

const reads = ['activity', 'people'] as const;

const disengagement = settingGroup('disengagement', { activities: texts(['Signed In']) });

export const disengagingSignal = {
  kind: 'disengaging',
  label: 'Using it less',
  reads,
  // The activities judged; the health score's engagement reads the same verdicts (SignalContext.activity).
  settings: [disengagement],
  rule: disengagingRule,
  risk: 'relationship',
  today: { objective: 'find out why their use dropped', suggestsCall: false, talkingPoint: true },
  health: null,
} satisfies SignalDefinition<'disengaging', typeof reads>;

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
function disengagingRule(context: SignalContext<typeof reads>): RuleOutcome<'disengaging'> {
  const signals: RaisedSignal<'disengaging'>[] = [];
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
      if (accountFading.has(series.activity) || !disengagement.in(context.config).activities.includes(series.activity))
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
          `${who}: ${verdict.reason} ${overTheLast(verdict.windowWeeks)} (down ${percent(drop)}), ` +
            'while the account as a whole has not fallen as far',
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
