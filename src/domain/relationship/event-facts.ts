// Reads the facts a relationship decision needs out of raw events: survey answers, invoices and their
// payment, inbound contacts and whether a human answered them, outages, negative replies, and daily
// activity series. Pure: the store hands over rows, this decides what they mean.
import type { ActivitySeries, InboundContact, Invoice, SurveyAnswer, Touch } from './account-snapshot.js';

/** The events a promise is made of (see promises.ts), in the order a promise's life runs. */
export const promiseEventNames = ['Promise Made', 'Promise Changed', 'Promise Kept', 'Promise Withdrawn'] as const;
export type PromiseEventName = (typeof promiseEventNames)[number];

/** Events that carry relationship facts (the rest are activity or product use); kept in account_facts too. */
export const factEventNames = [
  'Survey Answered',
  'Message Replied',
  'Ticket Opened',
  'Ticket Reopened',
  'Ticket Resolved',
  'Invoice Issued',
  'Invoice Paid',
  'Payment Failed',
  'Outage Started',
  'Outage Resolved',
  ...promiseEventNames,
];

export interface EventFact {
  readonly name: string;
  readonly at: Date;
  readonly contactId: string | null;
  readonly properties: Record<string, unknown>;
}

const dayMilliseconds = 86_400_000;

function number(value: unknown): number | null {
  const parsed =
    typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function instant(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(at.getTime()) ? null : at;
}

function endOfDueDay(value: unknown): Date | null {
  const at = instant(value);
  if (at === null) return null;
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(at.getTime() + dayMilliseconds) : at;
}

/** Survey answers, scores normalised to 0–10 (a `scale` of 5 doubles them), newest first. */
export function surveyAnswers(events: readonly EventFact[]): SurveyAnswer[] {
  return events
    .filter((event) => event.name === 'Survey Answered')
    .flatMap((event) => {
      const score = number(event.properties.score);
      if (score === null) return [];
      const scale = number(event.properties.scale) ?? 10;
      return [
        {
          at: event.at,
          score: scale > 0 ? (score / scale) * 10 : score,
          comment: text(event.properties.comment),
          contactId: event.contactId,
        },
      ];
    })
    .sort((a, b) => b.at.getTime() - a.at.getTime());
}

/** Replies whose `sentiment` is negative (set by the sender, or by Tend's reply classifier). */
export function negativeReplies(events: readonly EventFact[]): { at: Date; summary: string | null }[] {
  return events
    .filter(
      (event) =>
        event.name === 'Message Replied' &&
        (text(event.properties.sentiment)?.toLowerCase() === 'negative' ||
          (number(event.properties.sentiment) ?? 0) < 0),
    )
    .map((event) => ({ at: event.at, summary: text(event.properties.summary) ?? text(event.properties.text) }));
}

/** Invoices from Invoice Issued / Invoice Paid / Payment Failed events, matched by invoiceId. */
export function invoices(events: readonly EventFact[]): Invoice[] {
  const byId = new Map<
    string,
    { issuedAt: Date | null; dueAt: Date | null; amountMinor: number; paidAt: Date | null; failedAt: Date | null }
  >();
  const ordered = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const event of ordered) {
    const invoiceId =
      text(event.properties.invoiceId) ??
      (typeof event.properties.invoiceId === 'number' ? String(event.properties.invoiceId) : null);
    if (invoiceId === null) continue;
    const entry = byId.get(invoiceId) ?? { issuedAt: null, dueAt: null, amountMinor: 0, paidAt: null, failedAt: null };
    const amount = number(event.properties.amount);
    switch (event.name) {
      case 'Invoice Issued':
        entry.issuedAt = event.at;
        // A due date without a time is due by the end of that day: late from the next midnight (UTC).
        entry.dueAt = endOfDueDay(event.properties.dueDate) ?? instant(event.properties.dueAt);
        if (amount !== null) entry.amountMinor = Math.round(amount * 100);
        break;
      case 'Invoice Paid':
        entry.paidAt = event.at;
        if (amount !== null && entry.amountMinor === 0) entry.amountMinor = Math.round(amount * 100);
        break;
      case 'Payment Failed':
        if (entry.paidAt === null) entry.failedAt = event.at;
        break;
      default:
        continue;
    }
    byId.set(invoiceId, entry);
  }
  return [...byId].flatMap(([invoiceId, entry]) =>
    entry.issuedAt === null && entry.failedAt === null
      ? []
      : [
          {
            invoiceId,
            issuedAt: entry.issuedAt ?? (entry.failedAt as Date),
            dueAt: entry.dueAt,
            amountMinor: entry.amountMinor,
            paidAt: entry.paidAt,
            failedAt: entry.failedAt,
          },
        ],
  );
}

/**
 * An amount as invoices carry it: a number, or a plain decimal string ("1200.50"). The value ranking
 * applies the same pattern in SQL (store/value-ranking.ts), so tiers and values at stake agree.
 */
export const decimalPattern = '^-?[0-9]+(\\.[0-9]+)?$';
const decimalText = new RegExp(decimalPattern);

function decimal(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return typeof value === 'string' && decimalText.test(value.trim()) ? Number(value.trim()) : null;
}

/**
 * What paid invoices brought in between `since` (exclusive) and `until`: the amounts and, where the
 * events carry one, the margins, in minor units; null where no paid invoice carried the figure. The
 * value ranking sums the same events in SQL (store/value-ranking.ts), so both agree on an account.
 */
export function paidInvoiceTotals(
  events: readonly EventFact[],
  since: Date,
  until: Date,
): { amountMinor: number | null; marginMinor: number | null } {
  let amountMinor: number | null = null;
  let marginMinor: number | null = null;
  for (const event of events) {
    if (event.name !== 'Invoice Paid' || event.at <= since || event.at > until) continue;
    const amount = decimal(event.properties.amount);
    if (amount === null) continue;
    amountMinor = (amountMinor ?? 0) + amount * 100;
    const margin = decimal(event.properties.margin);
    if (margin !== null) marginMinor = (marginMinor ?? 0) + margin * 100;
  }
  return {
    amountMinor: amountMinor === null ? null : Math.round(amountMinor),
    marginMinor: marginMinor === null ? null : Math.round(marginMinor),
  };
}

/** When a human first answered after `at`: a rep's outbound touch, or the ticket's resolution. */
function answeredAfter(at: Date, touches: readonly Touch[], resolvedAt: Date | null): Date | null {
  let answered: Date | null = resolvedAt !== null && resolvedAt >= at ? resolvedAt : null;
  for (const touch of touches) {
    if (
      touch.actor === 'rep' &&
      touch.direction === 'outbound' &&
      touch.at >= at &&
      (answered === null || touch.at < answered)
    )
      answered = touch.at;
  }
  return answered;
}

/** Tickets (opened, reopened) and inbound messages, each with the problem it is about and when it was answered. */
export function inboundContacts(events: readonly EventFact[], touches: readonly Touch[]): InboundContact[] {
  const resolved = new Map<string, Date>();
  for (const event of events) {
    const ticketId = text(event.properties.ticketId);
    if (event.name === 'Ticket Resolved' && ticketId !== null) {
      const earlier = resolved.get(ticketId);
      if (!earlier || event.at < earlier) resolved.set(ticketId, event.at);
    }
  }
  const contacts: InboundContact[] = [];
  for (const event of events) {
    const kind =
      event.name === 'Ticket Opened'
        ? 'ticket-opened'
        : event.name === 'Ticket Reopened'
          ? 'ticket-reopened'
          : event.name === 'Message Replied'
            ? 'message'
            : null;
    if (kind === null) continue;
    const problem = text(event.properties.problem) ?? text(event.properties.category) ?? text(event.properties.subject);
    const ticketId = text(event.properties.ticketId);
    const resolvedAt = ticketId === null ? null : (resolved.get(ticketId) ?? null);
    contacts.push({
      at: event.at,
      problem: problem?.toLowerCase() ?? null,
      kind,
      answeredAt: answeredAfter(event.at, touches, resolvedAt),
      summary: text(event.properties.summary) ?? text(event.properties.subject),
    });
  }
  return contacts.sort((a, b) => b.at.getTime() - a.at.getTime());
}

/** Outages that touched the account (Outage Started, with the matching Outage Resolved). */
export function outages(events: readonly EventFact[]): { at: Date; resolvedAt: Date | null; summary: string | null }[] {
  const resolved = events.filter((event) => event.name === 'Outage Resolved');
  return events
    .filter((event) => event.name === 'Outage Started')
    .map((event) => {
      const outageId = text(event.properties.outageId);
      const end = resolved.find(
        (candidate) =>
          candidate.at >= event.at && (outageId === null || text(candidate.properties.outageId) === outageId),
      );
      return {
        at: event.at,
        resolvedAt: end?.at ?? null,
        summary: text(event.properties.summary) ?? text(event.properties.description),
      };
    });
}

/** Daily counts per activity for the `days` days ending on the day of `now` (oldest first). */
export function activitySeries(
  rows: readonly { activity: string; day: string; count: number }[],
  now: Date,
  days: number,
): ActivitySeries[] {
  const lastDay = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const through = new Date(lastDay);
  const byActivity = new Map<string, number[]>();
  for (const row of rows) {
    const index = days - 1 - Math.round((lastDay - Date.parse(`${row.day}T00:00:00Z`)) / dayMilliseconds);
    if (index < 0 || index >= days) continue;
    const counts = byActivity.get(row.activity) ?? new Array<number>(days).fill(0);
    counts[index] = (counts[index] ?? 0) + row.count;
    byActivity.set(row.activity, counts);
  }
  // Days before the first activity are not history: a new subject must not look like a long quiet one.
  return [...byActivity].map(([activity, counts]) => {
    const first = counts.findIndex((count) => count > 0);
    return { activity, dailyCounts: first <= 0 ? counts : counts.slice(first), through };
  });
}
