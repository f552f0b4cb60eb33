// Attention against value: which accounts get much of the team's attention and which get none,
// measured against what they are worth. Neglect hides in averages; this lists it by name.
import type { ContactAudit } from './contact-audit.js';

export interface AuditedAccount {
  readonly accountId: string;
  readonly name: string | null;
  readonly ownerEmail: string | null;
  readonly tier: string | null;
  /** The contribution tiers rank by, minor units per year. */
  readonly valueMinor: number;
  readonly audit: ContactAudit;
}

export interface AttentionReport {
  /** Every account, most valuable first, with its 90-day touches and spoken share. */
  readonly accounts: readonly (AuditedAccount & {
    readonly touches90: number;
    readonly valueShare: number;
    readonly attentionShare: number;
  })[];
  /** Valuable accounts (top half of value) that nobody touched in 90 days. */
  readonly unattendedValuable: readonly string[];
  /**
   * Accounts with much attention (at least monthly touches: 3+ in 90 days, and over twice their share
   * of the touches) while worth less than half an average account.
   */
  readonly overAttended: readonly string[];
  /** Per rep: touches in 90 days by channel group, and spoken share. */
  readonly byRep: readonly {
    readonly repEmail: string;
    readonly accounts: number;
    readonly touches90: number;
    readonly spokenShare: number | null;
  }[];
}

/** The rep an account without an owner is listed under. */
export const noOwner = '(no owner)';

const touchesIn90 = (audit: ContactAudit): { total: number; spoken: number } => {
  const window = audit.windows.find((candidate) => candidate.days === 90);
  if (!window) return { total: 0, spoken: 0 };
  return { total: window.total, spoken: Math.round((window.spokenShare ?? 0) * window.total) };
};

/** Compares attention (touches in 90 days) with value for a book of accounts. */
export function attentionAgainstValue(accounts: readonly AuditedAccount[]): AttentionReport {
  const totalValue = accounts.reduce((sum, account) => sum + Math.max(0, account.valueMinor), 0);
  const totalTouches = accounts.reduce((sum, account) => sum + touchesIn90(account.audit).total, 0);
  const ranked = [...accounts]
    .sort((a, b) => b.valueMinor - a.valueMinor || a.accountId.localeCompare(b.accountId))
    .map((account) => {
      const touches90 = touchesIn90(account.audit).total;
      return {
        ...account,
        touches90,
        valueShare: totalValue > 0 ? Math.max(0, account.valueMinor) / totalValue : 0,
        attentionShare: totalTouches > 0 ? touches90 / totalTouches : 0,
      };
    });
  let cumulative = 0;
  const unattendedValuable: string[] = [];
  for (const account of ranked) {
    if (cumulative < 0.5 && account.valueMinor > 0 && account.touches90 === 0)
      unattendedValuable.push(account.accountId);
    cumulative += account.valueShare;
  }
  const overAttended = ranked
    .filter(
      (account) =>
        account.attentionShare > 2 * account.valueShare &&
        account.valueShare < 0.5 / Math.max(1, ranked.length) &&
        account.touches90 >= 3,
    )
    .map((account) => account.accountId);
  const reps = new Map<string, { accounts: number; touches: number; spoken: number }>();
  for (const account of accounts) {
    const key = account.ownerEmail ?? noOwner;
    const entry = reps.get(key) ?? { accounts: 0, touches: 0, spoken: 0 };
    const touches = touchesIn90(account.audit);
    entry.accounts++;
    entry.touches += touches.total;
    entry.spoken += touches.spoken;
    reps.set(key, entry);
  }
  return {
    accounts: ranked,
    unattendedValuable,
    overAttended,
    byRep: [...reps]
      .map(([repEmail, entry]) => ({
        repEmail,
        accounts: entry.accounts,
        touches90: entry.touches,
        spokenShare: entry.touches > 0 ? entry.spoken / entry.touches : null,
      }))
      .sort((a, b) => a.repEmail.localeCompare(b.repEmail)),
  };
}
