// People sign in as themselves: a password (scrypt, optional: a one-time link works without one), a
// disabled mark, a time zone; server-side sessions (revocable); one-time links (first-admin setup and
// sign-in); and failed sign-ins, counted in the store so that several Tend processes share the limit.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add column password_hash text, add column disabled_at timestamptz, add column timezone text;

    -- Only the token's SHA-256 is kept: the cookie is the capability.
    create table sessions (
      token_hash bytea primary key,
      user_id uuid not null references users(id) on delete cascade,
      started_by text not null check (started_by in ('password', 'link', 'setup')),
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      revoked_at timestamptz
    );
    create index sessions_user on sessions (user_id) where revoked_at is null;

    create table one_time_links (
      token_hash bytea primary key,
      purpose text not null check (purpose in ('setup', 'sign-in')),
      user_id uuid references users(id) on delete cascade,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      check ((purpose = 'setup') = (user_id is null))
    );

    -- One row per failed sign-in: the e-mail tried (known or not) and the caller's address (an IPv6 /64).
    create table sign_in_failures (
      email text not null,
      address text not null,
      at timestamptz not null
    );
    create index sign_in_failures_email on sign_in_failures (email, at);
    create index sign_in_failures_address on sign_in_failures (address, at);
    create index sign_in_failures_at on sign_in_failures (at);
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`
    drop table sign_in_failures;
    drop table one_time_links;
    drop table sessions;
    alter table users drop column timezone, drop column disabled_at, drop column password_hash;
  `.execute(database);
}
