// Writes everything an ingest transaction derives from its events in one statement: the playbook
// triggers, the relationship facts, first occurrences, the runs woken by an awaited event, the touches,
// and the day's activity counts. Each is a data-modifying part of one WITH, so the whole costs one
// round trip; under load each round trip cost Tend more CPU than the writes themselves (BENCHMARKS.md).
import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export interface DerivedRecords {
  readonly triggers: readonly { event_name: string; account_id: string | null; contact_id: string | null; properties: string; occurred_at: Date; queued_at: Date }[];
  readonly facts: readonly { account_id: string; name: string; occurred_at: Date; contact_id: string | null; properties: string }[];
  /** In key order, like every multi-row write here, so concurrent requests lock in one order. */
  readonly firsts: readonly { account_id: string; name: string; first_at: Date }[];
  /** Accounts and the event names their runs may be waiting for. */
  readonly awaited: readonly { account_id: string; name: string }[];
  readonly interactions: readonly {
    id: string; external_id: string; account_id: string | null; contact_id: string | null; user_email: string | null; channel: string; direction: string;
    actor: string; two_way: boolean; objective: string | null; summary: string | null; occurred_at: Date; created_at: Date;
  }[];
  readonly activity: readonly { account_id: string; activity: string; day: string; count: number }[];
}

export interface DerivedWrites {
  /** Accounts for which an event was the first of its name (or earlier than the first known). */
  readonly firstSeen: readonly string[];
  /** Some playbook run waiting for one of the events is now due. */
  readonly woken: boolean;
}

const iso = (at: Date): string => at.toISOString();

export async function writeDerivedRecords(trx: Transaction<Database>, records: DerivedRecords, now: Date): Promise<DerivedWrites> {
  const { triggers, facts, firsts, awaited, interactions, activity } = records;
  if (triggers.length + facts.length + firsts.length + awaited.length + interactions.length + activity.length === 0) return { firstSeen: [], woken: false };
  const column = <T, K extends keyof T>(rows: readonly T[], key: K): T[K][] => rows.map((row) => row[key]);
  const result = await sql<{ first_seen: string[]; woken: number }>`
    with triggers as (
      insert into journey_triggers (event_name, account_id, contact_id, properties, occurred_at, queued_at)
      select * from unnest(${column(triggers, 'event_name')}::text[], ${column(triggers, 'account_id')}::text[], ${column(triggers, 'contact_id')}::text[],
                           ${column(triggers, 'properties')}::jsonb[], ${triggers.map((row) => iso(row.occurred_at))}::timestamptz[], ${triggers.map((row) => iso(row.queued_at))}::timestamptz[])),
    facts as (
      insert into account_facts (account_id, name, occurred_at, contact_id, properties)
      select * from unnest(${column(facts, 'account_id')}::text[], ${column(facts, 'name')}::text[], ${facts.map((row) => iso(row.occurred_at))}::timestamptz[],
                           ${column(facts, 'contact_id')}::text[], ${column(facts, 'properties')}::jsonb[])),
    touches as (
      insert into interactions (id, external_id, account_id, contact_id, user_email, channel, direction, actor, two_way, objective, summary, occurred_at, created_at)
      select * from unnest(${column(interactions, 'id')}::uuid[], ${column(interactions, 'external_id')}::text[], ${column(interactions, 'account_id')}::text[],
                           ${column(interactions, 'contact_id')}::text[], ${column(interactions, 'user_email')}::text[], ${column(interactions, 'channel')}::text[],
                           ${column(interactions, 'direction')}::text[], ${column(interactions, 'actor')}::text[], ${column(interactions, 'two_way')}::bool[],
                           ${column(interactions, 'objective')}::text[], ${column(interactions, 'summary')}::text[],
                           ${interactions.map((row) => iso(row.occurred_at))}::timestamptz[], ${interactions.map((row) => iso(row.created_at))}::timestamptz[])
      on conflict (external_id) do nothing),
    activity as (
      insert into account_activity_days (account_id, activity, day, count)
      select * from unnest(${column(activity, 'account_id')}::text[], ${column(activity, 'activity')}::text[], ${column(activity, 'day')}::date[], ${column(activity, 'count')}::int[])
      on conflict (account_id, activity, day) do update set count = account_activity_days.count + excluded.count),
    woken as (
      update journey_runs set next_due_at = ${now}
      where status = 'active' and next_due_at > ${now} and account_id = any(${[...new Set(column(awaited, 'account_id'))]}::text[])
        and (account_id, awaiting_event) in (select * from unnest(${column(awaited, 'account_id')}::text[], ${column(awaited, 'name')}::text[]))
      returning 1),
    -- A first occurrence (onboarding's activation events) is news; the hundredth is not.
    firsts as (
      insert into account_first_events (account_id, name, first_at)
      select * from unnest(${column(firsts, 'account_id')}::text[], ${column(firsts, 'name')}::text[], ${firsts.map((row) => iso(row.first_at))}::timestamptz[]) as seen(account_id, name, first_at)
      -- Skipping the known ones first spares a row lock (and its WAL record) per event the conflict would take.
      where not exists (select 1 from account_first_events known where known.account_id = seen.account_id and known.name = seen.name and known.first_at <= seen.first_at)
      on conflict (account_id, name) do update set first_at = excluded.first_at where excluded.first_at < account_first_events.first_at
      returning account_id)
    select (select coalesce(array_agg(account_id), '{}') from firsts) as first_seen, (select count(*) from woken)::int as woken`.execute(trx);
  const row = result.rows[0]!;
  return { firstSeen: row.first_seen, woken: row.woken > 0 };
}
