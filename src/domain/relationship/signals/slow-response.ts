// slow-response: leaving them waiting: an inbound message unanswered, or a new lead nobody called back.
import { addHours, addMinutes, hoursBetween } from '../time-spans.js';
import type { SignalDefinition } from './signal-definition.js';
import {
  countOf,
  quote,
  severityOf,
  type RaisedSignal,
  type RuleOutcome,
  type SignalContext,
} from './signal-context.js';
import { positiveNumber, settingGroup, wholeNumber } from './signal-settings.js';

const reads = ['inbound', 'lifecycleStage', 'createdAt', 'touches'] as const;

const slowResponse = settingGroup('slowResponse', {
  inboundHours: positiveNumber(24, 720, 'hours'),
  leadMinutes: wholeNumber(15, 1, 10_080, 'minutes'),
});

export const slowResponseSignal = {
  kind: 'slow-response',
  label: 'Waiting for an answer',
  reads,
  settings: [slowResponse],
  rule: slowResponseRule,
  risk: 'relationship',
  today: { objective: 'resolve the open problem', suggestsCall: false, talkingPoint: false },
  // A message left unanswered weighs on effort; a lead still waiting is not yet a customer's effort.
  health: {
    component: 'effort',
    pointsOff: (signal) => (signal.instance === 'inbound-message' ? 20 : null),
    reasons: 'first',
  },
} satisfies SignalDefinition<'slow-response', typeof reads>;

/**
 * slow-response, two instances: 'inbound-message' when an inbound message is unanswered past
 * `inboundHours` (deadline: the earliest such message's), and 'new-lead' when a lead has had no
 * outbound touch from a rep within `leadMinutes` of appearing. Severity: 50 rising to 90 as the
 * wait reaches twice the allowance, plus up to 10 for value.
 */
function slowResponseRule(context: SignalContext<typeof reads>): RuleOutcome<'slow-response'> {
  const { snapshot, now } = context;
  const { inboundHours, leadMinutes } = slowResponse.in(context.config);
  const signals: RaisedSignal<'slow-response'>[] = [];
  const checkAt: Date[] = [];
  const waiting = snapshot.inbound
    .filter((contact) => contact.kind === 'message' && contact.at.getTime() <= now.getTime())
    .filter((contact) => contact.answeredAt === null || contact.answeredAt.getTime() > now.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const late = waiting.filter((contact) => addHours(contact.at, inboundHours).getTime() <= now.getTime());
  for (const contact of waiting) if (!late.includes(contact)) checkAt.push(addHours(contact.at, inboundHours));
  const oldest = late[0];
  if (oldest !== undefined) {
    const waited = hoursBetween(oldest.at, now);
    signals.push({
      kind: 'slow-response',
      severity: severityOf(50 + 40 * Math.min(1, (waited - inboundHours) / inboundHours) + 10 * context.valueWeight),
      valueAtStakeMinor: context.marginMinor,
      reasons: late.map(
        (contact) =>
          `A message${contact.summary === null ? '' : ` (${quote(contact.summary)})`} has waited ` +
          `${countOf(Math.floor(hoursBetween(contact.at, now)), 'hour')} for an answer; ` +
          `we aim to answer within ${countOf(inboundHours, 'hour')}`,
      ),
      deadlineAt: addHours(oldest.at, inboundHours),
      instance: 'inbound-message',
    });
  }
  if (snapshot.lifecycleStage === 'lead') {
    const deadline = addMinutes(snapshot.createdAt, leadMinutes);
    const contacted = snapshot.touches.some(
      (touch) =>
        touch.direction === 'outbound' &&
        touch.actor === 'rep' &&
        touch.at.getTime() >= snapshot.createdAt.getTime() &&
        touch.at.getTime() <= now.getTime(),
    );
    if (!contacted && deadline.getTime() > now.getTime()) checkAt.push(deadline);
    if (!contacted && deadline.getTime() <= now.getTime()) {
      const waitedMinutes = Math.floor((now.getTime() - snapshot.createdAt.getTime()) / 60_000);
      signals.push({
        kind: 'slow-response',
        severity: severityOf(
          50 + 40 * Math.min(1, (waitedMinutes - leadMinutes) / leadMinutes) + 10 * context.valueWeight,
        ),
        valueAtStakeMinor: context.marginMinor,
        reasons: [
          `A new lead has waited ${formatWait(waitedMinutes)} without a reply; ` +
            `leads should hear from us within ${countOf(leadMinutes, 'minute')}`,
        ],
        deadlineAt: deadline,
        instance: 'new-lead',
      });
    }
  }
  return { signals, checkAt };
}

function formatWait(minutes: number): string {
  if (minutes < 120) return countOf(minutes, 'minute');
  if (minutes < 48 * 60) return countOf(Math.floor(minutes / 60), 'hour');
  return countOf(Math.floor(minutes / 1440), 'day');
}
