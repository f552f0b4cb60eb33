// The store's side of the daily value ranking: each account's contribution over the value window,
// and the tiers the ranking assigns. The ranking itself (cumulative shares, entry bars) is domain.
import { type Kysely, sql } from 'kysely';
import { decimalPattern } from '../domain/relationship/event-facts.js';
import { contributionOf, yearlyFromWindow } from '../domain/relationship/value-tiers.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import type { Database } from './schema.js';

const dayMilliseconds = 86_400_000;

export interface AccountContribution {
  readonly accountId: string;
  readonly contributionMinor: number;
  readonly tier: string | null;
}

/** Each account's contribution over the value window (traits, else paid invoices); all accounts, or the ones named. */
export async function accountContributions(
  database: Kysely<Database>,
  config: TendConfig,
  accountIds: readonly string[] | null,
  now: Date,
): Promise<AccountContribution[]> {
  const windowStart = new Date(now.getTime() - config.value.windowDays * dayMilliseconds);
  const only = accountIds === null ? sql`true` : sql`account_id = any(${[...accountIds]}::text[])`;
  const rows = await sql<{
    id: string;
    revenue_minor: number | null;
    profit_minor: number | null;
    tier: string | null;
    invoiced_minor: number | null;
    margin_minor: number | null;
  }>`
    select accounts.id, accounts.revenue_minor, accounts.profit_minor, accounts.tier,
           invoiced.invoiced_minor, invoiced.margin_minor
    from accounts
    left join (
      select account_id,
             round(sum((properties->>'amount')::numeric) * 100)::int8 as invoiced_minor,
             -- Amounts and margins that are not plain decimals are skipped, as the snapshots skip them,
             -- rather than failing the whole ranking on a cast.
             round(sum(case when btrim(properties->>'margin') ~ ${decimalPattern}
                            then btrim(properties->>'margin')::numeric end) * 100)::int8 as margin_minor
      from account_facts
      where name = 'Invoice Paid' and occurred_at > ${windowStart} and occurred_at <= ${now}
        and btrim(properties->>'amount') ~ ${decimalPattern} and ${only}
      group by account_id
    ) invoiced on invoiced.account_id = accounts.id
    ${accountIds === null ? sql`` : sql`where accounts.id = any(${[...accountIds]}::text[])`}`.execute(database);
  return rows.rows.map((row) => ({
    accountId: row.id,
    tier: row.tier,
    contributionMinor: contributionOf(
      {
        revenueMinor: row.revenue_minor ?? yearlyFromWindow(row.invoiced_minor, config.value.windowDays),
        profitMinor: row.profit_minor ?? yearlyFromWindow(row.margin_minor, config.value.windowDays),
      },
      config.value.basis,
    ),
  }));
}

/**
 * Stores tiers that changed; those accounts become due (their cadence may have changed). In id
 * order: engines in other processes rank at the same midnight, and two updates taking the same rows
 * in different orders deadlock.
 */
export async function storeTiers(
  database: Kysely<Database>,
  unordered: readonly { id: string; tier: string | null }[],
  now: Date,
): Promise<void> {
  const changed = [...unordered].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let start = 0; start < changed.length; start += 5000) {
    const part = changed.slice(start, start + 5000);
    await sql`
      update accounts set tier = changed.tier,
        next_check_at = least(coalesce(accounts.next_check_at, ${now}), ${now})
      from unnest(${part.map((row) => row.id)}::text[], ${part.map((row) => row.tier)}::text[]) as changed(id, tier)
      where accounts.id = changed.id`.execute(database);
  }
}
