// payment-late: an invoice unpaid past its due date, or a payment for it that failed.
import { moneyInWords } from '../../money-words.js';
import { addDays, isoDay, wholeDaysBetween } from '../time-spans.js';
import type { SignalDefinition } from './signal-definition.js';
import { countOf, severityOf, type RaisedSignal, type RuleOutcome, type SignalContext } from './signal-context.js';
import { setting, wholeNumber } from './signal-settings.js';

const reads = ['invoices', 'currency'] as const;

const paymentGraceDays = setting('paymentGraceDays', wholeNumber(0, 0, 365, 'days'));

export const paymentLateSignal = {
  kind: 'payment-late',
  label: 'Payment late',
  reads,
  settings: [paymentGraceDays],
  rule: paymentLateRule,
  // What is owed adds up, over and above the margin at risk.
  risk: 'cash',
  today: { objective: 'sort out the late payment', suggestsCall: false, talkingPoint: true },
  health: { component: 'money', pointsOff: (signal) => signal.severity, reasons: 'all' },
} satisfies SignalDefinition<'payment-late', typeof reads>;

/**
 * payment-late, one per invoice: unpaid past its due date plus the grace days, or a payment attempt
 * failed and it is still unpaid. Value at stake: the invoice amount. Severity: 40, rising to 100 at
 * 60 days late.
 */
function paymentLateRule(context: SignalContext<typeof reads>): RuleOutcome<'payment-late'> {
  const { snapshot, now } = context;
  const grace = paymentGraceDays.in(context.config);
  const signals: RaisedSignal<'payment-late'>[] = [];
  const checkAt: Date[] = [];
  for (const invoice of snapshot.invoices) {
    if (invoice.paidAt !== null && invoice.paidAt.getTime() <= now.getTime()) continue;
    const lateFrom = invoice.dueAt === null ? null : addDays(invoice.dueAt, grace);
    const failed = invoice.failedAt !== null && invoice.failedAt.getTime() <= now.getTime() ? invoice.failedAt : null;
    const overdue = lateFrom !== null && lateFrom.getTime() <= now.getTime();
    if (!overdue && lateFrom !== null) checkAt.push(lateFrom);
    if (!overdue && failed === null) continue;
    const reasons: string[] = [];
    const amount = moneyInWords(invoice.amountMinor, snapshot.currency);
    if (overdue && invoice.dueAt !== null) {
      reasons.push(
        `Invoice ${invoice.invoiceId} (${amount}) was due on ${isoDay(invoice.dueAt)} ` +
          `and is ${countOf(wholeDaysBetween(invoice.dueAt, now), 'day')} late`,
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
