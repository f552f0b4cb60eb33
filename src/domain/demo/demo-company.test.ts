import { describe, expect, it } from 'vitest';
import { demoCompany } from './demo-company.js';
import { demoTeam } from './demo-team.js';

const today = new Date('2026-12-07T00:00:00Z');

describe('the demo company', () => {
  it('is the same company for the same seed, and another for another seed', () => {
    const first = demoCompany({ seed: 3, accounts: 40, today });
    expect(demoCompany({ seed: 3, accounts: 40, today })).toEqual(first);
    const names = (seed: number) => demoCompany({ seed, accounts: 40, today }).accounts.map((account) => account.name);
    expect(names(4)).not.toEqual(names(3));
  });

  it('has an admin, two managers and six reps, each rep with a manager and a way of working', () => {
    expect(demoTeam.filter((user) => user.role === 'admin')).toHaveLength(1);
    const managers = demoTeam.filter((user) => user.role === 'manager');
    const reps = demoTeam.filter((user) => user.role === 'rep');
    expect(managers).toHaveLength(2);
    expect(reps).toHaveLength(6);
    for (const rep of reps) expect(managers.map((manager) => manager.email)).toContain(rep.managerEmail);
    const tierA = reps.map((rep) => rep.diligence?.everyDays.A ?? Number.POSITIVE_INFINITY);
    expect(Math.min(...tierA)).toBe(10);
    expect(Math.max(...tierA)).toBeGreaterThanOrEqual(40);
  });

  it('has accounts across tiers and currencies, with profit skewed as real books are', () => {
    const { accounts } = demoCompany({ seed: 1, accounts: 300, today });
    expect(accounts).toHaveLength(300);
    const tiers = new Map<string, number>();
    for (const account of accounts) tiers.set(account.tier, (tiers.get(account.tier) ?? 0) + 1);
    // Tier A makes half the profit: a few accounts, many more in C.
    expect(tiers.get('A')).toBeGreaterThan(10);
    expect(tiers.get('A')!).toBeLessThan(tiers.get('B')!);
    expect(tiers.get('B')!).toBeLessThan(tiers.get('C')!);
    expect(new Set(accounts.map((account) => account.currency))).toEqual(new Set(['EUR', 'USD', 'GBP', 'CHF']));
    const profits = accounts.map((account) => account.profit).sort((a, b) => b - a);
    const positive = profits.filter((profit) => profit > 0).reduce((sum, profit) => sum + profit, 0);
    expect(profits.slice(0, 30).reduce((sum, profit) => sum + profit, 0) / positive).toBeGreaterThan(0.35);
    expect(profits.filter((profit) => profit < 0).length).toBeGreaterThan(0);
    expect(accounts.filter((account) => account.startDay > 0).length).toBeGreaterThan(20);
  });

  it('has named people with e-mail, phone, language and time zone in every account', () => {
    const { accounts } = demoCompany({ seed: 1, accounts: 300, today });
    const people = accounts.flatMap((account) => account.people);
    expect(accounts.every((account) => account.people.length >= 1)).toBe(true);
    expect(new Set(people.map((person) => person.email)).size).toBe(people.length);
    for (const person of people) {
      expect(person.email).toMatch(/^[a-z0-9.]+@[a-z0-9]+\.example$/);
      expect(person.phone).toMatch(/^\+\d{10,12}$/);
      expect(person.firstName.length).toBeGreaterThan(1);
    }
    expect(new Set(people.map((person) => person.language)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(people.map((person) => person.timezone)).size).toBeGreaterThanOrEqual(6);
  });

  it('shares each region among its reps evenly', () => {
    const { accounts } = demoCompany({ seed: 1, accounts: 300, today });
    for (const rep of demoTeam.filter((user) => user.role === 'rep')) {
      const regionOf = (email: string) => demoTeam.find((user) => user.email === email)?.region;
      const teamAccounts = accounts.filter((account) => regionOf(account.ownerEmail) === rep.region);
      const owned = accounts.filter((account) => account.ownerEmail === rep.email).length;
      expect(Math.abs(owned - teamAccounts.length / 3)).toBeLessThanOrEqual(1);
    }
  });
});
