// Gathers AccountSnapshots for a batch of accounts in one statement (not one per account): the account
// rows, their touches, the events that carry relationship facts, activity counts, and activation
// milestones; for an evaluation, their open signals too. Only what happened up to `now` counts.
import { type Kysely, sql } from 'kysely';
import type { AccountSnapshot, Touch, TouchChannel } from '../domain/relationship/account-snapshot.js';
import {
  activitySeries,
  type EventFact,
  inboundContacts,
  invoices,
  negativeReplies,
  outages,
  paidInvoiceTotals,
  surveyAnswers,
} from '../domain/relationship/event-facts.js';
import { accountPromises } from '../domain/relationship/promises.js';
import { recentTouchDays } from '../domain/relationship/signals/registry.js';
import { yearlyFromWindow } from '../domain/relationship/value-tiers.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import { prepared } from './prepared-statements.js';
import type { Database } from './schema.js';
import type { OpenSignal } from './signal-store.js';

const dayMilliseconds = 86_400_000;
const activityDays = 26 * 7;

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const id = key(row);
    const list = groups.get(id);
    if (list) list.push(row);
    else groups.set(id, [row]);
  }
  return groups;
}

function numberTrait(traits: Record<string, unknown>, key: string): number | null {
  const value = traits[key];
  const parsed =
    typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : null;
}

function dateTrait(traits: Record<string, unknown>, key: string): Date | null {
  const value = traits[key];
  if (typeof value !== 'string') return null;
  const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * An evaluation reads an account's touches from its last substantive contact, or from `recentSince` when
 * that is earlier (never before a year ago, the window of the other reads): what its rules look at is the
 * last conversation, what came since, and the recent stretch. Reading a whole year for every account
 * every day made each day cost more as the year filled (docs/benchmarks/2026-12-07-year-of-history.md). A lead
 * keeps the year: its rule looks for any outbound touch since it appeared.
 */
function touchesSince(now: Date, recentSince: Date) {
  return sql`(select case when (select lifecycle_stage from accounts where id = wanted.id) = 'lead'
      then '-infinity'::timestamptz
      else least(${recentSince}::timestamptz, coalesce((select max(occurred_at) from interactions
        where account_id = wanted.id and two_way and actor in ('rep', 'customer') and occurred_at <= ${now}),
        '-infinity'::timestamptz))
      end as since)`;
}

/** How far back a snapshot reads facts: past a year (renewals, anniversaries) and the value window (paid invoices). */
export function factsSinceOf(now: Date, config: TendConfig): Date {
  return new Date(now.getTime() - Math.max(400, config.value.windowDays) * dayMilliseconds);
}

/** The statement's parts, as json_agg gives them: times are ISO strings, int8 numbers, days 'YYYY-MM-DD'. */
interface SnapshotParts {
  accounts: {
    id: string;
    name: string | null;
    owner_email: string | null;
    lifecycle_stage: string | null;
    created_at: string;
    currency: string | null;
    revenue_minor: number | null;
    profit_minor: number | null;
    tier: string | null;
    traits: Record<string, unknown>;
    probability_alive: number | null;
  }[];
  touches: {
    account_id: string;
    occurred_at: string;
    channel: string;
    direction: string;
    actor: string;
    two_way: boolean;
    user_email: string | null;
    objective: string | null;
    summary: string | null;
  }[];
  spoken: { account_id: string; last: string | null }[];
  facts: {
    account_id: string;
    name: string;
    occurred_at: string;
    contact_id: string | null;
    properties: Record<string, unknown>;
  }[];
  firsts: { account_id: string; name: string; first_at: string }[];
  activity: { account_id: string; activity: string; day: string; count: number }[];
  lifetime: { account_id: string; total: number }[];
  /** A person per row, their days as [activity, day, count]; only for an evaluation that judges people. */
  people?: {
    account_id: string;
    contact_id: string;
    name: string | null;
    email: string | null;
    days: [string, string, number][];
  }[];
  /** Only for an evaluation (it compares them with its findings). */
  open_signals?: (Omit<OpenSignal, 'raised_at' | 'deadline_at'> & { raised_at: string; deadline_at: string | null })[];
}

/** The snapshots of `accountIds` at `now`, in one statement. */
export async function loadAccountSnapshots(
  database: Kysely<Database>,
  accountIds: readonly string[],
  now: Date,
  config: TendConfig,
): Promise<AccountSnapshot[]> {
  return (await readSnapshots(database, accountIds, now, config, false)).snapshots;
}

/**
 * The snapshots and the open signals of `accountIds`, in one statement: what an evaluation reads; with
 * the people's activity when it judges them (the daily refresh), else `people` is null.
 */
export function loadEvaluationInputs(
  database: Kysely<Database>,
  accountIds: readonly string[],
  now: Date,
  config: TendConfig,
  { withPeople }: { withPeople: boolean },
): Promise<{ snapshots: AccountSnapshot[]; openSignals: OpenSignal[] }> {
  return readSnapshots(database, accountIds, now, config, true, withPeople);
}

async function readSnapshots(
  database: Kysely<Database>,
  accountIds: readonly string[],
  now: Date,
  config: TendConfig,
  forEvaluation: boolean,
  withPeople = false,
): Promise<{ snapshots: AccountSnapshot[]; openSignals: OpenSignal[] }> {
  if (accountIds.length === 0) return { snapshots: [], openSignals: [] };
  const ids = [...accountIds];
  const yearAgo = new Date(now.getTime() - 365 * dayMilliseconds);
  const factsSince = factsSinceOf(now, config);
  const valueWindowStart = new Date(now.getTime() - config.value.windowDays * dayMilliseconds);
  const activitySince = new Date(now.getTime() - activityDays * dayMilliseconds).toISOString().slice(0, 10);
  const recentSince = new Date(now.getTime() - recentTouchDays(config) * dayMilliseconds);
  const activationEvents = [...config.signals.onboarding.activationEvents];
  const activityNames = [...new Set([...config.signals.disengagement.activities, config.signals.milestones.activity])];
  const personActivityNames = [...config.signals.disengagement.activities];

  // One statement, one round trip: an evaluation runs inside every ingest transaction that makes an
  // account due, where each round trip costs more than the reads themselves
  // (docs/benchmarks/2026-12-01-signals.md, "Fewer statements per evaluation").
  const today = now.toISOString().slice(0, 10);
  const parts = await prepared(sql<SnapshotParts>`select
    (select coalesce(json_agg(row), '[]') from (
      -- An owner is a Tend user: an unknown address in the owner trait owns nothing
      -- (signals, books, audits).
      select id, name, (select email from users where users.email = accounts.owner_email) as owner_email,
        lifecycle_stage, created_at, currency, revenue_minor, profit_minor, tier, traits, probability_alive
      from accounts where id = any(${ids}::text[])) row) as accounts,
    (select coalesce(json_agg(row order by row.occurred_at desc), '[]') from (
      select account_id, occurred_at, channel, direction, actor, two_way, user_email, objective, summary
      ${
        forEvaluation
          ? sql`from unnest(${ids}::text[]) as wanted(id)
        cross join lateral ${touchesSince(now, recentSince)} as bound
        join interactions on interactions.account_id = wanted.id and interactions.occurred_at >= bound.since`
          : sql`from interactions where account_id = any(${ids}::text[])`
      }
        and occurred_at > ${yearAgo} and occurred_at <= ${now}) row) as touches,
    -- The last spoken contact of all time, one probe each along interactions_spoken (migration 0029).
    (select coalesce(json_agg(row), '[]') from (
      select wanted.id as account_id, (select max(occurred_at) from interactions
        where account_id = wanted.id and channel in ('phone', 'video', 'meeting') and occurred_at <= ${now}) as last
      from unnest(${ids}::text[]) as wanted(id)) row where row.last is not null) as spoken,
    -- Facts from the narrow copies written at ingest (migration 0010), not the events table.
    -- Promises whatever their age, along their own partial index (migration 0033); the other facts of the window.
    (select coalesce(json_agg(row), '[]') from (
      select account_id, name, occurred_at, contact_id, properties
      from account_facts
      where account_id = any(${ids}::text[]) and occurred_at > ${factsSince} and occurred_at <= ${now}
        and name not like 'Promise %'
      union all
      select account_id, name, occurred_at, contact_id, properties
      from account_facts
      where account_id = any(${ids}::text[]) and name like 'Promise %' and occurred_at <= ${now}) row) as facts,
    (select coalesce(json_agg(row), '[]') from (
      select account_id, name, first_at from account_first_events
      where account_id = any(${ids}::text[]) and name = any(${activationEvents}::text[])
        and first_at <= ${now}) row) as firsts,
    (select coalesce(json_agg(row), '[]') from (
      select account_id, activity, day, count from account_activity_days
      where account_id = any(${ids}::text[]) and activity = any(${activityNames}::text[])
        and day > ${activitySince}::date and day <= ${today}::date) row) as activity,
    (select coalesce(json_agg(row), '[]') from (
      select account_id, sum(count)::int8 as total from account_activity_days
      where account_id = any(${ids}::text[]) and activity = ${config.signals.milestones.activity}
        and day <= ${today}::date
      group by account_id) row) as lifetime
    ${
      withPeople
        ? sql`, (select coalesce(json_agg(row), '[]') from (
      select days.account_id, days.contact_id, contacts.name, contacts.email,
        json_agg(json_build_array(days.activity, days.day, days.count)) as days
      from contact_activity_days days left join contacts on contacts.id = days.contact_id
      where days.account_id = any(${ids}::text[]) and days.activity = any(${personActivityNames}::text[])
        and days.day > ${activitySince}::date and days.day <= ${today}::date
        and contacts.merged_into is null
      group by days.account_id, days.contact_id, contacts.name, contacts.email) row) as people`
        : sql``
    }
    ${
      forEvaluation
        ? sql`, (select coalesce(json_agg(row), '[]') from (
      select id, account_id, kind, instance, raised_at, severity, value_at_stake_minor, reasons, deadline_at,
        owner_email, contact_id
      from signals where account_id = any(${ids}::text[]) and cleared_at is null) row) as open_signals`
        : sql``
    }`).execute(database);
  const {
    accounts,
    touches: touchRows,
    spoken: spokenRows,
    facts: factRows,
    firsts: firstRows,
    activity: activityRows,
    lifetime: lifetimeRows,
    people: peopleRows,
    open_signals: openRows = [],
  } = parts.rows[0]!;
  const openSignals = openRows.map((row) => ({
    ...row,
    raised_at: new Date(row.raised_at),
    deadline_at: row.deadline_at === null ? null : new Date(row.deadline_at),
  }));

  const touchesByAccount = groupBy(touchRows, (row) => row.account_id);
  const spokenByAccount = new Map(
    spokenRows.map((row) => [row.account_id, row.last === null ? null : new Date(row.last)]),
  );
  const factsByAccount = groupBy(factRows, (row) => row.account_id);
  const firstByAccount = groupBy(firstRows, (row) => row.account_id);
  const activityByAccount = groupBy(activityRows, (row) => row.account_id);
  const lifetimeByAccount = new Map(lifetimeRows.map((row) => [row.account_id, row.total]));
  const peopleByAccount = peopleRows === undefined ? null : groupBy(peopleRows, (row) => row.account_id);

  const snapshots = accounts.map((account): AccountSnapshot => {
    const touches: Touch[] = (touchesByAccount.get(account.id) ?? []).map((row) => ({
      at: new Date(row.occurred_at),
      channel: row.channel as TouchChannel,
      direction: row.direction as Touch['direction'],
      actor: row.actor as Touch['actor'],
      twoWay: row.two_way,
      userEmail: row.user_email,
      objective: row.objective,
      summary: row.summary,
    }));
    const facts: EventFact[] = (factsByAccount.get(account.id) ?? []).map((row) => ({
      name: row.name,
      at: new Date(row.occurred_at),
      contactId: row.contact_id,
      properties: row.properties,
    }));
    const monthAgo = now.getTime() - 30 * dayMilliseconds;
    const traits = account.traits;
    // Revenue and profit from traits (or CSV) where given, else from the invoices paid in the value
    // window, as the value ranking takes them: an account billed through invoices is worth what it pays.
    const paid =
      account.revenue_minor === null || account.profit_minor === null
        ? paidInvoiceTotals(facts, valueWindowStart, now)
        : null;
    return {
      accountId: account.id,
      name: account.name,
      ownerEmail: account.owner_email,
      lifecycleStage: account.lifecycle_stage,
      traits,
      createdAt: new Date(account.created_at),
      currency: account.currency,
      revenueMinor: account.revenue_minor ?? yearlyFromWindow(paid?.amountMinor ?? null, config.value.windowDays),
      profitMinor: account.profit_minor ?? yearlyFromWindow(paid?.marginMinor ?? null, config.value.windowDays),
      tier: account.tier,
      touches,
      lastSpokenAt: spokenByAccount.get(account.id) ?? null,
      inbound: inboundContacts(facts, touches).filter((contact) => contact.at.getTime() > monthAgo),
      surveys: surveyAnswers(facts),
      negativeReplies: negativeReplies(facts).filter((reply) => reply.at.getTime() > monthAgo),
      invoices: invoices(facts),
      renewalAt: dateTrait(traits, 'renewalDate') ?? dateTrait(traits, 'renewalAt'),
      firstEventAt: new Map((firstByAccount.get(account.id) ?? []).map((row) => [row.name, new Date(row.first_at)])),
      activity: activitySeries(activityByAccount.get(account.id) ?? [], now, activityDays).filter((series) =>
        config.signals.disengagement.activities.includes(series.activity),
      ),
      people:
        peopleByAccount === null
          ? null
          : (peopleByAccount.get(account.id) ?? []).map((person) => ({
              contactId: person.contact_id,
              name: person.name,
              email: person.email,
              activity: activitySeries(
                person.days.map(([activity, day, count]) => ({ activity, day, count })),
                now,
                activityDays,
              ),
            })),
      outages: outages(facts).filter((outage) => outage.at.getTime() > monthAgo),
      churnProbability: numberTrait(traits, 'churnProbability'),
      probabilityAlive: numberTrait(traits, 'probabilityAlive') ?? account.probability_alive,
      lifetimeActivityCount: lifetimeByAccount.get(account.id) ?? 0,
      promises: accountPromises(facts),
    };
  });
  return { snapshots, openSignals };
}
