// A manager's view of the team: per rep, how many accounts, how many kept within cadence, which
// valuable ones are neglected, how fast inbound contacts are answered, and what money is at risk.
import { assertNever } from '../tracking-message.js';
import type { AccountSnapshot } from './account-snapshot.js';
import type { AccountEvaluation, ActiveSignal, SignalKind } from './signal.js';
import type { TendConfig } from './tend-config.js';
import { contributionOf } from './value-tiers.js';

export interface OpenSignalRecord {
  readonly kind: SignalKind;
  readonly deadlineAt: Date | null;
  readonly raisedAt: Date;
}

export interface RepAccountRow {
  readonly snapshot: AccountSnapshot;
  readonly evaluation: AccountEvaluation;
  readonly openSignals: readonly OpenSignalRecord[];
}

export interface RepRow {
  readonly repEmail: string;
  readonly accounts: readonly RepAccountRow[];
  /** Minutes from each inbound contact to its first human answer, over the period shown. */
  readonly inboundResponseMinutes: readonly number[];
}

export interface RepOversight {
  readonly repEmail: string;
  readonly accountsOwned: number;
  /** Share of owned accounts not neglected; null with no accounts. */
  readonly withinCadenceShare: number | null;
  /** Neglected accounts, most valuable first. */
  readonly neglected: readonly { accountId: string; name: string | null; valueMinor: number }[];
  /** Share of owned accounts flagged async-only; null with no accounts. */
  readonly asyncOnlyShare: number | null;
  readonly medianResponseMinutes: number | null;
  /** Open signals whose deadline has passed. */
  readonly signalsPastDeadline: number;
  /** See revenueAtRiskOf. */
  readonly revenueAtRiskMinor: number;
  /** Coverage per tier: accounts owned and those within cadence (not neglected), tiers in order. */
  readonly tiers: readonly TierCoverage[];
}

export interface TierCoverage {
  /** The tier's name; null for accounts not ranked into a tier yet. */
  readonly tier: string | null;
  readonly accounts: number;
  readonly withinCadence: number;
}

/** Summarises each rep's book for a manager, in the order the reps were given. */
export function teamOversight(repRows: readonly RepRow[], config: TendConfig, now: Date): RepOversight[] {
  return repRows.map((rep) => {
    const owned = rep.accounts.length;
    const has = (row: RepAccountRow, kind: SignalKind): boolean => row.evaluation.signals.some((signal) => signal.kind === kind);
    const neglected = rep.accounts
      .filter((row) => has(row, 'neglected'))
      .map((row) => ({
        accountId: row.snapshot.accountId,
        name: row.snapshot.name,
        valueMinor: contributionOf(row.snapshot, config.value.basis),
      }))
      .sort((a, b) => b.valueMinor - a.valueMinor || (a.accountId < b.accountId ? -1 : 1));
    return {
      repEmail: rep.repEmail,
      accountsOwned: owned,
      withinCadenceShare: owned === 0 ? null : (owned - neglected.length) / owned,
      neglected,
      asyncOnlyShare: owned === 0 ? null : rep.accounts.filter((row) => has(row, 'async-only')).length / owned,
      medianResponseMinutes: median(rep.inboundResponseMinutes),
      signalsPastDeadline: rep.accounts.reduce(
        (count, row) => count + row.openSignals.filter((signal) => signal.deadlineAt !== null && signal.deadlineAt <= now).length,
        0,
      ),
      revenueAtRiskMinor: rep.accounts.reduce((total, row) => total + revenueAtRiskOf(row.evaluation.signals), 0),
      tiers: coverageByTier(rep.accounts, (row) => !has(row, 'neglected')),
    };
  });
}

/** Accounts and those within cadence per tier, tiers by name (A before B), unranked last. */
function coverageByTier(rows: readonly RepAccountRow[], withinCadence: (row: RepAccountRow) => boolean): TierCoverage[] {
  const tiers = new Map<string | null, { accounts: number; withinCadence: number }>();
  for (const row of rows) {
    const tier = tiers.get(row.snapshot.tier) ?? { accounts: 0, withinCadence: 0 };
    tier.accounts += 1;
    if (withinCadence(row)) tier.withinCadence += 1;
    tiers.set(row.snapshot.tier, tier);
  }
  return [...tiers.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map(([tier, counts]) => ({ tier, ...counts }));
}

/**
 * The money at risk with one account: the largest value at stake among its relationship-risk
 * signals (they threaten the same yearly margin, so they are not added up) plus the amounts of its
 * late invoices. Moments that matter put nothing at risk.
 */
export function revenueAtRiskOf(signals: readonly ActiveSignal[]): number {
  let relationship = 0;
  let cash = 0;
  for (const signal of signals) {
    switch (riskClassOf(signal.kind)) {
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

function riskClassOf(kind: SignalKind): 'relationship' | 'cash' | 'none' {
  switch (kind) {
    case 'neglected':
    case 'async-only':
    case 'never-spoken':
    case 'disengaging':
    case 'at-risk':
    case 'detractor':
    case 'high-effort':
    case 'slow-response':
    case 'renewal-approaching':
    case 'onboarding-stalled':
      return 'relationship';
    case 'payment-late':
      return 'cash';
    case 'moment-that-matters':
      return 'none';
    default:
      return assertNever(kind);
  }
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
