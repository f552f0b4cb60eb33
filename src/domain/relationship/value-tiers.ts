// What an account is worth to the business: its contribution, the margin that would be lost with it,
// and its value tier from a ranking by cumulative share of the total contribution.

/** A value tier: the accounts making the contribution up to a cumulative share of the total. */
export interface TierDefinition {
  readonly name: string;
  /** The tier holds the accounts making the contribution up to this cumulative share (0–1]; the last is 1. */
  readonly upToShare: number;
}

/** Share of revenue assumed to be margin when an account's profit is not known. */
export const assumedMarginShare = 0.2;

/** A total over the value window as a yearly figure (traits are yearly; a window may be shorter or longer). */
export function yearlyFromWindow(totalMinor: number | null, windowDays: number): number | null {
  return totalMinor === null ? null : Math.round((totalMinor * 365) / windowDays);
}

/**
 * The figure tiers rank by: profit or revenue, as configured; a missing figure counts as zero.
 * A negative profit stays negative, so the account is shown as costing money rather than hidden.
 */
export function contributionOf(
  snapshotLike: { readonly revenueMinor: number | null; readonly profitMinor: number | null },
  basis: 'profit' | 'revenue',
): number {
  const figure = basis === 'profit' ? snapshotLike.profitMinor : snapshotLike.revenueMinor;
  return figure ?? 0;
}

/**
 * The yearly margin that would be lost with the account, for a signal's value at stake: its profit
 * when known (never below zero: losing a loss-making account loses no margin), else an assumed
 * 20 % of its revenue, else zero.
 */
export function yearlyMarginMinor(snapshotLike: {
  readonly revenueMinor: number | null;
  readonly profitMinor: number | null;
}): number {
  if (snapshotLike.profitMinor !== null) return Math.max(0, Math.round(snapshotLike.profitMinor));
  if (snapshotLike.revenueMinor !== null)
    return Math.max(0, Math.round(snapshotLike.revenueMinor * assumedMarginShare));
  return 0;
}

/**
 * How much value weighs in urgency, 0–1 on a log scale of the margin in major units: 0 for nothing,
 * about 0.5 for 1 000 a year, 1 from 1 000 000 a year up. Log-scaled so one huge account does not
 * drown every other signal.
 */
export function valueWeight(marginMinor: number): number {
  if (marginMinor <= 0) return 0;
  return Math.min(1, Math.log10(1 + marginMinor / 100) / 6);
}

/**
 * Assigns each account its tier: ranked by contribution (largest first, ties by id), an account
 * belongs to the first tier whose `upToShare` covers the cumulative share of the positive total
 * reached before it — so the top account is always in the first tier. Accounts contributing
 * nothing or less go to the last tier; every account gets a tier.
 */
export function assignTiers(
  accounts: readonly { readonly accountId: string; readonly contributionMinor: number }[],
  tiers: readonly TierDefinition[],
): Map<string, string> {
  const assigned = new Map<string, string>();
  const lastTier = tiers[tiers.length - 1];
  if (lastTier === undefined) throw new Error('assignTiers needs at least one tier.');
  const ranked = [...accounts].sort(
    (a, b) =>
      b.contributionMinor - a.contributionMinor || (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0),
  );
  const positiveTotal = ranked.reduce((total, account) => total + Math.max(0, account.contributionMinor), 0);
  let cumulative = 0;
  let tierIndex = 0;
  for (const account of ranked) {
    if (account.contributionMinor <= 0 || positiveTotal <= 0) {
      assigned.set(account.accountId, lastTier.name);
      continue;
    }
    const shareBefore = cumulative / positiveTotal;
    // Tiers are ordered by upToShare and the ranking is descending, so the tier index only moves forward.
    while (tierIndex < tiers.length - 1 && tiers[tierIndex]!.upToShare < shareBefore) tierIndex++;
    assigned.set(account.accountId, tiers[tierIndex]!.name);
    cumulative += account.contributionMinor;
  }
  return assigned;
}

/** The smallest positive contribution that made a tier in a full ranking (none for the last tier). */
export interface TierCutoff {
  readonly tier: string;
  readonly minimumMinor: number;
}

/**
 * Each tier's entry bar in a ranking just made, so that accounts arriving later can be placed without
 * ranking everyone again.
 */
export function tierCutoffs(
  accounts: readonly { readonly accountId: string; readonly contributionMinor: number }[],
  assigned: ReadonlyMap<string, string>,
  tiers: readonly TierDefinition[],
): TierCutoff[] {
  const minimum = new Map<string, number>();
  for (const account of accounts) {
    const tier = assigned.get(account.accountId);
    if (tier === undefined || account.contributionMinor <= 0) continue;
    minimum.set(tier, Math.min(minimum.get(tier) ?? Number.POSITIVE_INFINITY, account.contributionMinor));
  }
  return tiers
    .slice(0, -1)
    .flatMap((tier) => (minimum.has(tier.name) ? [{ tier: tier.name, minimumMinor: minimum.get(tier.name)! }] : []));
}

/**
 * A newcomer's tier against the last ranking's entry bars: the first tier whose bar it reaches, else
 * the last tier. The next full ranking (daily) places it exactly.
 */
export function tierForNewcomer(
  contributionMinor: number,
  cutoffs: readonly TierCutoff[],
  tiers: readonly TierDefinition[],
): string {
  const lastTier = tiers[tiers.length - 1];
  if (lastTier === undefined) throw new Error('tierForNewcomer needs at least one tier.');
  if (contributionMinor <= 0) return lastTier.name;
  return cutoffs.find((cutoff) => contributionMinor >= cutoff.minimumMinor)?.tier ?? lastTier.name;
}
