// The foundation schema: sources, accounts, contacts and their memberships, users, events (append-only,
// partitioned by month), interactions, and the hashed secrets. Every large table carries account_id,
// the distribution key should the store move to Citus.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    create table sources (
      id uuid primary key,
      name text not null unique,
      created_at timestamptz not null default now()
    );

    -- A source may have several write keys (rotation); only their SHA-256 hashes are kept.
    create table write_keys (
      key_hash bytea primary key,
      source_id uuid not null references sources(id),
      key_prefix text not null,
      created_at timestamptz not null default now(),
      revoked_at timestamptz
    );

    create table admin_tokens (
      token_hash bytea primary key,
      label text not null,
      created_at timestamptz not null default now()
    );

    create table accounts (
      id text primary key,
      name text,
      plan text,
      lifecycle_stage text,
      revenue_minor bigint,
      profit_minor bigint,
      currency text,
      owner_email text,
      traits jsonb not null default '{}',
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index accounts_owner on accounts (owner_email);

    create table contacts (
      id text primary key,
      account_id text,
      email text,
      phone text,
      name text,
      language text,
      timezone text,
      traits jsonb not null default '{}',
      merged_into text,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index contacts_account on contacts (account_id);
    create index contacts_email on contacts (lower(email));

    create table memberships (
      account_id text not null,
      contact_id text not null,
      created_at timestamptz not null,
      primary key (account_id, contact_id)
    );
    create index memberships_contact on memberships (contact_id);

    -- Other identifiers of a contact: anonymous ids seen with a user id, and alias calls.
    create table contact_aliases (
      alias text primary key,
      contact_id text not null,
      created_at timestamptz not null
    );
    create index contact_aliases_contact on contact_aliases (contact_id);

    create table users (
      id uuid primary key,
      email text not null unique,
      name text,
      role text not null check (role in ('rep', 'manager', 'admin')),
      manager_id uuid references users(id),
      created_at timestamptz not null
    );

    -- Idempotency: one row per (source, messageId) ever accepted. Kept apart from the partitioned
    -- events table because a unique key there would have to include the partition key.
    create table event_receipts (
      source_id uuid not null,
      message_id text not null,
      received_at timestamptz not null,
      primary key (source_id, message_id)
    );

    create table events (
      id uuid not null,
      source_id uuid not null,
      message_id text not null,
      type text not null,
      name text,
      contact_id text,
      anonymous_id text,
      account_id text,
      occurred_at timestamptz not null,
      received_at timestamptz not null,
      properties jsonb not null default '{}',
      context jsonb not null default '{}'
    ) partition by range (occurred_at);
    create table events_default partition of events default;
    create index events_contact on events (contact_id, occurred_at desc);
    create index events_account on events (account_id, occurred_at desc);
    create index events_name on events (name, occurred_at desc);

    create table interactions (
      id uuid primary key,
      external_id text unique,
      account_id text,
      contact_id text,
      user_email text,
      channel text not null check (channel in ('phone', 'video', 'meeting', 'email', 'sms', 'chat', 'letter')),
      direction text not null check (direction in ('inbound', 'outbound')),
      actor text not null check (actor in ('rep', 'system', 'customer')),
      two_way boolean not null,
      objective text,
      summary text,
      occurred_at timestamptz not null,
      created_at timestamptz not null
    );
    create index interactions_account on interactions (account_id, occurred_at desc);
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`
    drop table interactions; drop table events; drop table event_receipts; drop table users;
    drop table contact_aliases; drop table memberships; drop table contacts; drop table accounts;
    drop table admin_tokens; drop table write_keys; drop table sources;
  `.execute(database);
}
