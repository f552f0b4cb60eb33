// Checks the manager's per-rep oversight figures on a small team: each account's part as its evaluation
// finds it, and the reps' rows added up from those parts.
import { describe, expect, it } from 'vitest';
import { callAt, snapshotOf, touchAt } from './account-snapshot-fixture.js';
import { evaluateAccount } from './account-signals.js';
import type { AccountSnapshot } from './account-snapshot.js';
import { type RepBook, accountOversight, neglectedListed, revenueAtRiskOf, teamOversight } from './oversight.js';
import type { ActiveSignal } from './signal.js';
import { defaultTendConfig as config } from './tend-config.js';

const now = new Date('2026-03-10T00:00:00Z');
const longAgo = new Date('2025-06-01T00:00:00Z');

const keptUp = snapshotOf({
  accountId: 'kept',
  tier: 'A',
  createdAt: longAgo,
  touches: [callAt('2026-03-01T00:00:00Z')],
  lastSpokenAt: new Date('2026-03-01T00:00:00Z'),
});
const smallNeglected = snapshotOf({
  accountId: 'small',
  name: 'Small Co',
  profitMinor: 50_000,
  createdAt: longAgo,
  touches: [callAt('2025-12-01T00:00:00Z')],
  lastSpokenAt: new Date('2025-12-01T00:00:00Z'),
});
const bigNeglected = snapshotOf({
  accountId: 'big',
  name: 'Big Co',
  profitMinor: 4_000_000,
  createdAt: longAgo,
  churnProbability: 0.5,
  touches: [touchAt('2026-03-01T00:00:00Z')],
  lastSpokenAt: new Date('2025-10-01T00:00:00Z'),
});
const partOf = (snapshot: AccountSnapshot) => accountOversight(evaluateAccount(snapshot, config, now).signals);

describe('accountOversight', () => {
  it("finds neglect, e-mail only and the money at risk in the account's signals", () => {
    expect(partOf(keptUp)).toEqual({ neglected: false, asyncOnly: false, revenueAtRiskMinor: 0 });
    expect(partOf(smallNeglected)).toEqual({ neglected: true, asyncOnly: false, revenueAtRiskMinor: 50_000 });
    // big: only e-mail since October; neglected stakes its whole margin (the at-risk 50 % is less).
    expect(partOf(bigNeglected)).toEqual({ neglected: true, asyncOnly: true, revenueAtRiskMinor: 4_000_000 });
  });

  it("leaves out its people's signals, which only the daily refresh judges", () => {
    const signal = (kind: ActiveSignal['kind'], valueAtStakeMinor: number, contactId?: string): ActiveSignal => ({
      kind,
      valueAtStakeMinor,
      severity: 50,
      reasons: [],
      deadlineAt: null,
      instance: contactId ?? '',
      ...(contactId ? { contactId } : {}),
    });
    expect(accountOversight([signal('disengaging', 9_000, 'ann'), signal('detractor', 300)])).toEqual({
      neglected: false,
      asyncOnly: false,
      revenueAtRiskMinor: 300,
    });
  });
});

describe('teamOversight', () => {
  const everything =
    'reports cadence, neglected accounts by value, async-only share, response time, deadlines and money at risk';
  const tierOf = (tier: string, snapshots: AccountSnapshot[]) => ({
    tier,
    accounts: snapshots.length,
    neglected: snapshots.filter((snapshot) => partOf(snapshot).neglected).length,
    asyncOnly: snapshots.filter((snapshot) => partOf(snapshot).asyncOnly).length,
    revenueAtRiskMinor: snapshots.reduce((total, snapshot) => total + partOf(snapshot).revenueAtRiskMinor, 0),
  });
  const ana: RepBook = {
    repEmail: 'ana@example.com',
    tiers: [tierOf('B', [smallNeglected, bigNeglected]), tierOf('A', [keptUp])],
    mostValuableNeglected: [
      { accountId: 'small', name: 'Small Co', valueMinor: 50_000 },
      { accountId: 'big', name: 'Big Co', valueMinor: 4_000_000 },
    ],
    inboundResponseMinutes: [30, 5, 240, 60],
    signalsPastDeadline: 1,
    revenueAtRisk: [
      { currency: 'EUR', amountMinor: 50_000 },
      { currency: 'GBP', amountMinor: 0 },
      { currency: 'CHF', amountMinor: 4_000_000 },
    ],
  };

  it(everything, () => {
    const nobody = {
      repEmail: 'ben@example.com',
      tiers: [],
      mostValuableNeglected: [],
      inboundResponseMinutes: [],
      signalsPastDeadline: 0,
      revenueAtRisk: [],
    };
    const [row, ben] = teamOversight([ana, nobody]);
    expect(row).toMatchObject({
      repEmail: 'ana@example.com',
      accountsOwned: 3,
      neglectedAccounts: 2,
      medianResponseMinutes: 45,
      signalsPastDeadline: 1,
    });
    expect(row?.withinCadenceShare).toBeCloseTo(1 / 3, 10);
    expect(row?.neglected).toEqual([
      { accountId: 'big', name: 'Big Co', valueMinor: 4_000_000 },
      { accountId: 'small', name: 'Small Co', valueMinor: 50_000 },
    ]);
    expect(row?.asyncOnlyShare).toBeCloseTo(1 / 3, 10);
    expect(row?.revenueAtRiskMinor).toBe(4_000_000 + 50_000);
    // Never one sum across currencies: each on its own, the largest first, none of zero.
    expect(row?.revenueAtRisk).toEqual([
      { currency: 'CHF', amountMinor: 4_000_000 },
      { currency: 'EUR', amountMinor: 50_000 },
    ]);
    // Coverage by tier, A first: kept is an A within cadence; small and big are neglected Bs.
    expect(row?.tiers).toEqual([
      { tier: 'A', accounts: 1, withinCadence: 1 },
      { tier: 'B', accounts: 2, withinCadence: 0 },
    ]);
    expect(ben).toEqual({
      repEmail: 'ben@example.com',
      accountsOwned: 0,
      withinCadenceShare: null,
      neglectedAccounts: 0,
      neglected: [],
      asyncOnlyShare: null,
      medianResponseMinutes: null,
      signalsPastDeadline: 0,
      revenueAtRiskMinor: 0,
      revenueAtRisk: [],
      tiers: [],
    });
  });

  it('lists the most valuable neglected accounts only, and counts them all', () => {
    const many = Array.from({ length: neglectedListed + 5 }, (_, index) => ({
      accountId: `a${index}`,
      name: null,
      valueMinor: index * 100,
    }));
    const tiers = [{ tier: 'B', accounts: 40, neglected: 30, asyncOnly: 0, revenueAtRiskMinor: 0 }];
    const [row] = teamOversight([{ ...ana, tiers, mostValuableNeglected: many }]);
    expect(row?.neglectedAccounts).toBe(30);
    const mostValuable = many
      .map((account) => account.valueMinor)
      .reverse()
      .slice(0, neglectedListed);
    expect(row?.neglected.map((account) => account.valueMinor)).toEqual(mostValuable);
  });
});

describe('revenueAtRiskOf', () => {
  const signal = (kind: ActiveSignal['kind'], valueAtStakeMinor: number): ActiveSignal => ({
    kind,
    valueAtStakeMinor,
    severity: 50,
    reasons: [],
    deadlineAt: null,
    instance: '',
  });

  it('takes the largest relationship stake once, adds late invoices, and ignores moments', () => {
    expect(
      revenueAtRiskOf([
        signal('at-risk', 300),
        signal('neglected', 1_000),
        signal('payment-late', 250),
        signal('payment-late', 100),
        signal('moment-that-matters', 1_000),
      ]),
    ).toBe(1_000 + 250 + 100);
  });
});
