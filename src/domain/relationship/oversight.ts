// A manager's view of the team: per rep, how many accounts, how many kept within cadence, which
// valuable ones are neglected, how fast inbound contacts are answered, and what money is at risk. Each
// account's part is found at its evaluation (accountOversight) and kept on the account, so that a view
// of a team or the whole company adds up stored figures instead of evaluating every account again.
import type { ActiveSignal } from './signal.js';
import { signalRegistry } from './signals/registry.js';

/** What one account adds to its owner's oversight, as its evaluation found it. */
export interface AccountOversight {
  readonly neglected: boolean;
  readonly asyncOnly: boolean;
  /** See revenueAtRiskOf. */
  readonly revenueAtRiskMinor: number;
}

/** One tier of a rep's book, added up (tier null: accounts not ranked into a tier yet). */
export interface TierStanding {
  readonly tier: string | null;
  readonly accounts: number;
  readonly neglected: number;
  readonly asyncOnly: number;
  readonly revenueAtRiskMinor: number;
}

export interface NeglectedAccount {
  readonly accountId: string;
  readonly name: string | null;
  readonly valueMinor: number;
}

/** Money at risk in one currency: amounts in different currencies are never added together. */
export interface MoneyAtRisk {
  /** The accounts' currency (ISO 4217), null for accounts that name none. */
  readonly currency: string | null;
  readonly amountMinor: number;
}

/** A rep's book as the store adds it up. */
export interface RepBook {
  readonly repEmail: string;
  readonly tiers: readonly TierStanding[];
  /** The rep's most valuable neglected accounts (at least `neglectedListed` of them when there are as many). */
  readonly mostValuableNeglected: readonly NeglectedAccount[];
  /** Minutes from each inbound contact to its first human answer, over the period shown. */
  readonly inboundResponseMinutes: readonly number[];
  /** The rep's open signals whose deadline has passed. */
  readonly signalsPastDeadline: number;
  /** Money at risk per currency (see revenueAtRiskOf). */
  readonly revenueAtRisk: readonly MoneyAtRisk[];
}

/** How many neglected accounts a rep's row lists; the account list pages through all of them. */
export const neglectedListed = 10;

export interface RepOversight {
  readonly repEmail: string;
  readonly accountsOwned: number;
  /** Share of owned accounts not neglected; null with no accounts. */
  readonly withinCadenceShare: number | null;
  readonly neglectedAccounts: number;
  /** The most valuable neglected accounts, most valuable first, at most `neglectedListed`. */
  readonly neglected: readonly NeglectedAccount[];
  /** Share of owned accounts flagged async-only; null with no accounts. */
  readonly asyncOnlyShare: number | null;
  readonly medianResponseMinutes: number | null;
  /** Open signals whose deadline has passed. */
  readonly signalsPastDeadline: number;
  /** The money at risk added up in minor units whatever the currency: meaningful in one currency only. */
  readonly revenueAtRiskMinor: number;
  /** Money at risk per currency, the largest amount first (see revenueAtRiskOf). */
  readonly revenueAtRisk: readonly MoneyAtRisk[];
  /** Coverage per tier: accounts owned and those within cadence (not neglected), tiers in order. */
  readonly tiers: readonly TierCoverage[];
}

export interface TierCoverage {
  /** The tier's name; null for accounts not ranked into a tier yet. */
  readonly tier: string | null;
  readonly accounts: number;
  readonly withinCadence: number;
}

/**
 * An account's part in its owner's oversight, from the signals its evaluation found active: the
 * account's own, not its people's (the daily refresh judges people, other evaluations leave them be,
 * and the figures should not change with which evaluation came last).
 */
export function accountOversight(signals: readonly ActiveSignal[]): AccountOversight {
  const own = signals.filter((signal) => signal.contactId === undefined);
  return {
    neglected: own.some((signal) => signal.kind === 'neglected'),
    asyncOnly: own.some((signal) => signal.kind === 'async-only'),
    revenueAtRiskMinor: revenueAtRiskOf(own),
  };
}

/** Summarises each rep's book for a manager, in the order the reps were given. */
export function teamOversight(books: readonly RepBook[]): RepOversight[] {
  return books.map((book) => {
    const sum = (figure: (tier: TierStanding) => number): number =>
      book.tiers.reduce((total, tier) => total + figure(tier), 0);
    const owned = sum((tier) => tier.accounts);
    const neglectedAccounts = sum((tier) => tier.neglected);
    const neglected = [...book.mostValuableNeglected]
      .sort((a, b) => b.valueMinor - a.valueMinor || (a.accountId < b.accountId ? -1 : 1))
      .slice(0, neglectedListed);
    return {
      repEmail: book.repEmail,
      accountsOwned: owned,
      withinCadenceShare: owned === 0 ? null : (owned - neglectedAccounts) / owned,
      neglectedAccounts,
      neglected,
      asyncOnlyShare: owned === 0 ? null : sum((tier) => tier.asyncOnly) / owned,
      medianResponseMinutes: median(book.inboundResponseMinutes),
      signalsPastDeadline: book.signalsPastDeadline,
      revenueAtRiskMinor: sum((tier) => tier.revenueAtRiskMinor),
      revenueAtRisk: [...book.revenueAtRisk]
        .filter((money) => money.amountMinor > 0)
        .sort((a, b) => b.amountMinor - a.amountMinor || ((a.currency ?? '') < (b.currency ?? '') ? -1 : 1)),
      tiers: coverageByTier(book.tiers),
    };
  });
}

/** Accounts and those within cadence per tier, tiers by name (A before B), unranked last. */
function coverageByTier(tiers: readonly TierStanding[]): TierCoverage[] {
  const merged = new Map<string | null, { accounts: number; withinCadence: number }>();
  for (const standing of tiers) {
    const tier = merged.get(standing.tier) ?? { accounts: 0, withinCadence: 0 };
    tier.accounts += standing.accounts;
    tier.withinCadence += standing.accounts - standing.neglected;
    merged.set(standing.tier, tier);
  }
  return [...merged.entries()]
    .filter(([, counts]) => counts.accounts > 0)
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map(([tier, counts]) => ({ tier, ...counts }));
}

/**
 * The money at risk with one account: the largest value at stake among its relationship-risk
 * signals (they threaten the same yearly margin, so they are not added up) plus the amounts of its
 * cash-risk signals (late invoices). Each kind's class is its definition's `risk`: moments that matter
 * put nothing at risk.
 */
export function revenueAtRiskOf(signals: readonly ActiveSignal[]): number {
  let relationship = 0;
  let cash = 0;
  for (const signal of signals) {
    switch (signalRegistry[signal.kind].risk) {
      case 'relationship':
        relationship = Math.max(relationship, signal.valueAtStakeMinor);
        break;
      case 'cash':
        cash += signal.valueAtStakeMinor;
        break;
      case 'none':
        break;
    }
  }
  return relationship + cash;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
