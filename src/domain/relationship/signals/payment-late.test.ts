// Scenario checks of the payment-late signal through evaluateAccount.
import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../account-snapshot-fixture.js';
import { evaluateAccount } from '../account-signals.js';
import type { AccountSnapshot, Invoice } from '../account-snapshot.js';
import type { ActiveSignal, SignalKind } from '../signal.js';
import { defaultTendConfig as config } from '../tend-config.js';

function signalsOf(snapshot: AccountSnapshot, now: string, kind: SignalKind): ActiveSignal[] {
  return evaluateAccount(snapshot, config, new Date(now)).signals.filter((signal) => signal.kind === kind);
}

describe('payment-late', () => {
  const invoice: Invoice = {
    invoiceId: 'INV-7',
    issuedAt: new Date('2026-02-01T00:00:00Z'),
    dueAt: new Date('2026-03-01T00:00:00Z'),
    amountMinor: 250_000,
    paidAt: null,
    failedAt: null,
  };

  it('is raised per unpaid invoice past its due date, with the amount at stake, and cleared by payment', () => {
    expect(
      evaluateAccount(snapshotOf({ invoices: [invoice] }), config, new Date('2026-02-27T00:00:00Z')).nextCheckAt,
    ).toEqual(new Date('2026-03-01T00:00:00Z'));
    const [signal] = signalsOf(snapshotOf({ invoices: [invoice] }), '2026-03-11T00:00:00Z', 'payment-late');
    expect(signal).toMatchObject({ instance: 'INV-7', valueAtStakeMinor: 250_000, severity: 50 });
    expect(signal?.reasons).toEqual(['Invoice INV-7 (2,500.00 EUR) was due on 2026-03-01 and is 10 days late']);
    const paid = { ...invoice, paidAt: new Date('2026-03-05T00:00:00Z') };
    expect(signalsOf(snapshotOf({ invoices: [paid] }), '2026-03-11T00:00:00Z', 'payment-late')).toEqual([]);
  });

  it('is raised by a failed payment before the due date', () => {
    const failed = { ...invoice, failedAt: new Date('2026-02-10T00:00:00Z') };
    const [signal] = signalsOf(snapshotOf({ invoices: [failed] }), '2026-02-11T00:00:00Z', 'payment-late');
    expect(signal?.reasons).toEqual(['A payment for invoice INV-7 (2,500.00 EUR) failed on 2026-02-10']);
  });
});
