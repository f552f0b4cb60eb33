// The lifecycle signals: a renewal coming up, an invoice not paid, a new account that has not got
// going, and the moments worth a personal word (an anniversary, a usage milestone, an outage).
import { countOf, quote, severityOf, type RuleOutcome, type SignalContext } from './signal-context.js';
import type { ActiveSignal } from './signal.js';
import { addDays, addYears, isoDay, wholeDaysBetween, withinLastDays } from './time-spans.js';

/** How far ahead an anniversary is a moment, and how long an outage stays one. */
const momentDays = 7;

/**
 * renewal-approaching: the renewal is at most max(renewalDays) days away and not yet passed; the
 * instance is the tightest threshold crossed ('30' inside 30 days). Severity: 30 far out, rising
 * linearly to 100 on the day, plus up to 10 for value (capped at 100).
 */
export function renewalRule(context: SignalContext): RuleOutcome {
  const { snapshot, now } = context;
  const renewalAt = snapshot.renewalAt;
  const thresholds = [...context.config.signals.renewalDays].sort((a, b) => a - b);
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

/**
 * payment-late, one per invoice: unpaid past its due date plus the grace days, or a payment attempt
 * failed and it is still unpaid. Value at stake: the invoice amount. Severity: 40, rising to 100 at
 * 60 days late.
 */
export function paymentLateRule(context: SignalContext): RuleOutcome {
  const { snapshot, now } = context;
  const grace = context.config.signals.paymentGraceDays;
  const signals: ActiveSignal[] = [];
  const checkAt: Date[] = [];
  for (const invoice of snapshot.invoices) {
    if (invoice.paidAt !== null && invoice.paidAt.getTime() <= now.getTime()) continue;
    const lateFrom = invoice.dueAt === null ? null : addDays(invoice.dueAt, grace);
    const failed = invoice.failedAt !== null && invoice.failedAt.getTime() <= now.getTime() ? invoice.failedAt : null;
    const overdue = lateFrom !== null && lateFrom.getTime() <= now.getTime();
    if (!overdue && lateFrom !== null) checkAt.push(lateFrom);
    if (!overdue && failed === null) continue;
    const reasons: string[] = [];
    const amount = formatMoney(invoice.amountMinor, snapshot.currency);
    if (overdue && invoice.dueAt !== null) {
      reasons.push(
        `Invoice ${invoice.invoiceId} (${amount}) was due on ${isoDay(invoice.dueAt)} and is ${countOf(wholeDaysBetween(invoice.dueAt, now), 'day')} late`,
      );
    }
    if (failed !== null)
      reasons.push(`A payment for invoice ${invoice.invoiceId} (${amount}) failed on ${isoDay(failed)}`);
    const lateSince = failed ?? lateFrom!;
    signals.push({
      kind: 'payment-late',
      severity: severityOf(40 + 60 * Math.min(1, wholeDaysBetween(lateSince, now) / 60)),
      valueAtStakeMinor: Math.max(0, invoice.amountMinor),
      reasons,
      deadlineAt: lateFrom ?? failed,
      instance: invoice.invoiceId,
    });
  }
  return { signals, checkAt };
}

/**
 * onboarding-stalled: an account in onboarding (stage 'onboarding', or no stage and younger than twice
 * the allowance) that is at least `withinDays` old and has still not had every activation event.
 * An account that activates late clears it. Severity: 50, rising to 90 at twice the allowance.
 */
export function onboardingRule(context: SignalContext): RuleOutcome {
  const { snapshot, now } = context;
  const { withinDays, activationEvents } = context.config.signals.onboarding;
  const deadline = addDays(snapshot.createdAt, withinDays);
  const unstaged = snapshot.lifecycleStage === null;
  const checkAt = [deadline, unstaged ? addDays(snapshot.createdAt, 2 * withinDays) : null];
  const age = wholeDaysBetween(snapshot.createdAt, now);
  const onboarding = snapshot.lifecycleStage === 'onboarding' || (unstaged && age < 2 * withinDays);
  const missing = activationEvents.filter((event) => {
    const first = snapshot.firstEventAt.get(event);
    return first === undefined || first.getTime() > now.getTime();
  });
  if (!onboarding || age < withinDays || missing.length === 0) return { signals: [], checkAt };
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

/**
 * moment-that-matters: an anniversary of the account within the next 7 days ('anniversary-YYYY',
 * until the day after), the highest usage milestone reached ('milestone-N'), or an outage in the last
 * 7 days ('outage-YYYY-MM-DD'). Positive moments put no money at stake; an outage puts the margin.
 */
export function momentRule(context: SignalContext): RuleOutcome {
  const { snapshot, now, config } = context;
  const signals: ActiveSignal[] = [];
  const checkAt: Date[] = [];
  const years = Math.max(1, now.getUTCFullYear() - snapshot.createdAt.getUTCFullYear());
  for (const year of [years, years + 1]) {
    const anniversary = addYears(snapshot.createdAt, year);
    const opens = addDays(anniversary, -momentDays);
    const closes = addDays(anniversary, 1);
    checkAt.push(opens, closes);
    if (opens.getTime() > now.getTime() || closes.getTime() <= now.getTime()) continue;
    signals.push({
      kind: 'moment-that-matters',
      severity: 20,
      valueAtStakeMinor: 0,
      reasons: [`${countOf(year, 'year')} as a customer on ${isoDay(anniversary)}`],
      deadlineAt: anniversary,
      instance: `anniversary-${anniversary.getUTCFullYear()}`,
    });
  }
  const reached = config.signals.milestones.counts.filter((count) => snapshot.lifetimeActivityCount >= count);
  if (reached.length > 0) {
    const milestone = Math.max(...reached);
    signals.push({
      kind: 'moment-that-matters',
      severity: 25,
      valueAtStakeMinor: 0,
      reasons: [`Has done ${quote(config.signals.milestones.activity)} ${milestone.toLocaleString('en')} times in all`],
      deadlineAt: null,
      instance: `milestone-${milestone}`,
    });
  }
  const outageDays = new Map<string, { at: Date; summary: string | null }>();
  for (const outage of snapshot.outages) {
    if (!withinLastDays(outage.at, momentDays, now)) continue;
    checkAt.push(addDays(outage.at, momentDays));
    const day = isoDay(outage.at);
    const known = outageDays.get(day);
    if (known === undefined || (known.summary === null && outage.summary !== null)) outageDays.set(day, outage);
  }
  for (const [day, outage] of outageDays) {
    signals.push({
      kind: 'moment-that-matters',
      severity: 50,
      valueAtStakeMinor: context.marginMinor,
      reasons: [`An outage touched them on ${day}${outage.summary === null ? '' : `: ${quote(outage.summary)}`}`],
      deadlineAt: addDays(outage.at, 2),
      instance: `outage-${day}`,
    });
  }
  return { signals, checkAt };
}

/** Money in reasons: 1234.5 EUR from 123450 minor units (two decimals assumed). */
function formatMoney(amountMinor: number, currency: string | null): string {
  const major = (amountMinor / 100).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return currency === null ? major : `${major} ${currency}`;
}
