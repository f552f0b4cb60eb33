// Gathers AccountSnapshots for a batch of accounts with a fixed number of queries (not one per
// account): the account rows, their touches, the events that carry relationship facts, activity
// counts, and activation milestones. Only what happened up to `now` counts.
import { type Kysely, sql } from 'kysely';
import type { AccountSnapshot, Touch, TouchChannel } from '../domain/relationship/account-snapshot.js';
import { activitySeries, type EventFact, inboundContacts, invoices, negativeReplies, outages, surveyAnswers } from '../domain/relationship/event-facts.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import type { Database } from './schema.js';

const dayMilliseconds = 86_400_000;
/** Events that carry relationship facts (the rest are activity or product use); kept in account_facts too. */
export const factEventNames = [
  'Survey Answered', 'Message Replied', 'Ticket Opened', 'Ticket Reopened', 'Ticket Resolved',
  'Invoice Issued', 'Invoice Paid', 'Payment Failed', 'Outage Started', 'Outage Resolved',
];
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
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : null;
}

function dateTrait(traits: Record<string, unknown>, key: string): Date | null {
  const value = traits[key];
  if (typeof value !== 'string') return null;
  const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(at.getTime()) ? null : at;
}

export async function loadAccountSnapshots(database: Kysely<Database>, accountIds: readonly string[], now: Date, config: TendConfig): Promise<AccountSnapshot[]> {
  if (accountIds.length === 0) return [];
  const ids = [...accountIds];
  const yearAgo = new Date(now.getTime() - 365 * dayMilliseconds);
  const factsSince = new Date(now.getTime() - 400 * dayMilliseconds);
  const activitySince = new Date(now.getTime() - activityDays * dayMilliseconds).toISOString().slice(0, 10);
  const activationEvents = [...config.signals.onboarding.activationEvents];
  const activityNames = [...new Set([...config.signals.disengagement.activities, config.signals.milestones.activity])];

  const [accounts, touchRows, spokenRows, factRows, firstRows, activityRows, lifetimeRows] = await Promise.all([
    database.selectFrom('accounts').selectAll().where('id', 'in', ids).execute(),
    database
      .selectFrom('interactions')
      .select(['account_id', 'occurred_at', 'channel', 'direction', 'actor', 'two_way', 'user_email', 'objective', 'summary'])
      .where('account_id', 'in', ids)
      .where('occurred_at', '>', yearAgo)
      .where('occurred_at', '<=', now)
      .orderBy('occurred_at', 'desc')
      .execute(),
    database
      .selectFrom('interactions')
      .select(['account_id', (eb) => eb.fn.max('occurred_at').as('last')])
      .where('account_id', 'in', ids)
      .where('channel', 'in', ['phone', 'video', 'meeting'])
      .where('occurred_at', '<=', now)
      .groupBy('account_id')
      .execute(),
    // The narrow copies written at ingest (migration 0010), not the events table.
    database
      .selectFrom('account_facts')
      .select(['account_id', 'name', 'occurred_at', 'contact_id', 'properties'])
      .where('account_id', 'in', ids)
      .where('occurred_at', '>', factsSince)
      .where('occurred_at', '<=', now)
      .execute(),
    activationEvents.length === 0
      ? Promise.resolve([] as { account_id: string | null; name: string | null; first: Date }[])
      : database
          .selectFrom('account_first_events')
          .select(['account_id', 'name', 'first_at as first'])
          .where('account_id', 'in', ids)
          .where('name', 'in', activationEvents)
          .where('first_at', '<=', now)
          .execute(),
    database
      .selectFrom('account_activity_days')
      .select(['account_id', 'activity', 'day', 'count'])
      .where('account_id', 'in', ids)
      .where('activity', 'in', activityNames)
      .where('day', '>', activitySince)
      .where('day', '<=', now.toISOString().slice(0, 10))
      .execute(),
    database
      .selectFrom('account_activity_days')
      .select(['account_id', sql<number>`sum(count)::int8`.as('total')])
      .where('account_id', 'in', ids)
      .where('activity', '=', config.signals.milestones.activity)
      .where('day', '<=', now.toISOString().slice(0, 10))
      .groupBy('account_id')
      .execute(),
  ]);

  const touchesByAccount = groupBy(touchRows, (row) => row.account_id ?? '');
  const spokenByAccount = new Map(spokenRows.map((row) => [row.account_id ?? '', row.last as Date | null]));
  const factsByAccount = groupBy(factRows, (row) => row.account_id ?? '');
  const firstByAccount = groupBy(firstRows, (row) => row.account_id ?? '');
  const activityByAccount = groupBy(activityRows, (row) => row.account_id);
  const lifetimeByAccount = new Map(lifetimeRows.map((row) => [row.account_id, Number(row.total)]));

  return accounts.map((account): AccountSnapshot => {
    const touches: Touch[] = (touchesByAccount.get(account.id) ?? []).map((row) => ({
      at: row.occurred_at,
      channel: row.channel as TouchChannel,
      direction: row.direction as Touch['direction'],
      actor: row.actor as Touch['actor'],
      twoWay: row.two_way,
      userEmail: row.user_email,
      objective: row.objective,
      summary: row.summary,
    }));
    const facts: EventFact[] = (factsByAccount.get(account.id) ?? []).map((row) => ({ name: row.name ?? '', at: row.occurred_at, contactId: row.contact_id, properties: row.properties }));
    const monthAgo = now.getTime() - 30 * dayMilliseconds;
    const traits = account.traits;
    return {
      accountId: account.id,
      name: account.name,
      ownerEmail: account.owner_email,
      lifecycleStage: account.lifecycle_stage,
      createdAt: account.created_at,
      currency: account.currency,
      revenueMinor: account.revenue_minor,
      profitMinor: account.profit_minor,
      tier: account.tier,
      touches,
      lastSpokenAt: spokenByAccount.get(account.id) ?? null,
      inbound: inboundContacts(facts, touches).filter((contact) => contact.at.getTime() > monthAgo),
      surveys: surveyAnswers(facts),
      negativeReplies: negativeReplies(facts).filter((reply) => reply.at.getTime() > monthAgo),
      invoices: invoices(facts),
      renewalAt: dateTrait(traits, 'renewalDate') ?? dateTrait(traits, 'renewalAt'),
      firstEventAt: new Map((firstByAccount.get(account.id) ?? []).map((row) => [row.name ?? '', row.first])),
      activity: activitySeries(activityByAccount.get(account.id) ?? [], now, activityDays).filter((series) => config.signals.disengagement.activities.includes(series.activity)),
      outages: outages(facts).filter((outage) => outage.at.getTime() > monthAgo),
      churnProbability: numberTrait(traits, 'churnProbability'),
      probabilityAlive: numberTrait(traits, 'probabilityAlive') ?? account.probability_alive,
      lifetimeActivityCount: lifetimeByAccount.get(account.id) ?? 0,
    };
  });
}
