// Scenario checks of renewal, payment, onboarding and moment signals through evaluateAccount.
import { describe, expect, it } from 'vitest';
import { snapshotOf } from './account-snapshot-fixture.js';
import { evaluateAccount } from './account-signals.js';
import type { AccountSnapshot, Invoice } from './account-snapshot.js';
import type { ActiveSignal, SignalKind } from './signal.js';
import { defaultTendConfig as config } from './tend-config.js';

function signalsOf(snapshot: AccountSnapshot, now: string, kind: SignalKind): ActiveSignal[] {
  return evaluateAccount(snapshot, config, new Date(now)).signals.filter((signal) => signal.kind === kind);
}

describe('renewal-approaching', () => {
  const renewing = snapshotOf({ renewalAt: new Date('2026-06-01T00:00:00Z') });

  it('names the tightest threshold crossed and grows more severe as the day nears', () => {
    expect(signalsOf(renewing, '2026-03-02T00:00:00Z', 'renewal-approaching')).toEqual([]); // 91 days out
    const [far] = signalsOf(renewing, '2026-03-03T00:00:00Z', 'renewal-approaching');
    const [near] = signalsOf(renewing, '2026-05-10T00:00:00Z', 'renewal-approaching');
    expect(far?.instance).toBe('90');
    expect(near?.instance).toBe('30');
    expect(near?.reasons).toEqual(['Renews on 2026-06-01, in 22 days']);
    expect(near!.severity).toBeGreaterThan(far!.severity);
    expect(signalsOf(renewing, '2026-06-02T00:00:00Z', 'renewal-approaching')).toEqual([]);
  });
});

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

describe('onboarding-stalled', () => {
  const fresh = snapshotOf({ lifecycleStage: 'onboarding', createdAt: new Date('2026-01-01T00:00:00Z') });

  it('is raised when a new account has not used the feature within 30 days, and cleared once it does', () => {
    expect(signalsOf(fresh, '2026-01-30T00:00:00Z', 'onboarding-stalled')).toEqual([]);
    const [signal] = signalsOf(fresh, '2026-02-05T00:00:00Z', 'onboarding-stalled');
    expect(signal?.reasons).toEqual([
      '35 days since they started and they have not yet done "Feature Used"; new accounts should within 30 days',
    ]);
    const activated = snapshotOf({
      ...fresh,
      firstEventAt: new Map([['Feature Used', new Date('2026-02-03T00:00:00Z')]]),
    });
    expect(signalsOf(activated, '2026-02-05T00:00:00Z', 'onboarding-stalled')).toEqual([]);
  });

  it('watches an account without a stage only while it is new', () => {
    const unstaged = snapshotOf({ ...fresh, lifecycleStage: null });
    expect(signalsOf(unstaged, '2026-02-05T00:00:00Z', 'onboarding-stalled')).toHaveLength(1);
    expect(signalsOf(unstaged, '2026-03-05T00:00:00Z', 'onboarding-stalled')).toEqual([]);
    expect(
      signalsOf(snapshotOf({ ...fresh, lifecycleStage: 'customer' }), '2026-02-05T00:00:00Z', 'onboarding-stalled'),
    ).toEqual([]);
  });
});

describe('moment-that-matters', () => {
  it('marks an anniversary in the coming week, the highest milestone reached and a recent outage', () => {
    const snapshot = snapshotOf({
      createdAt: new Date('2024-03-10T00:00:00Z'),
      lifetimeActivityCount: 1_500,
      outages: [{ at: new Date('2026-03-05T14:00:00Z'), resolvedAt: null, summary: 'EU region down' }],
    });
    const signals = signalsOf(snapshot, '2026-03-06T00:00:00Z', 'moment-that-matters');
    expect(signals.map((signal) => signal.instance)).toEqual([
      'anniversary-2026',
      'milestone-1000',
      'outage-2026-03-05',
    ]);
    expect(signals[0]?.reasons).toEqual(['2 years as a customer on 2026-03-10']);
    expect(signals[1]?.reasons).toEqual(['Has done "Signed In" 1,000 times in all']);
    expect(signals[2]?.reasons).toEqual(['An outage touched them on 2026-03-05: "EU region down"']);
    const later = signalsOf(snapshot, '2026-03-13T00:00:00Z', 'moment-that-matters');
    expect(later.map((signal) => signal.instance)).toEqual(['milestone-1000']);
  });
});

describe('a quiet, healthy account', () => {
  it('has no signals and asks to be checked when its cadence comes due', () => {
    const snapshot = snapshotOf({
      createdAt: new Date('2025-06-01T00:00:00Z'),
      touches: [
        {
          at: new Date('2026-01-20T00:00:00Z'),
          channel: 'video',
          direction: 'outbound',
          actor: 'rep',
          twoWay: true,
          userEmail: null,
          objective: null,
          summary: null,
        },
      ],
      lastSpokenAt: new Date('2026-01-20T00:00:00Z'),
    });
    const evaluation = evaluateAccount(snapshot, config, new Date('2026-02-01T00:00:00Z'));
    expect(evaluation.signals).toEqual([]);
    expect(evaluation.nextCheckAt).toEqual(new Date('2026-02-20T00:00:00Z')); // 31 days after the call
  });
});
