// The signals benchmark's data set, generated inside the database (INSERT … SELECT over
// generate_series, hashed pseudo-random draws so every run loads the same rows): accounts with money
// and owners among the reps, contacts and memberships, rep touches (some accounts never touched, some
// e-mail only), events (mostly sign-ins, a few % surveys, tickets, invoices), daily activity counts.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.js';
import { EventPartitions } from '../../src/store/event-partitions.js';
import { factEventNames } from '../../src/domain/relationship/event-facts.js';

export interface DatasetShape {
  readonly accounts: number;
  readonly contactsPerAccount: number;
  readonly events: number;
  readonly reps: number;
  /** The data's "now": every row happened at or before it. */
  readonly anchor: Date;
  /**
   * Reps' books from half to one and a half times the mean size, spread evenly between (the app's
   * benchmark: a rep with the largest book is the slowest); otherwise all about the mean.
   */
  readonly spreadBooks?: boolean;
}

/** Runs one SQL text; a connection of its own per parallel lane. */
export type Query = (text: string) => Promise<{ rows: Record<string, unknown>[] }>;

export const benchSourceId = '00000000-0000-7000-8000-00000000b001';
const dayMilliseconds = 86_400_000;
/** Events reach this many days back (facts are read 400 days back). */
const historyDays = 400;
/** Rows per INSERT statement for events: progress shows, and two lanes can share the work. */
const eventChunk = 1_000_000;

/** Tables the data set fills: their secondary indexes are dropped while loading and built afterwards. */
const loadedTables = [
  'accounts',
  'contacts',
  'memberships',
  'interactions',
  'events',
  'account_activity_days',
  'contact_activity_days',
  'account_facts',
];

const quoted = (at: Date): string => `'${at.toISOString()}'::timestamptz`;

// u(n, salt): a uniform draw in [0, 1) from the 53 low bits of a seeded 64-bit hash: the same n and
// salt always give the same draw, and draws with different salts are independent enough for data.
export const uniformFunction = `
  create or replace function bench_u(n bigint, salt bigint) returns float8 language sql immutable parallel safe as
  $$ select ((hashint8extended(n, salt) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$`;

/** The owning rep's number for account `n` (an SQL expression); touches are made by the same rep. */
function ownerNumber(shape: DatasetShape, n: string): string {
  // Inverse of the distribution whose density rises linearly from 0.5 to 1.5 across the reps.
  if (shape.spreadBooks === true) {
    return `least(${shape.reps - 1}, floor((sqrt(1 + 8 * bench_u(${n}, 6)) - 1) / 2 * ${shape.reps}))::int`;
  }
  return `floor(bench_u(${n}, 6) * ${shape.reps})::int`;
}

function accountsSql(shape: DatasetShape): string {
  const now = quoted(shape.anchor);
  return `
    insert into accounts (id, name, plan, lifecycle_stage, revenue_minor, profit_minor, currency, owner_email, traits, created_at, updated_at)
    select 'acct_' || n, 'Company ' || n, plan, case when age_days < 30 then 'onboarding' else 'active' end,
      revenue,
      case when bench_u(n, 4) < 0.05 then -round(revenue * 0.1 * bench_u(n, 5))::int8 else round(revenue * (0.05 + 0.45 * bench_u(n, 5)))::int8 end,
      'EUR', 'rep' || ${ownerNumber(shape, 'n')} || '@tend.example',
      case when bench_u(n, 7) < 0.3
        then jsonb_build_object('plan', plan, 'renewalDate', to_char(${now} at time zone 'UTC' + bench_u(n, 8) * 365 * interval '1 day', 'YYYY-MM-DD'))
        else jsonb_build_object('plan', plan) end,
      ${now} - age_days * interval '1 day', ${now} - age_days * interval '1 day'
    from generate_series(0::int8, ${shape.accounts - 1}::int8) n,
      lateral (select bench_u(n, 1) * 730 as age_days,
                      round(100000 * power(10, 3 * power(bench_u(n, 3), 2)))::int8 as revenue,
                      (array['starter', 'team', 'business', 'enterprise'])[1 + floor(bench_u(n, 2) * 4)::int] as plan) drawn`;
}

function contactsSql(shape: DatasetShape, table: 'contacts' | 'memberships'): string {
  const now = quoted(shape.anchor);
  const perAccount = shape.contactsPerAccount;
  const range = `from generate_series(0::int8, ${shape.accounts * perAccount - 1}::int8) m,
      lateral (select m / ${perAccount} as a) owner,
      lateral (select least(${now}, ${now} - bench_u(owner.a, 1) * 730 * interval '1 day' + bench_u(m, 11) * 10 * interval '1 day') as at) joined`;
  if (table === 'memberships')
    return `insert into memberships (account_id, contact_id, created_at) select 'acct_' || a, 'user_' || m, at ${range}`;
  return `
    insert into contacts (id, account_id, email, name, language, timezone, traits, created_at, updated_at)
    select 'user_' || m, 'acct_' || a, 'user' || m || '@customer-' || a || '.example', 'Contact ' || m, 'en', 'Europe/Paris', '{}', at, at ${range}`;
}

/** Users: one manager per ten reps. */
function usersSql(shape: DatasetShape): string[] {
  const now = quoted(shape.anchor);
  const managers = Math.ceil(shape.reps / 10);
  return [
    `insert into users (id, email, name, role, manager_id, created_at)
     select gen_random_uuid(), 'manager' || k || '@tend.example', 'Manager ' || k, 'manager', null, ${now} from generate_series(0, ${managers - 1}) k`,
    `insert into users (id, email, name, role, manager_id, created_at)
     select gen_random_uuid(), 'rep' || k || '@tend.example', 'Rep ' || k, 'rep', (select id from users where email = 'manager' || (k / 10) || '@tend.example'), ${now}
     from generate_series(0, ${shape.reps - 1}) k`,
  ];
}

/**
 * Rep touches: 10 % of accounts were never touched, 20 % only by e-mail (async-only), the rest by a
 * mix of calls, meetings, video and e-mail, more often the more the account is worth.
 */
function touchesSql(shape: DatasetShape): string {
  const now = quoted(shape.anchor);
  return `
    insert into interactions (id, account_id, contact_id, user_email, channel, direction, actor, two_way, objective, summary, occurred_at, created_at)
    select gen_random_uuid(), 'acct_' || a, 'user_' || (a * ${shape.contactsPerAccount}), owner_email, channel, 'outbound', 'rep', channel <> 'email',
      case when channel = 'email' then null else 'check-in' end, 'Touch ' || j, at, at
    from generate_series(0::int8, ${shape.accounts - 1}::int8) a,
      lateral (select bench_u(a, 51) as profile, least(bench_u(a, 1) * 730, 365) as window_days,
                      'rep' || ${ownerNumber(shape, 'a')} || '@tend.example' as owner_email,
                      1 + floor(bench_u(a, 52) * (4 + 20 * power(bench_u(a, 3), 2)))::int as touches) account,
      lateral generate_series(1, 24) j,
      lateral (select case when profile < 0.3 then 'email'
                           else (array['phone', 'phone', 'phone', 'phone', 'meeting', 'meeting', 'video', 'email', 'email', 'email'])[1 + floor(bench_u(a * 32 + j, 53) * 10)::int] end as channel,
                      ${now} - bench_u(a * 32 + j, 54) * window_days * interval '1 day' as at) touch
    where profile >= 0.1 and j <= touches`;
}

/** Where an account's events fall: within its life and the history window; 8 % went quiet 45 days ago. */
const eventTime = (shape: DatasetShape, account: string, draw: string): string => `
  ${quoted(shape.anchor)} - (case when bench_u(${account}, 30) < 0.08 and least(bench_u(${account}, 1) * 730, ${historyDays}) > 60
    then 45 + ${draw} * (least(bench_u(${account}, 1) * 730, ${historyDays}) - 45)
    else ${draw} * least(bench_u(${account}, 1) * 730, ${historyDays}) end) * interval '1 day'`;

/** Sign-ins (88 %), feature use, survey answers (NPS, mostly high), tickets; accounts skewed (u^1.5). */
function eventsSql(shape: DatasetShape, from: number, to: number): string {
  const perAccount = shape.contactsPerAccount;
  return `
    insert into events (id, source_id, message_id, type, name, contact_id, account_id, occurred_at, received_at, properties)
    select gen_random_uuid(), '${benchSourceId}', 'bench-' || e, 'track', name, 'user_' || (a * ${perAccount} + floor(bench_u(e, 23) * ${perAccount})::int8), 'acct_' || a, at, at, properties
    from generate_series(${from}::int8, ${to}::int8) e,
      lateral (select floor(${shape.accounts} * power(bench_u(e, 22), 1.5))::int8 as a, bench_u(e, 21) as kind, bench_u(e, 25) as detail) drawn,
      lateral (select ${eventTime(shape, 'a', 'bench_u(e, 24)')} as at,
        case when kind < 0.9167 then 'Signed In' when kind < 0.9584 then 'Feature Used' when kind < 0.9792 then 'Survey Answered' else 'Ticket Opened' end as name,
        case when kind < 0.9167 then jsonb_build_object('source', (array['web', 'ios', 'android'])[1 + floor(detail * 3)::int])
             when kind < 0.9584 then jsonb_build_object('feature', (array['reports', 'exports', 'automations', 'dashboards'])[1 + floor(detail * 4)::int])
             when kind < 0.9792 then jsonb_build_object('score', 10 - floor(11 * power(detail, 3))::int, 'survey', 'nps')
             else jsonb_build_object('ticketId', 't_' || e, 'category', (array['billing', 'login', 'export', 'performance', 'integration'])[1 + floor(detail * 5)::int],
                                     'subject', 'Help with ' || (array['billing', 'login', 'export', 'performance', 'integration'])[1 + floor(detail * 5)::int]) end as properties) event`;
}

/** Invoices: issued (due in 30 days) and, for 93 %, paid within 0–35 days (some late, some not yet). */
function invoicesSql(shape: DatasetShape, invoices: number): string {
  const now = quoted(shape.anchor);
  return `
    insert into events (id, source_id, message_id, type, name, contact_id, account_id, occurred_at, received_at, properties)
    select gen_random_uuid(), '${benchSourceId}', 'bench-invoice-' || i || '-' || step, 'track', name, 'user_' || (a * ${shape.contactsPerAccount}), 'acct_' || a, at, at, properties
    from generate_series(0::int8, ${invoices - 1}::int8) i,
      lateral (select floor(${shape.accounts} * bench_u(i, 41))::int8 as a, round((100 + bench_u(i, 42) * 5000)::numeric, 2) as amount) drawn,
      lateral (select ${eventTime(shape, 'a', 'bench_u(i, 45)')} as issued_at) issue,
      lateral (values
        (1, 'Invoice Issued', issued_at, jsonb_build_object('invoiceId', 'inv_' || i, 'amount', amount, 'dueDate', to_char(issued_at at time zone 'UTC' + interval '30 days', 'YYYY-MM-DD'))),
        (2, 'Invoice Paid', case when bench_u(i, 43) < 0.93 then issued_at + bench_u(i, 44) * 35 * interval '1 day' end, jsonb_build_object('invoiceId', 'inv_' || i, 'amount', amount, 'margin', round(amount * 0.3, 2)))
      ) as paid(step, name, at, properties)
    where at is not null and at <= ${now}`;
}

const ticketTouchesSql = `
  insert into interactions (id, external_id, account_id, contact_id, channel, direction, actor, two_way, summary, occurred_at, created_at)
  select gen_random_uuid(), 'event:' || source_id || ':' || message_id, account_id, contact_id, 'chat', 'inbound', 'customer', false, properties->>'subject', occurred_at, received_at
  from events where name = 'Ticket Opened'`;

const activitySql = `
  insert into account_activity_days (account_id, activity, day, count)
  select account_id, name, (occurred_at at time zone 'UTC')::date, count(*) from events where name = 'Signed In' group by 1, 2, 3`;

// The same per person (migration 0013), as Tend's ingest writes them for disengagement per person.
const personActivitySql = `
  insert into contact_activity_days (account_id, activity, day, contact_id, count)
  select account_id, name, (occurred_at at time zone 'UTC')::date, contact_id, count(*) from events
  where name = 'Signed In' and account_id is not null and contact_id is not null group by 1, 2, 3, 4`;

// What Tend's ingest writes beside each event (migration 0010): the relationship facts, and the first
// time each event name was seen per account.
const factsSql = `
  insert into account_facts (account_id, name, occurred_at, contact_id, properties)
  select account_id, name, occurred_at, contact_id, properties from events
  where account_id is not null and name in (${factEventNames.map((name) => `'${name}'`).join(', ')})`;

const firstEventsSql = `
  insert into account_first_events (account_id, name, first_at)
  select account_id, name, min(occurred_at) from events where account_id is not null and name is not null group by 1, 2`;

/** Runs statements on as many lanes as there are query functions, each lane one at a time. */
async function inLanes(
  lanes: readonly Query[],
  statements: readonly { label: string; text: string }[],
  log: (text: string) => void,
): Promise<void> {
  let next = 0;
  await Promise.all(
    lanes.map(async (query) => {
      for (let index = next++; index < statements.length; index = next++) {
        const statement = statements[index]!;
        const began = performance.now();
        await query(statement.text);
        log(`  ${statement.label} (${((performance.now() - began) / 1000).toFixed(1)} s)`);
      }
    }),
  );
}

export interface LoadedCounts {
  readonly accounts: number;
  readonly contacts: number;
  readonly interactions: number;
  readonly events: number;
  readonly activityDays: number;
  readonly users: number;
}

/**
 * Loads the data set into a migrated, empty Tend database (partitions first, secondary indexes
 * rebuilt after), then VACUUM ANALYZE; `lanes` are separate connections used in parallel.
 */
export async function loadDataset(
  database: Kysely<Database>,
  lanes: readonly Query[],
  shape: DatasetShape,
  log: (text: string) => void,
): Promise<LoadedCounts> {
  const first = lanes[0]!;
  const months: Date[] = [];
  for (
    let at = shape.anchor.getTime() - (historyDays + 31) * dayMilliseconds;
    at < shape.anchor.getTime() + 62 * dayMilliseconds;
    at += 20 * dayMilliseconds
  )
    months.push(new Date(at));
  await new EventPartitions(database).ensure(months);
  await first(uniformFunction);
  await first(`insert into sources (id, name) values ('${benchSourceId}', 'bench') on conflict do nothing`);
  // Indexes that back no constraint (on events: the partitioned parents, which carry their partitions' own).
  const secondary =
    await first(`select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename in (${loadedTables.map((name) => `'${name}'`).join(', ')})
    and indexname not in (select conname from pg_constraint)`);
  // A partitioned table's index reads "ON ONLY events": built like that it would cover no partition.
  const indexes = secondary.rows.map((row) => ({
    name: String(row.indexname),
    definition: String(row.indexdef).replace(' ON ONLY ', ' ON '),
  }));
  for (const index of indexes) await first(`drop index ${index.name}`);
  for (const text of usersSql(shape)) await first(text);

  const statements = [
    { label: 'accounts', text: accountsSql(shape) },
    { label: 'contacts', text: contactsSql(shape, 'contacts') },
    { label: 'memberships', text: contactsSql(shape, 'memberships') },
    { label: 'rep touches', text: touchesSql(shape) },
    { label: 'invoices', text: invoicesSql(shape, Math.round(shape.events * 0.02)) },
  ];
  const mainEvents = Math.round(shape.events * 0.96);
  for (let from = 0; from < mainEvents; from += eventChunk) {
    const to = Math.min(mainEvents, from + eventChunk) - 1;
    statements.push({ label: `events ${from}–${to}`, text: eventsSql(shape, from, to) });
  }
  await inLanes(lanes, statements, log);
  await inLanes(
    lanes,
    [
      { label: 'ticket touches', text: ticketTouchesSql },
      { label: 'activity days', text: activitySql },
      { label: 'activity days per person', text: personActivitySql },
      { label: 'account facts', text: factsSql },
      { label: 'first events', text: firstEventsSql },
    ],
    log,
  );
  // Largest first, so that the two lanes finish together.
  const order = ['events', 'interactions', 'contacts', 'accounts', 'memberships'];
  const rank = (definition: string): number => order.findIndex((table) => definition.includes(`ON public.${table} `));
  await inLanes(
    lanes,
    [...indexes]
      .sort((a, b) => rank(a.definition) - rank(b.definition))
      .map((index) => ({ label: index.name, text: index.definition })),
    log,
  );
  await first('drop function bench_u(bigint, bigint)');
  await inLanes(
    lanes,
    [
      'events',
      'interactions',
      'account_activity_days',
      'contact_activity_days',
      'account_facts',
      'account_first_events',
      'contacts',
      'memberships',
      'accounts',
      'users',
    ].map((table) => ({ label: `vacuum analyze ${table}`, text: `vacuum analyze ${table}` })),
    log,
  );
  const counts =
    await first(`select (select count(*) from accounts)::int8 as accounts, (select count(*) from contacts)::int8 as contacts,
    (select count(*) from interactions)::int8 as interactions, (select count(*) from events)::int8 as events,
    (select count(*) from account_activity_days)::int8 as activity_days, (select count(*) from users)::int8 as users,
    (select count(*) from events_default)::int8 as in_default`);
  const row = counts.rows[0]!;
  if (Number(row.in_default) !== 0) throw new Error(`${row.in_default} events landed in the default partition`);
  return {
    accounts: Number(row.accounts),
    contacts: Number(row.contacts),
    interactions: Number(row.interactions),
    events: Number(row.events),
    activityDays: Number(row.activity_days),
    users: Number(row.users),
  };
}
