// Retention by acquisition: the accounts won, grouped by who won them (seller), how (channel, campaign) or
// when (quarter), each group's cohort figures beside the company's, and the sellers whose customers leave
// markedly faster than the company's: the "quota met, churn up" a manager should see.
import { type CohortFigures, type RetainedShare, type WonAccount, cohortFigures } from './retention-cohort.js';

export type RetentionGrouping = 'seller' | 'channel' | 'campaign' | 'quarter';
export const retentionGroupings: readonly RetentionGrouping[] = ['seller', 'channel', 'campaign', 'quarter'];

export interface RetentionGroup extends CohortFigures {
  /** The seller's e-mail, the channel, the campaign, or the quarter ("2026-Q1"); null: not recorded. */
  readonly key: string | null;
}

/** A seller whose customers leave faster than the company's, with their quota-relevant numbers. */
export interface SellerLosingCustomers {
  readonly seller: string;
  /** Share of their accounts gone within 6 months, and its 95 % interval. */
  readonly goneShare: number;
  readonly goneLower: number;
  readonly goneUpper: number;
  readonly companyGoneShare: number;
  readonly accountsWon: number;
  /** Yearly revenue of the accounts they won, per currency. */
  readonly revenueWon: readonly { readonly currency: string | null; readonly amountMinor: number }[];
}

export interface RetentionReport {
  readonly by: RetentionGrouping;
  /** Every account of the company, whatever the viewer's book: the figure each group is held against. */
  readonly company: CohortFigures;
  /** The groups of the viewer's accounts, the largest first; "not recorded" last. */
  readonly groups: readonly RetentionGroup[];
  /** By seller only (empty otherwise): those whose 6-month churn is above the company's beyond doubt. */
  readonly sellersLosingCustomers: readonly SellerLosingCustomers[];
}

/** "2026-Q1": the calendar quarter (UTC) an account was won in. */
export function acquisitionQuarter(at: Date): string {
  return `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;
}

function keyOf(account: WonAccount, by: RetentionGrouping): string | null {
  switch (by) {
    case 'seller':
      return account.seller;
    case 'channel':
      return account.channel;
    case 'campaign':
      return account.campaign;
    case 'quarter':
      return acquisitionQuarter(account.acquiredAt);
  }
}

/**
 * The report: `company` holds every account (so a manager's sellers are held against the whole
 * company), `inView` those of the viewer's book, which are grouped. Quarters come in time order, other
 * groups the largest first.
 */
export function retentionReport(
  company: readonly WonAccount[],
  inView: readonly WonAccount[],
  by: RetentionGrouping,
  now: Date,
): RetentionReport {
  const grouped = new Map<string | null, WonAccount[]>();
  for (const account of inView) {
    const key = keyOf(account, by);
    const members = grouped.get(key);
    if (members) members.push(account);
    else grouped.set(key, [account]);
  }
  const groups = [...grouped.entries()]
    .map(([key, members]) => ({ key, ...cohortFigures(members, now) }))
    .sort((a, b) => {
      if (a.key === null || b.key === null) return a.key === null ? (b.key === null ? 0 : 1) : -1;
      if (by === 'quarter') return a.key < b.key ? -1 : 1;
      return b.accounts - a.accounts || (a.key < b.key ? -1 : 1);
    });
  const companyFigures = cohortFigures(company, now);
  return {
    by,
    company: companyFigures,
    groups,
    sellersLosingCustomers: by === 'seller' ? sellersLosingCustomers(groups, companyFigures) : [],
  };
}

const atSixMonths = (figures: CohortFigures): RetainedShare | null => {
  const judgement = figures.retention.find((horizon) => horizon.months === 6)?.judgement;
  return judgement?.kind === 'judged' ? judgement : null;
};

/**
 * Sellers whose customers leave markedly faster: the share of their accounts gone within 6 months is
 * above the company's, and its 95 % interval lies wholly above the company's figure (so chance alone
 * would rarely make it look that way). Groups too small to judge are never flagged.
 */
export function sellersLosingCustomers(
  groups: readonly RetentionGroup[],
  company: CohortFigures,
): SellerLosingCustomers[] {
  const companyShare = atSixMonths(company);
  if (companyShare === null) return [];
  const companyGone = 1 - companyShare.share;
  return groups.flatMap((group) => {
    const share = atSixMonths(group);
    if (group.key === null || share === null) return [];
    const gone = 1 - share.share;
    const goneLower = 1 - share.upper;
    if (!(gone > companyGone && goneLower > companyGone)) return [];
    return [
      {
        seller: group.key,
        goneShare: gone,
        goneLower,
        goneUpper: 1 - share.lower,
        companyGoneShare: companyGone,
        accountsWon: group.accounts,
        revenueWon: group.revenueRetained.map((money) => ({ currency: money.currency, amountMinor: money.wonMinor })),
      },
    ];
  });
}

const percent = (share: number) => `${Math.round(100 * share)} %`;

function compactMoney(amountMinor: number, currency: string | null): string {
  const major = amountMinor / 100;
  if (currency === null)
    return new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 }).format(major);
  return new Intl.NumberFormat('en', {
    style: 'currency',
    currency,
    notation: 'compact',
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  }).format(major);
}

/**
 * The flag in a manager's words: "Customers won by Sam leave faster: 31 % gone within 6 months against
 * 12 % for the company (95 % interval 26–36 %). Sam won 412 accounts worth €1.2M a year."
 */
export function sellerLosingCustomersWords(flag: SellerLosingCustomers, name: string | null): string {
  const who = name ?? flag.seller;
  const worth = flag.revenueWon.filter((money) => money.amountMinor > 0);
  const value =
    worth.length === 0
      ? ''
      : ` worth ${worth.map((money) => compactMoney(money.amountMinor, money.currency)).join(' and ')} a year`;
  return (
    `Customers won by ${who} leave faster: ${percent(flag.goneShare)} gone within 6 months against ` +
    `${percent(flag.companyGoneShare)} for the company (95 % interval ` +
    `${Math.round(100 * flag.goneLower)}–${percent(flag.goneUpper)}). ` +
    `${who} won ${flag.accountsWon} ${flag.accountsWon === 1 ? 'account' : 'accounts'}${value}.`
  );
}
