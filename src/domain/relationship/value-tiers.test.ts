// Checks tier assignment by cumulative contribution, contributions and the margin at stake.
import { describe, expect, it } from 'vitest';
import { paidInvoiceTotals } from './event-facts.js';
import {
  assignTiers,
  contributionOf,
  tierCutoffs,
  tierForNewcomer,
  valueWeight,
  yearlyFromWindow,
  yearlyMarginMinor,
} from './value-tiers.js';
import { defaultTendConfig } from './tend-config.js';

const tiers = defaultTendConfig.value.tiers; // A ≤ 50 %, B ≤ 80 %, C the rest

describe('assignTiers', () => {
  it('puts the accounts making the first half of profit in A, the next 30 % in B, the rest in C', () => {
    // Total 1000: shares before each account: 0, 0.40, 0.65, 0.80, 0.90, 0.95
    const accounts = [
      { accountId: 'd', contributionMinor: 100 },
      { accountId: 'a', contributionMinor: 400 },
      { accountId: 'c', contributionMinor: 150 },
      { accountId: 'b', contributionMinor: 250 },
      { accountId: 'e', contributionMinor: 50 },
      { accountId: 'f', contributionMinor: 50 },
    ];
    const assigned = assignTiers(accounts, tiers);
    expect(Object.fromEntries(assigned)).toEqual({ a: 'A', b: 'A', c: 'B', d: 'B', e: 'C', f: 'C' });
  });

  it('always puts the top account in the first tier, even when it alone makes most of the total', () => {
    const assigned = assignTiers(
      [
        { accountId: 'whale', contributionMinor: 9_000 },
        { accountId: 'minnow', contributionMinor: 1_000 },
      ],
      tiers,
    );
    expect(assigned.get('whale')).toBe('A');
    expect(assigned.get('minnow')).toBe('C'); // 90 % of the total is before it
  });

  it('breaks ties by account id and puts zero or negative contributors in the last tier, never dropping them', () => {
    const assigned = assignTiers(
      [
        { accountId: 'y', contributionMinor: 500 },
        { accountId: 'x', contributionMinor: 500 },
        { accountId: 'loss', contributionMinor: -300 },
        { accountId: 'nothing', contributionMinor: 0 },
      ],
      tiers,
    );
    expect(assigned.get('x')).toBe('A'); // first by id, share before 0
    expect(assigned.get('y')).toBe('A'); // share before 0.5 ≤ 0.5
    expect(assigned.get('loss')).toBe('C');
    expect(assigned.get('nothing')).toBe('C');
    expect(assigned.size).toBe(4);
  });

  it('gives everyone the last tier when nobody contributes anything', () => {
    const assigned = assignTiers([{ accountId: 'a', contributionMinor: 0 }], tiers);
    expect(assigned.get('a')).toBe('C');
  });
});

describe('contributionOf and yearlyMarginMinor', () => {
  it('reads the configured basis and keeps a negative profit negative', () => {
    const account = { revenueMinor: 50_000, profitMinor: -2_000 };
    expect(contributionOf(account, 'revenue')).toBe(50_000);
    expect(contributionOf(account, 'profit')).toBe(-2_000);
    expect(contributionOf({ revenueMinor: null, profitMinor: null }, 'profit')).toBe(0);
  });

  it('takes profit as the margin at stake, else 20 % of revenue, never below zero', () => {
    expect(yearlyMarginMinor({ revenueMinor: 100_000, profitMinor: 30_000 })).toBe(30_000);
    expect(yearlyMarginMinor({ revenueMinor: 100_000, profitMinor: null })).toBe(20_000);
    expect(yearlyMarginMinor({ revenueMinor: 100_000, profitMinor: -5_000 })).toBe(0);
    expect(yearlyMarginMinor({ revenueMinor: null, profitMinor: null })).toBe(0);
  });

  it('weighs value on a log scale from 0 to 1', () => {
    expect(valueWeight(0)).toBe(0);
    expect(valueWeight(100_000)).toBeCloseTo(Math.log10(1001) / 6, 10); // 1 000 a year ≈ 0.5
    expect(valueWeight(1e12)).toBe(1);
  });
});

describe('placing newcomers between rankings', () => {
  const tiers = [
    { name: 'A', upToShare: 0.5 },
    { name: 'B', upToShare: 0.8 },
    { name: 'C', upToShare: 1 },
  ];
  const book = [100, 60, 40, 20, 10, 5, 0, -3].map((contributionMinor, index) => ({
    accountId: `a${index}`,
    contributionMinor,
  }));

  it('takes each tier entry bar from the ranking, and places a newcomer by it', () => {
    const assigned = assignTiers(book, tiers);
    const cutoffs = tierCutoffs(book, assigned, tiers);
    expect(cutoffs).toEqual([
      { tier: 'A', minimumMinor: assigned.get('a1') === 'A' ? 60 : 100 },
      {
        tier: 'B',
        minimumMinor: Math.min(
          ...book
            .filter((account) => assigned.get(account.accountId) === 'B')
            .map((account) => account.contributionMinor),
        ),
      },
    ]);
    expect(tierForNewcomer(500, cutoffs, tiers)).toBe('A');
    expect(tierForNewcomer(cutoffs[1]!.minimumMinor, cutoffs, tiers)).toBe('B');
    expect(tierForNewcomer(1, cutoffs, tiers)).toBe('C');
    expect(tierForNewcomer(-10, cutoffs, tiers)).toBe('C');
  });
});

describe('value from paid invoices', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const paid = (daysAgo: number, properties: Record<string, unknown>) => ({
    name: 'Invoice Paid',
    at: new Date(now.getTime() - daysAgo * 86_400_000),
    contactId: null,
    properties,
  });

  it('sums the amounts and margins paid inside the window, skipping figures that are not numbers', () => {
    const events = [
      paid(10, { amount: 100, margin: 30 }),
      paid(100, { amount: '250.50' }),
      paid(400, { amount: 1000, margin: 1000 }),
      paid(5, { amount: 'soon', margin: 7 }),
      paid(6, { amount: '1e3' }),
      paid(7, { amount: '.5' }),
      { ...paid(3, { amount: 9 }), name: 'Invoice Issued' },
    ];
    expect(paidInvoiceTotals(events, new Date(now.getTime() - 365 * 86_400_000), now)).toEqual({
      amountMinor: 35_050,
      marginMinor: 3_000,
    });
  });

  it('says null, not zero, when no paid invoice carried the figure', () => {
    expect(paidInvoiceTotals([paid(10, { amount: 100 })], new Date(0), now)).toEqual({
      amountMinor: 10_000,
      marginMinor: null,
    });
    expect(paidInvoiceTotals([], new Date(0), now)).toEqual({ amountMinor: null, marginMinor: null });
  });

  it('turns a window total into a yearly figure', () => {
    expect(yearlyFromWindow(10_000, 365)).toBe(10_000);
    expect(yearlyFromWindow(10_000, 73)).toBe(50_000);
    expect(yearlyFromWindow(null, 90)).toBeNull();
  });
});
