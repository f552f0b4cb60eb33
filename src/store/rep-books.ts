// Reps' books added up for oversight, from what each account's evaluation stored (migration 0024: its
// owner, tier, neglect, e-mail-only and money at risk, on one covering index), the open signals past
// their deadline, and the answer times of customers' messages in conversations: a few index walks per
// rep, however many accounts the team owns, instead of evaluating every account again.
import { type Kysely, sql } from 'kysely';
import {
  type MoneyAtRisk,
  type NeglectedAccount,
  type RepBook,
  neglectedListed,
} from '../domain/relationship/oversight.js';
import type { Database } from './schema.js';

const dayMilliseconds = 86_400_000;

/** How far back customers' messages count for answer times. */
const inboundDays = 30;

/**
 * Minutes from each message a customer wrote in a conversation in the last 30 days (along the index of
 * inbound messages by time) to its first answer: the owner's rep reaching out, whether a reply from the
 * conversation or another touch (a call, their own e-mail), as the conversation and the slow-response
 * signal count an answer; at the millisecond touches are read with.
 */
async function responseMinutes(
  database: Kysely<Database>,
  emails: readonly string[],
  now: Date,
): Promise<Map<string, number[]>> {
  const monthAgo = new Date(now.getTime() - inboundDays * dayMilliseconds);
  const rows = await sql<{ owner_email: string; minutes: number[] }>`
    with written as materialized (
      -- Each message's owner looked up by the account's key: a join would read every account of the book
      -- (or the table) for the few messages of this month.
      select messages.account_id,
        (select owner_email from accounts where accounts.id = messages.account_id) as owner_email,
        date_trunc('milliseconds', messages.at) as at
      from conversation_messages messages
      where messages.direction = 'inbound' and messages.at > ${monthAgo} and messages.at <= ${now}
        and messages.account_id is not null),
    inbound as (select * from written where owner_email = any(${[...emails]}::text[]))
    select inbound.owner_email,
      array_agg((extract(epoch from answer.at - inbound.at) * 1000)::float8 / 60000) as minutes
    from inbound
      cross join lateral (
        -- at is whole milliseconds: a touch in the same millisecond or later counts, as when read back
        select min(date_trunc('milliseconds', touches.occurred_at)) as at from interactions touches
        where touches.account_id = inbound.account_id and touches.actor = 'rep' and touches.direction = 'outbound'
          and touches.occurred_at >= inbound.at and touches.occurred_at <= ${now}) answer
    where answer.at is not null
    group by inbound.owner_email`.execute(database);
  return new Map(rows.rows.map((row) => [row.owner_email, row.minutes.map(Number)]));
}

interface TierRow {
  owner_email: string;
  tier: string | null;
  accounts: number;
  neglected: number;
  async_only: number;
  at_risk: number;
}

/**
 * Each person's book (by owner e-mail, lower case), in the order given: accounts per tier with the
 * stored standing, the most valuable neglected ones, open signals past their deadline at `now`
 * (those assigned to the person: the engine keeps a signal's owner the account's), and answer times.
 */
export async function repBooks(database: Kysely<Database>, emails: readonly string[], now: Date): Promise<RepBook[]> {
  if (emails.length === 0) return [];
  const owners = sql`${[...emails]}::text[]`;
  // Four statements at once, on connections of their own (the embedded database takes them in turn).
  const [tiers, neglected, late, minutes, atRisk] = await Promise.all([
    sql<TierRow>`
      select owner_email, tier, count(*)::int8 as accounts, count(*) filter (where neglected)::int8 as neglected,
        count(*) filter (where async_only)::int8 as async_only, coalesce(sum(revenue_at_risk_minor), 0)::int8 as at_risk
      from accounts where owner_email = any(${owners}) group by owner_email, tier`.execute(database),
    sql<{ owner_email: string; id: string; name: string | null; value_minor: number | null }>`
      select owners.email as owner_email, listed.id, listed.name, listed.value_minor
      from unnest(${owners}) owners(email)
        cross join lateral (select id, name, value_minor from accounts where owner_email = owners.email and neglected
          order by value_minor desc nulls last, id collate "C" limit ${neglectedListed}) listed`.execute(database),
    sql<{ owner_email: string; signals: number }>`
      select owner_email, count(*)::int8 as signals from signals
      where owner_email = any(${owners}) and cleared_at is null and deadline_at <= ${now}
      group by owner_email`.execute(database),
    responseMinutes(database, emails, now),
    // Per currency, along the partial index of accounts with money at risk (migration 0026).
    sql<{ owner_email: string; currency: string | null; at_risk: number }>`
      select owner_email, currency, sum(revenue_at_risk_minor)::int8 as at_risk from accounts
      where owner_email = any(${owners}) and revenue_at_risk_minor > 0
      group by owner_email, currency`.execute(database),
  ]);
  const lateBy = new Map(late.rows.map((row) => [row.owner_email, row.signals]));
  return emails.map((email) => ({
    repEmail: email,
    tiers: tiers.rows
      .filter((row) => row.owner_email === email)
      .map((row) => ({
        tier: row.tier,
        accounts: row.accounts,
        neglected: row.neglected,
        asyncOnly: row.async_only,
        revenueAtRiskMinor: row.at_risk,
      })),
    mostValuableNeglected: neglected.rows
      .filter((row) => row.owner_email === email)
      .map((row) => ({ accountId: row.id, name: row.name, valueMinor: row.value_minor ?? 0 })),
    inboundResponseMinutes: minutes.get(email) ?? [],
    signalsPastDeadline: lateBy.get(email) ?? 0,
    revenueAtRisk: atRisk.rows
      .filter((row) => row.owner_email === email)
      .map((row) => ({ currency: row.currency, amountMinor: Number(row.at_risk) })),
  }));
}

/** The accounts nobody owns, added up as a book: nobody is told when they go quiet. */
export interface UnownedBook {
  readonly accounts: number;
  readonly neglected: number;
  /** The most valuable of them (at most `neglectedListed`), most valuable first. */
  readonly mostValuable: readonly NeglectedAccount[];
  readonly revenueAtRisk: readonly MoneyAtRisk[];
}

/** The accounts without an owner: their count, how many are neglected, the most valuable, the money at risk. */
export async function unownedBook(database: Kysely<Database>): Promise<UnownedBook> {
  const [counts, valuable, atRisk] = await Promise.all([
    sql<{ accounts: number; neglected: number }>`
      select count(*)::int8 as accounts, count(*) filter (where neglected)::int8 as neglected
      from accounts where owner_email is null`.execute(database),
    sql<{ id: string; name: string | null; value_minor: number | null }>`
      select id, name, value_minor from accounts where owner_email is null
      order by value_minor desc nulls last, id collate "C" limit ${neglectedListed}`.execute(database),
    sql<{ currency: string | null; at_risk: number }>`
      select currency, sum(revenue_at_risk_minor)::int8 as at_risk from accounts
      where owner_email is null and revenue_at_risk_minor > 0
      group by currency order by at_risk desc`.execute(database),
  ]);
  return {
    accounts: Number(counts.rows[0]?.accounts ?? 0),
    neglected: Number(counts.rows[0]?.neglected ?? 0),
    mostValuable: valuable.rows.map((row) => ({ accountId: row.id, name: row.name, valueMinor: row.value_minor ?? 0 })),
    revenueAtRisk: atRisk.rows.map((row) => ({ currency: row.currency, amountMinor: Number(row.at_risk) })),
  };
}
