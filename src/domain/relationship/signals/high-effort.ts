// high-effort: making them work to get help: the same problem again and again, a ticket reopened, a long wait.
import type { InboundContact } from '../account-snapshot.js';
import { addDays, addHours, hoursBetween, isoDay, withinLastDays } from '../time-spans.js';
import type { SignalDefinition } from './signal-definition.js';
import { countOf, quote, severityOf, type RuleOutcome, type SignalContext } from './signal-context.js';
import { positiveNumber, settingGroup, wholeNumber } from './signal-settings.js';

const reads = ['inbound'] as const;

const highEffort = settingGroup('highEffort', {
  contacts: wholeNumber(2, 2, 100, 'contacts'),
  // Inbound contacts are kept for 30 days, so a longer window could never see more.
  withinDays: wholeNumber(7, 1, 30, 'days'),
  longWaitHours: positiveNumber(48, 720, 'hours'),
});

export const highEffortSignal = {
  kind: 'high-effort',
  label: 'Struggling with a problem',
  reads,
  settings: [highEffort],
  rule: highEffortRule,
  risk: 'relationship',
  today: { objective: 'resolve the open problem', suggestsCall: false, talkingPoint: false },
  health: { component: 'effort', pointsOff: (signal) => signal.severity, reasons: 'all' },
} satisfies SignalDefinition<'high-effort', typeof reads>;

/**
 * high-effort: at least `contacts` inbound contacts about the same problem within `withinDays`, a
 * ticket reopened within `withinDays`, or a contact that waited `longWaitHours` or more for a human
 * answer (answered within `withinDays`, or still waiting). Severity: 40 plus 15 per repeated problem,
 * reopened ticket or long wait, up to 100.
 */
function highEffortRule(context: SignalContext<typeof reads>): RuleOutcome<'high-effort'> {
  const { snapshot, now } = context;
  const { contacts, withinDays, longWaitHours } = highEffort.in(context.config);
  const visible = snapshot.inbound.filter((contact) => contact.at.getTime() <= now.getTime());
  const recent = visible.filter((contact) => withinLastDays(contact.at, withinDays, now));
  const checkAt: (Date | null)[] = recent.map((contact) => addDays(contact.at, withinDays));
  const reasons: string[] = [];
  const byProblem = new Map<string, InboundContact[]>();
  for (const contact of recent) {
    if (contact.problem === null) continue;
    byProblem.set(contact.problem, [...(byProblem.get(contact.problem) ?? []), contact]);
  }
  for (const [problem, about] of byProblem) {
    if (about.length >= contacts) {
      reasons.push(
        `Contacted us ${countOf(about.length, 'time')} about ${quote(problem)} ` +
          `in the last ${countOf(withinDays, 'day')}`,
      );
    }
  }
  for (const contact of recent) {
    if (contact.kind === 'ticket-reopened') {
      reasons.push(
        `A ticket${contact.problem === null ? '' : ` about ${quote(contact.problem)}`} ` +
          `was reopened on ${isoDay(contact.at)}`,
      );
    }
  }
  for (const contact of visible) {
    const answeredAt =
      contact.answeredAt !== null && contact.answeredAt.getTime() <= now.getTime() ? contact.answeredAt : null;
    if (answeredAt !== null && !withinLastDays(answeredAt, withinDays, now)) continue;
    const waited = hoursBetween(contact.at, answeredAt ?? now);
    if (answeredAt !== null) checkAt.push(addDays(answeredAt, withinDays));
    if (waited < longWaitHours) {
      if (answeredAt === null) checkAt.push(addHours(contact.at, longWaitHours));
      continue;
    }
    const about = contact.problem === null ? '' : ` about ${quote(contact.problem)}`;
    reasons.push(
      answeredAt === null
        ? `Has been waiting ${countOf(Math.floor(waited), 'hour')} for an answer${about}`
        : `Waited ${countOf(Math.floor(waited), 'hour')} for an answer${about} on ${isoDay(contact.at)}`,
    );
  }
  if (reasons.length === 0) return { signals: [], checkAt };
  return {
    signals: [
      {
        kind: 'high-effort',
        severity: severityOf(40 + 15 * reasons.length),
        valueAtStakeMinor: context.marginMinor,
        reasons,
        deadlineAt: null,
        instance: '',
      },
    ],
    checkAt,
  };
}
