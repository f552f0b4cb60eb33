// The signals from what customers tell us and how we answer: a low score or an angry reply
// (detractor), making them work to get help (high-effort), and leaving them waiting (slow-response).
import type { InboundContact } from './account-snapshot.js';
import { countOf, quote, severityOf, type RuleOutcome, type SignalContext } from './signal-context.js';
import type { ActiveSignal } from './signal.js';
import { addDays, addHours, addMinutes, hoursBetween, isoDay, withinLastDays } from './time-spans.js';

/** Feedback older than this no longer makes someone a detractor. */
const detractorMemoryDays = 30;
/** Close the loop on bad feedback within two days (deadlineAt). */
const detractorFollowUpDays = 2;

/**
 * detractor: the latest survey answer of the last 30 days scores at most detractorMaxScore, or a reply
 * in the last 30 days was classified negative. Severity: 90 for a 0 down to 40 at the maximum score;
 * 60 for a negative reply; the larger holds.
 */
export function detractorRule(context: SignalContext): RuleOutcome {
  const { snapshot, now } = context;
  const maxScore = context.config.signals.detractorMaxScore;
  const surveys = snapshot.surveys
    .filter((survey) => withinLastDays(survey.at, detractorMemoryDays, now))
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  const replies = snapshot.negativeReplies
    .filter((reply) => withinLastDays(reply.at, detractorMemoryDays, now))
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  const checkAt = [...surveys, ...replies].map((item) => addDays(item.at, detractorMemoryDays));
  const latest = surveys[0];
  const reasons: string[] = [];
  let severity = 0;
  let raisedBy: Date | null = null;
  if (latest !== undefined && latest.score <= maxScore) {
    const comment = latest.comment === null || latest.comment.trim() === '' ? '' : `: ${quote(latest.comment)}`;
    reasons.push(`Scored us ${formatScore(latest.score)} out of 10 on ${isoDay(latest.at)}${comment}`);
    severity = 40 + 50 * (maxScore > 0 ? (maxScore - latest.score) / maxScore : 1);
    raisedBy = latest.at;
  }
  for (const reply of replies) {
    reasons.push(
      `Replied negatively on ${isoDay(reply.at)}${reply.summary === null ? '' : `: ${quote(reply.summary)}`}`,
    );
    severity = Math.max(severity, 60);
    if (raisedBy === null || reply.at.getTime() > raisedBy.getTime()) raisedBy = reply.at;
  }
  if (raisedBy === null) return { signals: [], checkAt };
  return {
    signals: [
      {
        kind: 'detractor',
        severity: severityOf(severity),
        valueAtStakeMinor: context.marginMinor,
        reasons,
        deadlineAt: addDays(raisedBy, detractorFollowUpDays),
        instance: '',
      },
    ],
    checkAt,
  };
}

/**
 * high-effort: at least `contacts` inbound contacts about the same problem within `withinDays`, a
 * ticket reopened within `withinDays`, or a contact that waited `longWaitHours` or more for a human
 * answer (answered within `withinDays`, or still waiting). Severity: 40 plus 15 per repeated problem,
 * reopened ticket or long wait, up to 100.
 */
export function highEffortRule(context: SignalContext): RuleOutcome {
  const { snapshot, now } = context;
  const { contacts, withinDays, longWaitHours } = context.config.signals.highEffort;
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
        `Contacted us ${countOf(about.length, 'time')} about ${quote(problem)} in the last ${countOf(withinDays, 'day')}`,
      );
    }
  }
  for (const contact of recent) {
    if (contact.kind === 'ticket-reopened') {
      reasons.push(
        `A ticket${contact.problem === null ? '' : ` about ${quote(contact.problem)}`} was reopened on ${isoDay(contact.at)}`,
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

/**
 * slow-response, two instances: 'inbound-message' when an inbound message is unanswered past
 * `inboundHours` (deadline: the earliest such message's), and 'new-lead' when a lead has had no
 * outbound touch from a rep within `leadMinutes` of appearing. Severity: 50 rising to 90 as the
 * wait reaches twice the allowance, plus up to 10 for value.
 */
export function slowResponseRule(context: SignalContext): RuleOutcome {
  const { snapshot, now } = context;
  const { inboundHours, leadMinutes } = context.config.signals.slowResponse;
  const signals: ActiveSignal[] = [];
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
          `${countOf(Math.floor(hoursBetween(contact.at, now)), 'hour')} for an answer; we aim to answer within ${countOf(inboundHours, 'hour')}`,
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
          `A new lead has waited ${formatWait(waitedMinutes)} without a reply; leads should hear from us within ${countOf(leadMinutes, 'minute')}`,
        ],
        deadlineAt: deadline,
        instance: 'new-lead',
      });
    }
  }
  return { signals, checkAt };
}

function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}

function formatWait(minutes: number): string {
  if (minutes < 120) return countOf(minutes, 'minute');
  if (minutes < 48 * 60) return countOf(Math.floor(minutes / 60), 'hour');
  return countOf(Math.floor(minutes / 1440), 'day');
}
