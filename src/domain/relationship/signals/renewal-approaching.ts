// renewal-approaching: the renewal date is near (90, 60, 30 days by default).
import { addDays, isoDay } from '../time-spans.js';
import type { SignalDefinition } from './signal-definition.js';
import { countOf, severityOf, type RuleOutcome, type SignalContext } from './signal-context.js';
import { maxDays, setting, wholeNumbers } from './signal-settings.js';

const reads = ['renewalAt'] as const;

const renewalDays = setting('renewalDays', wholeNumbers([90, 60, 30], 1, maxDays, 'days'));

export const renewalApproachingSignal = {
  kind: 'renewal-approaching',
  label: 'Renewal coming',
  reads,
  settings: [renewalDays],
  rule: renewalRule,
  risk: 'relationship',
  // At risk as well, the today list makes it "rescue the renewal" (see rankToday).
  today: { objective: 'prepare the renewal', suggestsCall: false, talkingPoint: false },
  health: null,
} satisfies SignalDefinition<'renewal-approaching', typeof reads>;

/**
 * renewal-approaching: the renewal is at most max(renewalDays) days away and not yet passed; the
 * instance is the tightest threshold crossed ('30' inside 30 days). Severity: 30 far out, rising
 * linearly to 100 on the day, plus up to 10 for value (capped at 100).
 */
function renewalRule(context: SignalContext<typeof reads>): RuleOutcome<'renewal-approaching'> {
  const { snapshot, now } = context;
  const renewalAt = snapshot.renewalAt;
  const thresholds = [...renewalDays.in(context.config)].sort((a, b) => a - b);
  const widest = thresholds[thresholds.length - 1];
  if (renewalAt === null || widest === undefined || renewalAt.getTime() <= now.getTime())
    return { signals: [], checkAt: [] };
  const checkAt = [...thresholds.map((days) => addDays(renewalAt, -days)), renewalAt];
  const msLeft = renewalAt.getTime() - now.getTime();
  const crossed = thresholds.find((days) => msLeft <= days * 86_400_000);
  if (crossed === undefined) return { signals: [], checkAt };
  const daysLeft = Math.ceil(msLeft / 86_400_000);
  return {
    signals: [
      {
        kind: 'renewal-approaching',
        severity: severityOf(30 + 70 * (1 - daysLeft / widest) + 10 * context.valueWeight),
        valueAtStakeMinor: context.marginMinor,
        reasons: [`Renews on ${isoDay(renewalAt)}, in ${countOf(daysLeft, 'day')}`],
        deadlineAt: renewalAt,
        instance: String(crossed),
      },
    ],
    checkAt,
  };
}
