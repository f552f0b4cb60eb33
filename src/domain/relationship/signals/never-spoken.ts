// never-spoken: a customer for a good while whom nobody has ever called or met.
import { addDays, wholeDaysBetween } from '../time-spans.js';
import type { SignalDefinition } from './signal-definition.js';
import { countOf, severityOf, type RuleOutcome, type SignalContext } from './signal-context.js';
import { maxDays, setting, wholeNumber } from './signal-settings.js';
import { lastSpokenOf } from './touches.js';

const reads = ['touches', 'lastSpokenAt', 'createdAt'] as const;

const neverSpokenAfterDays = setting('neverSpokenAfterDays', wholeNumber(60, 1, maxDays, 'days'));

export const neverSpokenSignal = {
  kind: 'never-spoken',
  label: 'Never spoken to',
  reads,
  settings: [neverSpokenAfterDays],
  rule: neverSpokenRule,
  risk: 'relationship',
  today: { objective: null, suggestsCall: true, talkingPoint: false },
  health: { component: 'relationship', pointsOff: () => 25, reasons: 'first' },
} satisfies SignalDefinition<'never-spoken', typeof reads>;

/** never-spoken: a customer for the configured number of days whom nobody has ever called or met. */
function neverSpokenRule(context: SignalContext<typeof reads>): RuleOutcome<'never-spoken'> {
  const { snapshot, now } = context;
  const afterDays = neverSpokenAfterDays.in(context.config);
  const deadline = addDays(snapshot.createdAt, afterDays);
  if (lastSpokenOf(snapshot.lastSpokenAt, snapshot.touches, now) !== null) return { signals: [], checkAt: [] };
  const age = wholeDaysBetween(snapshot.createdAt, now);
  if (age < afterDays) return { signals: [], checkAt: [deadline] };
  return {
    signals: [
      {
        kind: 'never-spoken',
        severity: severityOf(40 + 30 * Math.min(1, (age - afterDays) / afterDays) + 20 * context.valueWeight),
        valueAtStakeMinor: context.marginMinor,
        reasons: [`A customer for ${countOf(age, 'day')} and nobody has ever called or met them`],
        deadlineAt: deadline,
        instance: '',
      },
    ],
    checkAt: [],
  };
}
