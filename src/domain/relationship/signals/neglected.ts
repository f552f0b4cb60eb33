// neglected: the tier's contact cadence is overdue, no substantive two-way human contact in time.
import { cadenceStatus } from '../cadence-policy.js';
import { isSubstantive } from '../contact-audit.js';
import { addDays, isoDay } from '../time-spans.js';
import type { SignalDefinition } from './signal-definition.js';
import { countOf, severityOf, type RuleOutcome, type SignalContext } from './signal-context.js';
import { channelWords, newestOf } from './touches.js';

const reads = ['tier', 'touches', 'lastSpokenAt', 'createdAt'] as const;

export const neglectedSignal = {
  kind: 'neglected',
  label: 'Neglected',
  reads,
  // Its threshold is the tier's cadence (cadence: in tend.config.yaml).
  settings: [],
  rule: neglectedRule,
  risk: 'relationship',
  today: { objective: null, suggestsCall: false, talkingPoint: false },
  health: { component: 'relationship', pointsOff: () => 0, reasons: 'first' },
} satisfies SignalDefinition<'neglected', typeof reads>;

/**
 * neglected: whole days since the last substantive two-way human contact (or since the account
 * appeared) exceed the tier's cadence. Severity: 30, plus up to 50 as the overdue days reach one more
 * full cadence, plus up to 20 for value (log-scaled margin).
 */
function neglectedRule(context: SignalContext<typeof reads>): RuleOutcome<'neglected'> {
  const { snapshot, config, now } = context;
  const status = cadenceStatus(snapshot, config, now);
  if (status.cadence === null || status.dueAt === null) return { signals: [], checkAt: [] };
  const everyDays = status.cadence.everyDays;
  if (status.overdueDays <= 0) return { signals: [], checkAt: [addDays(status.since, everyDays + 1)] };
  const expectation = `tier ${status.tier} expects one every ${countOf(everyDays, 'day')}`;
  const reasons = [
    status.lastContactAt === null
      ? `No two-way conversation since the account appeared ${countOf(status.daysSince, 'day')} ago; ${expectation}`
      : `No two-way conversation for ${countOf(status.daysSince, 'day')}; ${expectation}`,
  ];
  const since = snapshot.touches.filter(
    (touch) =>
      touch.at.getTime() > status.since.getTime() && touch.at.getTime() <= now.getTime() && !isSubstantive(touch),
  );
  const newest = newestOf(since);
  if (newest !== null) {
    const by = newest.actor === 'system' ? 'automation' : `the ${newest.actor}`;
    reasons.push(
      `${countOf(since.length, 'touch', 'touches')} since then, none a conversation ` +
        `(latest: ${channelWords[newest.channel]} by ${by} on ${isoDay(newest.at)})`,
    );
  }
  return {
    signals: [
      {
        kind: 'neglected',
        severity: severityOf(30 + 50 * Math.min(1, status.overdueDays / everyDays) + 20 * context.valueWeight),
        valueAtStakeMinor: context.marginMinor,
        reasons,
        deadlineAt: status.dueAt,
        instance: '',
      },
    ],
    checkAt: [],
  };
}
