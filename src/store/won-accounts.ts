// The retention report's read: every account with how it was won (its acquisition traits, read where
// ingest already keeps them) and the facts that say whether and when it was lost, in one statement;
// and the sellers' names. A report reads the whole book once; no event history is scanned.
import { type Kysely, sql } from 'kysely';
import { acquisitionInstant } from '../domain/acquisition.js';
import { accountLoss } from '../domain/relationship/account-loss.js';
import type { WonAccount } from '../domain/models/retention-cohort.js';
import type { Book } from '../domain/viewer.js';
import type { Database } from './schema.js';

/** An account won, and whether it is in the viewer's view (won by one of the book's people). */
export interface WonAccountInView extends WonAccount {
  readonly inView: boolean;
}

const subscriptionEvents = ['Subscription Started', 'Subscription Renewed', 'Subscription Cancelled'];

/**
 * Every account of the company as the report needs it. An account is in a rep's or manager's view when
 * one of the book's people won it (acquiredBy), whoever owns it now. The last purchase is looked up only
 * for accounts without a contract whose P(alive) is at or below `aliveThreshold` (the only ones it can
 * date a loss for), along the events' index by account, newest first.
 */
export async function wonAccounts(
  database: Kysely<Database>,
  book: Book,
  aliveThreshold: number,
  now: Date,
): Promise<WonAccountInView[]> {
  const inView =
    book.kind === 'everything' ? sql<boolean>`true` : sql<boolean>`seller = any(${[...book.ownerEmails]}::text[])`;
  const rows = await sql<{
    created_at: Date;
    acquired_at: string | null;
    seller: string | null;
    channel: string | null;
    campaign: string | null;
    revenue_minor: number | null;
    currency: string | null;
    marked_churned_at: Date | null;
    cancelled_at: Date | null;
    has_contract: boolean;
    probability_alive: number | null;
    last_bought_at: Date | null;
    in_view: boolean;
  }>`
    with won as (
      select accounts.id, accounts.created_at, accounts.traits->>'acquiredAt' as acquired_at,
        lower(accounts.traits->>'acquiredBy') as seller, accounts.traits->>'acquisitionChannel' as channel,
        accounts.traits->>'campaign' as campaign, accounts.revenue_minor, accounts.currency,
        case when accounts.lifecycle_stage = 'churned' then accounts.updated_at end as marked_churned_at,
        (select first_at from account_first_events firsts
         where firsts.account_id = accounts.id and firsts.name = 'Subscription Cancelled' and firsts.first_at <= ${now})
          as cancelled_at,
        (accounts.traits ? 'renewalDate' or accounts.traits ? 'renewalAt' or exists (
          select 1 from account_first_events firsts
          where firsts.account_id = accounts.id and firsts.name = any(${subscriptionEvents}::text[]))) as has_contract,
        accounts.probability_alive
      from accounts)
    select won.*,
      case when not won.has_contract and won.probability_alive <= ${aliveThreshold} then coalesce(
        (select occurred_at from events
         where events.account_id = won.id and events.name = 'Order Completed' and events.occurred_at <= ${now}
         order by occurred_at desc limit 1),
        (select max(day)::timestamptz from account_activity_days days where days.account_id = won.id))
      end as last_bought_at,
      ${inView} as in_view
    from won`.execute(database);
  return rows.rows.map((row) => {
    const loss = accountLoss(
      {
        cancelledAt: row.cancelled_at === null ? null : new Date(row.cancelled_at),
        markedChurnedAt: row.marked_churned_at === null ? null : new Date(row.marked_churned_at),
        hasContract: row.has_contract,
        probabilityAlive: row.probability_alive,
        lastBoughtAt: row.last_bought_at === null ? null : new Date(row.last_bought_at),
      },
      aliveThreshold,
    );
    return {
      // A trait sent before it was checked, or by hand, may not read as a date: the first appearance then.
      acquiredAt: acquisitionInstant(row.acquired_at) ?? new Date(row.created_at),
      seller: row.seller,
      channel: row.channel,
      campaign: row.campaign,
      lostAt: loss.kind === 'kept' ? null : loss.at,
      revenueMinor: row.revenue_minor === null ? null : Number(row.revenue_minor),
      currency: row.currency,
      inView: row.in_view,
    };
  });
}

/** The names of these users (by e-mail), for the sellers a report names. */
export async function userNames(database: Kysely<Database>, emails: readonly string[]): Promise<Map<string, string>> {
  if (emails.length === 0) return new Map();
  const rows = await database
    .selectFrom('users')
    .select(['email', 'name'])
    .where('email', 'in', [...emails])
    .execute();
  return new Map(rows.flatMap((row) => (row.name === null ? [] : [[row.email, row.name] as const])));
}
