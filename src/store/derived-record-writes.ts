// Writes everything an ingest transaction derives from its events in one statement, with the events
// themselves: the playbook triggers, the relationship facts, first occurrences, the runs woken by an
// awaited event, the touches (and the conversations a rep's touch answers), the day's activity counts,
// and (when none is evaluated at ingest) the accounts the events made due, queued for the engine's
// lanes. Each is a data-modifying part of one WITH, so the whole costs one round trip; under load each
// round trip cost Tend more than the writes themselves (docs/benchmarks/2026-12-01-signals.md). The
// accounts to evaluate at ingest are held in one more.
import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { DerivedRecords, IngestPlan } from '../domain/relationship/ingest-plan.js';
import type { ClaimedAccount } from './account-due-times.js';
import { answerConversationsOfAccounts } from './conversation-waits.js';
import {
  type DerivedWritesStatement,
  type EventWrites,
  type IngestStatement,
  writeIngestStatement,
  writes,
} from './ingest-statement.js';
import { prepared } from './prepared-statements.js';
import type { Database } from './schema.js';

/**
 * How many of the accounts the events made due to hold for an evaluation in this transaction (at most
 * `most`, of those no other transaction holds), taking their queue rows up to `at`; the others are
 * queued for the engine's lanes.
 */
export interface IngestHold {
  readonly at: Date;
  readonly most: number;
}

/** What the statements touched that the engine needs to know, and the accounts they hold. */
export interface DerivedWrites {
  /** Due accounts this transaction now holds locked, in id order, their queue rows taken. */
  readonly held: readonly ClaimedAccount[];
  /** Due accounts were queued for the engine's lanes. */
  readonly queued: boolean;
  /** Some playbook run waiting for one of the events is now due. */
  readonly woken: boolean;
}

const iso = (at: Date): string => at.toISOString();

/** The writes of the records that have rows; the statement's result reads `firsts` and `woken` if present. */
function recordWrites(records: DerivedRecords, now: Date): DerivedWritesStatement {
  const { triggers, facts, firsts, awaited, interactions, activity, personActivity } = records;
  const column = <T, K extends keyof T>(rows: readonly T[], key: K): T[K][] => rows.map((row) => row[key]);
  const parts: { -readonly [T in keyof DerivedWritesStatement]: DerivedWritesStatement[T] } = {};
  if (triggers.length > 0) {
    parts.journey_triggers = sql`insert into journey_triggers
        (event_name, account_id, contact_id, properties, occurred_at, queued_at)
      select * from unnest(${column(triggers, 'event_name')}::text[], ${column(triggers, 'account_id')}::text[],
                           ${column(triggers, 'contact_id')}::text[], ${column(triggers, 'properties')}::jsonb[],
                           ${triggers.map((row) => iso(row.occurred_at))}::timestamptz[],
                           ${triggers.map((row) => iso(row.queued_at))}::timestamptz[])`;
  }
  if (facts.length > 0) {
    parts.account_facts = sql`insert into account_facts (account_id, name, occurred_at, contact_id, properties)
      select * from unnest(${column(facts, 'account_id')}::text[], ${column(facts, 'name')}::text[],
                           ${facts.map((row) => iso(row.occurred_at))}::timestamptz[],
                           ${column(facts, 'contact_id')}::text[], ${column(facts, 'properties')}::jsonb[])`;
  }
  if (interactions.length > 0) {
    const touch = <K extends keyof (typeof interactions)[number]>(key: K) => column(interactions, key);
    parts.interactions = sql`insert into interactions (id, external_id, account_id, contact_id, user_email, channel,
        direction, actor, two_way, objective, summary, occurred_at, created_at)
      select * from unnest(${touch('id')}::uuid[], ${touch('external_id')}::text[], ${touch('account_id')}::text[],
                           ${touch('contact_id')}::text[], ${touch('user_email')}::text[], ${touch('channel')}::text[],
                           ${touch('direction')}::text[], ${touch('actor')}::text[], ${touch('two_way')}::bool[],
                           ${touch('objective')}::text[], ${touch('summary')}::text[],
                           ${interactions.map((row) => iso(row.occurred_at))}::timestamptz[],
                           ${interactions.map((row) => iso(row.created_at))}::timestamptz[])
      on conflict (external_id) do nothing`;
    // A rep reaching out answers whoever waits at the account, as the slow-response signal counts it.
    const answering = interactions.filter(
      (row) => row.actor === 'rep' && row.direction === 'outbound' && row.account_id !== null,
    );
    if (answering.length > 0) {
      const accounts = answering.map((row) => row.account_id as string);
      parts.conversations = answerConversationsOfAccounts(accounts, column(answering, 'occurred_at'));
    }
  }
  if (activity.length > 0) {
    parts.account_activity_days = sql`insert into account_activity_days (account_id, activity, day, count)
      select * from unnest(${column(activity, 'account_id')}::text[], ${column(activity, 'activity')}::text[],
                           ${column(activity, 'day')}::date[], ${column(activity, 'count')}::int[])
      on conflict (account_id, activity, day) do update set count = account_activity_days.count + excluded.count`;
  }
  if (personActivity.length > 0) {
    const counted = <K extends keyof (typeof personActivity)[number]>(key: K) => column(personActivity, key);
    parts.contact_activity_days = sql`insert into contact_activity_days (account_id, activity, day, contact_id, count)
      select * from unnest(${counted('account_id')}::text[], ${counted('activity')}::text[], ${counted('day')}::date[],
                           ${counted('contact_id')}::text[], ${counted('count')}::int[])
      on conflict (account_id, activity, day, contact_id)
        do update set count = contact_activity_days.count + excluded.count`;
  }
  if (awaited.length > 0) {
    const accounts = [...new Set(column(awaited, 'account_id'))];
    parts.journey_runs = sql`update journey_runs set next_due_at = ${now}
      where status = 'active' and next_due_at > ${now} and account_id = any(${accounts}::text[])
        and (account_id, awaiting_event) in
          (select * from unnest(${column(awaited, 'account_id')}::text[], ${column(awaited, 'name')}::text[]))
      returning 1`;
  }
  if (firsts.length > 0) {
    // A first occurrence (onboarding's activation events) is news; the hundredth is not. Skipping the
    // known ones first spares a row lock (and its WAL record) per event the conflict would take.
    parts.account_first_events = sql`insert into account_first_events (account_id, name, first_at)
      select * from unnest(${column(firsts, 'account_id')}::text[], ${column(firsts, 'name')}::text[],
                           ${firsts.map((row) => iso(row.first_at))}::timestamptz[]) as seen(account_id, name, first_at)
      where not exists (select 1 from account_first_events known
                        where known.account_id = seen.account_id and known.name = seen.name
                          and known.first_at <= seen.first_at)
      on conflict (account_id, name) do update set first_at = excluded.first_at
        where excluded.first_at < account_first_events.first_at
      returning account_id`;
  }
  return parts;
}

/**
 * The named accounts, and those `firsts` returns, that exist: an event may name an account no group call
 * has created (yet).
 */
function dueAccounts(accountIds: readonly string[], withFirsts: boolean): RawBuilder<unknown> {
  // A union, not an OR of the two: with the OR, PostgreSQL scans every account (the union joins on the key).
  return withFirsts
    ? sql`id in (select unnest(${[...accountIds]}::text[]) union select account_id from firsts)`
    : sql`id = any(${[...accountIds]}::text[])`;
}

/**
 * Queues the accounts `which` selects (a condition on `accounts`) for the event lane at `at`: an insert,
 * never an update of the account, so it never waits for an evaluation holding the account's row.
 */
export function queueAccounts(which: RawBuilder<unknown>, at: Date): RawBuilder<unknown> {
  return sql`insert into account_event_queue (account_id, due_at)
    select id, ${at}::timestamptz from accounts where ${which} returning 1`;
}

/**
 * Writes `events` (the events' last part) and the plan's records in one statement, and queues the due
 * accounts there when none is to be held; otherwise holds them in a statement of its own, after every write of
 * the ingest that can wait for another transaction. Held in the same statement, an account's lock was
 * taken first, and an ingest waiting for a contact row this one's other writes needed could wait for
 * that account in its turn: a deadlock, seen in the ingest benchmark
 * (docs/benchmarks/2026-12-07-ingest.md, "Defect 4").
 */
export async function writeDerivedRecords(
  trx: Transaction<Database>,
  events: EventWrites,
  plan: IngestPlan,
  hold: IngestHold | null,
  receivedAt: Date,
): Promise<DerivedWrites> {
  const { records, dueAccountIds } = plan;
  const withFirsts = records.firsts.length > 0;
  const anyDue = dueAccountIds.length > 0 || withFirsts;
  const statement: IngestStatement = {
    ...events,
    ...recordWrites(records, receivedAt),
    ...(hold === null && anyDue
      ? { account_event_queue: queueAccounts(dueAccounts(dueAccountIds, withFirsts), receivedAt) }
      : {}),
  };
  const firstSeen = writes(statement, 'account_first_events');
  const queued = writes(statement, 'account_event_queue');
  const woken = writes(statement, 'journey_runs');
  const result: RawBuilder<unknown> = sql`select
    ${firstSeen ? sql`(select coalesce(array_agg(account_id), '{}') from firsts)` : sql`'{}'::text[]`} as first_seen,
    ${queued ? sql`exists (select 1 from queued)` : sql`false`} as queued,
    ${woken ? sql`exists (select 1 from woken)` : sql`false`} as woken`;
  const row = (await writeIngestStatement(trx, statement, { result, prepare: true })) as
    | { first_seen: string[]; queued: boolean; woken: boolean }
    | undefined;
  const written = row ?? { first_seen: [], queued: false, woken: false };
  if (hold === null) return { held: [], queued: written.queued, woken: written.woken };
  const held = await holdDueAccounts(trx, [...new Set([...dueAccountIds, ...written.first_seen])], hold, receivedAt);
  return { held: held.held, queued: held.queued, woken: written.woken };
}

/**
 * Locks at most `hold.most` of the accounts that no other transaction holds, in id order, and takes
 * their queue rows up to `hold.at`: the evaluation that follows in this transaction answers for them.
 * Holding never waits (SKIP LOCKED): the others are queued for the lanes. One statement.
 */
async function holdDueAccounts(
  trx: Transaction<Database>,
  accountIds: readonly string[],
  hold: IngestHold,
  at: Date,
): Promise<{ held: ClaimedAccount[]; queued: boolean }> {
  if (accountIds.length === 0) return { held: [], queued: false };
  const named = dueAccounts(accountIds, false);
  const result = await prepared(sql<{ held: ClaimedAccount[]; queued: boolean }>`
    with held as (select id, owner_email from accounts where ${named}
                  order by id limit ${hold.most} for update skip locked),
         taken as (delete from account_event_queue where account_id in (select id from held) and due_at <= ${hold.at}),
         queued as (${queueAccounts(sql`${named} and id not in (select id from held)`, at)})
    select (select coalesce(json_agg(json_build_object('id', id, 'owner_email', owner_email) order by id), '[]')
            from held) as held,
           exists (select 1 from queued) as queued`).execute(trx);
  return result.rows[0]!;
}
