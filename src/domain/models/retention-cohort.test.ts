// Checks the cohort figures: who counts at each horizon, retained shares with their intervals, revenue kept.
import { describe, expect, it } from 'vitest';
import {
  type WonAccount,
  cohortFigures,
  monthlyLifetimes,
  monthsAfter,
  retentionAt,
  revenueRetained,
  wholeMonthsBetween,
} from './retention-cohort.js';

const at = (day: string) => new Date(`${day}T00:00:00Z`);
const won = (acquired: string, lost: string | null, extra: Partial<WonAccount> = {}): WonAccount => ({
  acquiredAt: at(acquired),
  seller: null,
  channel: null,
  campaign: null,
  lostAt: lost === null ? null : at(lost),
  revenueMinor: null,
  currency: null,
  ...extra,
});
const copies = (count: number, account: WonAccount) => Array.from({ length: count }, () => account);

describe('calendar months', () => {
  it('moves by calendar months and keeps month ends', () => {
    expect(monthsAfter(at('2026-01-31'), 1)).toEqual(at('2026-02-28'));
    expect(monthsAfter(at('2025-11-15'), 3)).toEqual(at('2026-02-15'));
    expect(wholeMonthsBetween(at('2026-01-15'), at('2026-04-14'))).toBe(2);
    expect(wholeMonthsBetween(at('2026-01-15'), at('2026-04-15'))).toBe(3);
    expect(wholeMonthsBetween(at('2026-04-15'), at('2026-01-15'))).toBe(0);
  });
});

describe('retentionAt', () => {
  const now = at('2026-07-01');

  it('judges only accounts old enough, counting a loss after the horizon as kept', () => {
    const accounts = [
      ...copies(20, won('2026-01-01', null)),
      ...copies(10, won('2026-01-01', '2026-02-01')),
      ...copies(10, won('2026-01-01', '2026-05-01')),
      // Too young for 6 months, even though lost: left out rather than counted against the group.
      ...copies(50, won('2026-05-01', '2026-05-15')),
    ];
    const six = retentionAt(accounts, 6, now);
    expect(six).toMatchObject({ kind: 'judged', accounts: 40, retained: 20, share: 0.5 });
    if (six.kind !== 'judged') throw new Error('judged');
    expect(six.lower).toBeCloseTo(0.352, 2);
    expect(six.upper).toBeCloseTo(0.648, 2);
    expect(retentionAt(accounts, 3, now)).toMatchObject({ accounts: 40, retained: 30 });
  });

  it('says in words when too few accounts are old enough', () => {
    expect(retentionAt(copies(12, won('2026-01-01', null)), 6, now)).toEqual({
      kind: 'too-few',
      accounts: 12,
      words: 'too few accounts to judge: 12',
    });
  });
});

describe('revenueRetained', () => {
  it('keeps currencies apart and counts only accounts still customers', () => {
    const accounts = [
      won('2025-01-01', null, { revenueMinor: 300_00, currency: 'EUR' }),
      won('2025-01-01', '2025-06-01', { revenueMinor: 100_00, currency: 'EUR' }),
      won('2025-01-01', null, { revenueMinor: 50_00, currency: 'USD' }),
      won('2025-01-01', null),
    ];
    expect(revenueRetained(accounts, at('2026-01-01'))).toEqual([
      { currency: 'EUR', wonMinor: 400_00, retainedMinor: 300_00, share: 0.75 },
      { currency: 'USD', wonMinor: 50_00, retainedMinor: 50_00, share: 1 },
    ]);
  });
});

describe('monthlyLifetimes', () => {
  it('counts losses by the month they fell in and survivors by the months seen', () => {
    const accounts = [
      won('2026-01-10', '2026-01-20'),
      won('2026-01-10', '2026-03-15'),
      won('2026-01-10', null),
      won('2026-03-20', null),
    ];
    expect(monthlyLifetimes(accounts, at('2026-04-01'))).toEqual({
      lostInPeriod: [1, 0, 1],
      stillActiveAfter: [0, 1, 0],
    });
  });
});

describe('cohortFigures', () => {
  it('projects the share left with the sBG model and values an account over its life', () => {
    // Every month 5 % of those left go, for two years of monthly cohorts of 100.
    const now = at('2026-01-01');
    const accounts: WonAccount[] = [];
    for (let cohort = 1; cohort <= 24; cohort++) {
      const acquired = monthsAfter(now, -cohort);
      let left = 100;
      for (let month = 1; month <= cohort; month++) {
        const lost = Math.round(left * 0.05);
        for (let index = 0; index < lost; index++)
          accounts.push({ ...won('2000-01-01', null), acquiredAt: acquired, lostAt: monthsAfter(acquired, month - 1) });
        left -= lost;
      }
      for (let index = 0; index < left; index++)
        accounts.push({ ...won('2000-01-01', null), acquiredAt: acquired, revenueMinor: 1200_00, currency: 'EUR' });
    }
    const figures = cohortFigures(accounts, now);
    const six = figures.retention[1]?.judgement;
    expect(six?.kind).toBe('judged');
    if (six?.kind === 'judged') expect(six.share).toBeCloseTo(0.95 ** 6, 1);
    expect(figures.projection.kind).toBe('judged');
    if (figures.projection.kind !== 'judged') throw new Error('projected');
    expect(figures.projection.period).toBe('month');
    const oneYear = figures.projection.shareLeft[0]?.share ?? 0;
    expect(oneYear).toBeGreaterThan(0.45);
    expect(oneYear).toBeLessThan(0.65);
    expect(figures.lifetimeValue).toMatchObject({ perCurrency: [{ currency: 'EUR' }] });
  });

  it('says why there is no projection for a handful of accounts', () => {
    const figures = cohortFigures(copies(5, won('2025-01-01', null)), at('2026-01-01'));
    expect(figures.projection).toEqual({ kind: 'too-few', accounts: 5, words: 'too few accounts to judge: 5' });
    expect(figures.lifetimeValue).toEqual({ unknown: 'no projection: too few accounts to judge: 5' });
  });

  it('projects nothing from a few months of history', () => {
    const young = [...copies(30, won('2025-11-01', null)), ...copies(10, won('2025-11-01', '2025-12-15'))];
    expect(cohortFigures(young, at('2026-01-01')).projection).toEqual({
      kind: 'not-fitted',
      words: 'only 2 months of history: a projection needs 6',
    });
  });

  it('says so when nobody has left, which the model cannot fit', () => {
    const figures = cohortFigures(copies(40, won('2025-01-01', null)), at('2026-01-01'));
    expect(figures.projection.kind).toBe('not-fitted');
  });
});
