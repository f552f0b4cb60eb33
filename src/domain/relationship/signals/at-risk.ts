// at-risk: the churn model, or the buying pattern's P(alive), says they are likely to go.
import type { SignalDefinition } from './signal-definition.js';
import { percent, severityOf, type RuleOutcome, type SignalContext } from './signal-context.js';
import { numberWithin, settingGroup } from './signal-settings.js';

const reads = ['churnProbability', 'probabilityAlive'] as const;

const atRisk = settingGroup('atRisk', {
  churnProbability: numberWithin(0.5, 0, 1, 'a probability from 0 to 1'),
  probabilityAlive: numberWithin(0.3, 0, 1, 'a probability from 0 to 1'),
});

export const atRiskSignal = {
  kind: 'at-risk',
  label: 'At risk of leaving',
  reads,
  settings: [atRisk],
  rule: atRiskRule,
  risk: 'relationship',
  today: { objective: 'rescue the relationship', suggestsCall: false, talkingPoint: false },
  // The health score reads the same probabilities itself (its churn risk).
  health: null,
} satisfies SignalDefinition<'at-risk', typeof reads>;

/**
 * at-risk: the churn model's probability is at or above its threshold, or P(alive) at or below its
 * own. The probability of losing them is the larger of churn probability and 1 − P(alive) among
 * those that crossed; value at stake = that probability × the yearly margin (expected margin lost);
 * severity = that probability as a percentage.
 */
function atRiskRule(context: SignalContext<typeof reads>): RuleOutcome<'at-risk'> {
  const { churnProbability, probabilityAlive } = context.snapshot;
  const thresholds = atRisk.in(context.config);
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
