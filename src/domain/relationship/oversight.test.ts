// Checks the manager's per-rep oversight figures on a small team.
import { describe, expect, it } from 'vitest';
import { callAt, snapshotOf, touchAt } from './account-snapshot-fixture.js';
import { evaluateAccount } from './account-signals.js';
import type { AccountSnapshot } from './account-snapshot.js';
import { revenueAtRiskOf, teamOversight } from './oversight.js';
import type { ActiveSignal } from './signal.js';
import { defaultTendConfig as config } from './tend-config.js';

const now = new Date('2026-03-10T00:00:00Z');
const longAgo = new Date('2025-06-01T00:00:00Z');

function row(snapshot: AccountSnapshot, openSignals: { kind: 'neglected'; deadlineAt: Date | null; raisedAt: Date }[] = []) {
  return { snapshot, evaluation: evaluateAccount(snapshot, config, now), openSignals };
}

const keptUp = snapshotOf({ accountId: 'kept', tier: 'A', createdAt: longAgo, touches: [callAt('2026-03-01T00:00:00Z')], lastSpokenAt: new Date('2026-03-01T00:00:00Z') });
const smallNeglected = snapshotOf({ accountId: 'small', name: 'Small Co', profitMinor: 50_000, createdAt: longAgo, touches: [callAt('2025-12-01T00:00:00Z')], lastSpokenAt: new Date('2025-12-01T00:00:00Z') });
const bigNeglected = snapshotOf({
  accountId: 'big', name: 'Big Co', profitMinor: 4_000_000, createdAt: longAgo, churnProbability: 0.5,
  touches: [touchAt('2026-03-01T00:00:00Z')], lastSpokenAt: new Date('2025-10-01T00:00:00Z'),
});

describe('teamOversight', () => {
  it('reports cadence, neglected accounts by value, async-only share, response time, deadlines and money at risk', () => {
    const [ana, ben] = teamOversight([
      {
        repEmail: 'ana@example.com',
        accounts: [
          row(keptUp),
          row(smallNeglected, [{ kind: 'neglected', deadlineAt: new Date('2025-12-31T00:00:00Z'), raisedAt: new Date('2026-01-01T00:00:00Z') }]),
          row(bigNeglected, [{ kind: 'neglected', deadlineAt: new Date('2026-03-20T00:00:00Z'), raisedAt: new Date('2026-03-01T00:00:00Z') }]),
        ],
        inboundResponseMinutes: [30, 5, 240, 60],
      },
      { repEmail: 'ben@example.com', accounts: [], inboundResponseMinutes: [] },
    ], config, now);
    expect(ana).toMatchObject({ repEmail: 'ana@example.com', accountsOwned: 3, medianResponseMinutes: 45, signalsPastDeadline: 1 });
    expect(ana?.withinCadenceShare).toBeCloseTo(1 / 3, 10);
    expect(ana?.neglected).toEqual([
      { accountId: 'big', name: 'Big Co', valueMinor: 4_000_000 },
      { accountId: 'small', name: 'Small Co', valueMinor: 50_000 },
    ]);
    expect(ana?.asyncOnlyShare).toBeCloseTo(1 / 3, 10); // big: only e-mail since October
    // big: neglected stakes its whole margin (the at-risk 50 % is less); small: its margin.
    expect(ana?.revenueAtRiskMinor).toBe(4_000_000 + 50_000);
    // Coverage by tier, A first: kept is an A within cadence; small and big are neglected Bs.
    expect(ana?.tiers).toEqual([
      { tier: 'A', accounts: 1, withinCadence: 1 },
      { tier: 'B', accounts: 2, withinCadence: 0 },
    ]);
    expect(ben).toEqual({
      repEmail: 'ben@example.com', accountsOwned: 0, withinCadenceShare: null, neglected: [], asyncOnlyShare: null,
      medianResponseMinutes: null, signalsPastDeadline: 0, revenueAtRiskMinor: 0, tiers: [],
    });
  });
});

describe('revenueAtRiskOf', () => {
  const signal = (kind: ActiveSignal['kind'], valueAtStakeMinor: number): ActiveSignal => ({
    kind, valueAtStakeMinor, severity: 50, reasons: [], deadlineAt: null, instance: '',
  });

  it('takes the largest relationship stake once, adds late invoices, and ignores moments', () => {
    expect(revenueAtRiskOf([
      signal('at-risk', 300), signal('neglected', 1_000), signal('payment-late', 250),
      signal('payment-late', 100), signal('moment-that-matters', 1_000),
    ])).toBe(1_000 + 250 + 100);
  });
});
