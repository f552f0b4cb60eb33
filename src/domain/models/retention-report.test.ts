// Checks the retention report: groups, the company, too few to judge, and the seller who loses customers.
import { describe, expect, it } from 'vitest';
import type { WonAccount } from './retention-cohort.js';
import {
  acquisitionQuarter,
  retentionReport,
  sellerLosingCustomersWords,
  sellersLosingCustomers,
} from './retention-report.js';

const now = new Date('2026-07-01T00:00:00Z');
const january = new Date('2025-11-01T00:00:00Z');

/** `count` accounts won by the seller, `lost` of them lost in their second month. */
function book(seller: string | null, count: number, lost: number, extra: Partial<WonAccount> = {}): WonAccount[] {
  return Array.from({ length: count }, (_, index) => ({
    acquiredAt: january,
    seller,
    channel: 'partner',
    campaign: null,
    lostAt: index < lost ? new Date('2025-12-15T00:00:00Z') : null,
    revenueMinor: 10_000_00,
    currency: 'EUR',
    ...extra,
  }));
}

describe('retentionReport', () => {
  const accounts = [
    ...book('ann@tend.example', 200, 20),
    ...book('sam@tend.example', 200, 80),
    ...book('tom@tend.example', 12, 0),
    ...book(null, 40, 4),
  ];

  it('groups by seller, the largest first, not recorded last, beside the whole company', () => {
    const report = retentionReport(accounts, accounts, 'seller', now);
    expect(report.groups.map((group) => [group.key, group.accounts])).toEqual([
      ['ann@tend.example', 200],
      ['sam@tend.example', 200],
      ['tom@tend.example', 12],
      [null, 40],
    ]);
    expect(report.company.accounts).toBe(452);
    expect(report.groups[2]?.retention[1]?.judgement).toMatchObject({ kind: 'too-few', accounts: 12 });
  });

  it('flags the seller whose customers leave faster beyond doubt, and not the others', () => {
    const report = retentionReport(accounts, accounts, 'seller', now);
    expect(report.sellersLosingCustomers.map((flag) => flag.seller)).toEqual(['sam@tend.example']);
    const sam = report.sellersLosingCustomers[0]!;
    expect(sam.goneShare).toBeCloseTo(0.4);
    expect(sam.goneLower).toBeGreaterThan(sam.companyGoneShare);
    expect(sam.revenueWon).toEqual([{ currency: 'EUR', amountMinor: 2_000_000_00 }]);
    expect(sellerLosingCustomersWords(sam, 'Sam')).toBe(
      'Customers won by Sam leave faster: 40 % gone within 6 months against 23 % for the company ' +
        '(95 % interval 33–47 %). Sam won 200 accounts worth €2M a year.',
    );
  });

  it('flags nobody by another grouping, or when the difference could be chance', () => {
    expect(retentionReport(accounts, accounts, 'channel', now).sellersLosingCustomers).toEqual([]);
    const close = [...book('ann@tend.example', 100, 10), ...book('sam@tend.example', 40, 6)];
    const report = retentionReport(close, close, 'seller', now);
    expect(sellersLosingCustomers(report.groups, report.company)).toEqual([]);
  });

  it("groups only the viewer's accounts but holds them against the whole company", () => {
    const sams = accounts.filter((account) => account.seller === 'sam@tend.example');
    const report = retentionReport(accounts, sams, 'seller', now);
    expect(report.groups.map((group) => group.key)).toEqual(['sam@tend.example']);
    expect(report.company.accounts).toBe(452);
    expect(report.sellersLosingCustomers).toHaveLength(1);
  });

  it('names quarters and keeps them in time order', () => {
    expect(acquisitionQuarter(new Date('2026-03-31T23:00:00Z'))).toBe('2026-Q1');
    const spread = [
      ...book(null, 3, 0, { acquiredAt: new Date('2026-04-02T00:00:00Z') }),
      ...book(null, 3, 0, { acquiredAt: new Date('2025-12-02T00:00:00Z') }),
      ...book(null, 5, 0, { acquiredAt: new Date('2026-01-02T00:00:00Z') }),
    ];
    const report = retentionReport(spread, spread, 'quarter', now);
    expect(report.groups.map((group) => group.key)).toEqual(['2025-Q4', '2026-Q1', '2026-Q2']);
  });
});
