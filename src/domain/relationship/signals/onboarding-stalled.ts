// onboarding-stalled: a new account that has not got going (not yet done what activates it).
import { addDays, wholeDaysBetween } from '../time-spans.js';
import type { SignalDefinition } from './signal-definition.js';
import { countOf, quote, severityOf, type RuleOutcome, type SignalContext } from './signal-context.js';
import { settingGroup, texts, wholeNumber } from './signal-settings.js';

const reads = ['lifecycleStage', 'createdAt', 'firstEventAt'] as const;

const onboarding = settingGroup('onboarding', {
  withinDays: wholeNumber(30, 1, 365, 'days'),
  activationEvents: texts(['Feature Used']),
});

export const onboardingStalledSignal = {
  kind: 'onboarding-stalled',
  label: 'Onboarding stalled',
  reads,
  settings: [onboarding],
  rule: onboardingRule,
  risk: 'relationship',
  today: { objective: 'get them to their first success', suggestsCall: false, talkingPoint: false },
  health: null,
} satisfies SignalDefinition<'onboarding-stalled', typeof reads>;

/**
 * onboarding-stalled: an account in onboarding (stage 'onboarding', or no stage and younger than twice
 * the allowance) that is at least `withinDays` old and has still not had every activation event.
 * An account that activates late clears it. Severity: 50, rising to 90 at twice the allowance.
 */
function onboardingRule(context: SignalContext<typeof reads>): RuleOutcome<'onboarding-stalled'> {
  const { snapshot, now } = context;
  const { withinDays, activationEvents } = onboarding.in(context.config);
  const deadline = addDays(snapshot.createdAt, withinDays);
  const unstaged = snapshot.lifecycleStage === null;
  const checkAt = [deadline, unstaged ? addDays(snapshot.createdAt, 2 * withinDays) : null];
  const age = wholeDaysBetween(snapshot.createdAt, now);
  const inOnboarding = snapshot.lifecycleStage === 'onboarding' || (unstaged && age < 2 * withinDays);
  const missing = activationEvents.filter((event) => {
    const first = snapshot.firstEventAt.get(event);
    return first === undefined || first.getTime() > now.getTime();
  });
  if (!inOnboarding || age < withinDays || missing.length === 0) return { signals: [], checkAt };
  return {
    signals: [
      {
        kind: 'onboarding-stalled',
        severity: severityOf(50 + 40 * Math.min(1, (age - withinDays) / withinDays)),
        valueAtStakeMinor: context.marginMinor,
        reasons: [
          `${countOf(age, 'day')} since they started and they have not yet done ${missing.map(quote).join(' or ')}; ` +
            `new accounts should within ${countOf(withinDays, 'day')}`,
        ],
        deadlineAt: deadline,
        instance: '',
      },
    ],
    checkAt,
  };
}
