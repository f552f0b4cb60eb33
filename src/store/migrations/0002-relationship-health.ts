// Relationship health: the value tier and the next time each account must be looked at again, the
// signals raised about accounts, daily health scores, and daily activity counts for disengagement.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    alter table accounts add column tier text;
    -- When the account's signals must next be evaluated: now after a relevant event (committed with
    -- it), or when a time-driven condition comes due. Workers claim due rows with SKIP LOCKED.
    alter table accounts add column next_check_at timestamptz;
    create index accounts_next_check on accounts (next_check_at) where next_check_at is not null;

    alter table users add column active boolean not null default true;
    create index users_manager on users (manager_id);

    create table signals (
      id uuid primary key,
      account_id text not null,
      kind text not null,
      instance text not null default '',
      owner_email text,
      severity integer not null,
      value_at_stake_minor bigint not null default 0,
      reasons jsonb not null default '[]',
      deadline_at timestamptz,
      raised_at timestamptz not null,
      updated_at timestamptz not null,
      cleared_at timestamptz
    );
    create unique index signals_one_open on signals (account_id, kind, instance) where cleared_at is null;
    create index signals_account on signals (account_id, raised_at desc);
    create index signals_open_owner on signals (owner_email, kind) where cleared_at is null;

    create table health_scores (
      account_id text not null,
      day date not null,
      score integer not null,
      components jsonb not null,
      top_reasons jsonb not null,
      computed_at timestamptz not null,
      primary key (account_id, day)
    );

    create table account_activity_days (
      account_id text not null,
      activity text not null,
      day date not null,
      count integer not null,
      primary key (account_id, activity, day)
    );

    create index interactions_user on interactions (user_email, occurred_at desc);

    -- Tend's own events (Signal Raised, Message Sent, …) are recorded under this source.
    insert into sources (id, name) values ('00000000-0000-7000-8000-000000000001', 'tend') on conflict do nothing;
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`
    drop table account_activity_days; drop table health_scores; drop table signals;
    drop index interactions_user; drop index users_manager; alter table users drop column active;
    drop index accounts_next_check; alter table accounts drop column next_check_at;
    alter table accounts drop column tier;
  `.execute(database);
}
