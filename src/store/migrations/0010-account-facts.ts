// Two narrow tables written at ingest, so that evaluating an account does not read the events table,
// slow and slower as it grows (docs/benchmarks/2026-11-23-signals.md, "Snapshot loading reads the raw
// events table"): the relationship facts (surveys, replies, tickets, invoices, outages: a few percent
// of events), and the first time each event name was seen per account (activation milestones).
// Existing events are copied in.
import { type Kysely, sql } from 'kysely';

const factNames = [
  'Survey Answered',
  'Message Replied',
  'Ticket Opened',
  'Ticket Reopened',
  'Ticket Resolved',
  'Invoice Issued',
  'Invoice Paid',
  'Payment Failed',
  'Outage Started',
  'Outage Resolved',
];

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    create table account_facts (
      account_id text not null,
      name text not null,
      occurred_at timestamptz not null,
      contact_id text,
      properties jsonb not null
    );
    create table account_first_events (
      account_id text not null,
      name text not null,
      first_at timestamptz not null,
      primary key (account_id, name)
    );
  `.execute(database);
  await sql`insert into account_facts (account_id, name, occurred_at, contact_id, properties)
    select account_id, name, occurred_at, contact_id, properties from events
    where account_id is not null and name = any(${factNames}::text[])`.execute(database);
  await sql`insert into account_first_events (account_id, name, first_at)
    select account_id, name, min(occurred_at) from events
    where account_id is not null and name is not null group by account_id, name`.execute(database);
  await sql`create index account_facts_account on account_facts (account_id, occurred_at)`.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop table account_first_events; drop table account_facts;`.execute(database);
}
