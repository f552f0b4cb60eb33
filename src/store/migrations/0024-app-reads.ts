// What the app's pages read at 100,000 accounts within their time (docs/benchmarks/2026-12-07-app.md):
// each account's part in its owner's oversight, kept by its evaluation beside its standing (0023), so
// that a team's or the company's oversight adds up one covering index instead of evaluating every
// account; and the indexes the outbox, the open signals past their deadline and the answer times of
// inbound contacts are read along.
import { type Kysely, sql } from 'kysely';

// The signal kinds whose value at stake counts once per account (the largest), and those whose amounts
// add up, as domain/relationship/oversight.ts classes them when this migration was written.
const relationshipKinds = [
  'neglected',
  'async-only',
  'never-spoken',
  'disengaging',
  'at-risk',
  'detractor',
  'high-effort',
  'slow-response',
  'renewal-approaching',
  'onboarding-stalled',
];

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    alter table accounts add column neglected boolean, add column async_only boolean,
      add column revenue_at_risk_minor bigint`.execute(database);
  // Accounts evaluated before this migration: their part as their open signals (the account's own, not
  // its people's) say; the next evaluation writes it as it finds it.
  await sql`
    update accounts set neglected = false, async_only = false, revenue_at_risk_minor = 0
    where health_score is not null`.execute(database);
  await sql`
    update accounts
    set neglected = found.neglected, async_only = found.async_only, revenue_at_risk_minor = found.at_risk
    from (
      select account_id, bool_or(kind = 'neglected') as neglected, bool_or(kind = 'async-only') as async_only,
        coalesce(max(value_at_stake_minor) filter (where kind = any(${relationshipKinds}::text[])), 0)
          + coalesce(sum(value_at_stake_minor) filter (where kind = 'payment-late'), 0) as at_risk
      from signals where cleared_at is null and contact_id is null group by account_id
    ) found where found.account_id = accounts.id`.execute(database);
  await sql`
    -- A book's accounts per tier with their parts, read from the index alone; and its most valuable
    -- neglected accounts, the first few along an index.
    create index accounts_oversight on accounts (owner_email, tier)
      include (neglected, async_only, revenue_at_risk_minor);
    create index accounts_neglected_by_value on accounts (owner_email, value_minor desc nulls last, id collate "C")
      where neglected;
    -- A person's open signals past their deadline.
    create index signals_open_deadline on signals (owner_email, deadline_at) where cleared_at is null;
    -- The inbound contacts of the last days, for answer times.
    create index account_facts_by_name on account_facts (name, occurred_at);
    -- The outbox newest first, for everyone or along one account.
    create index outbox_created on outbox (created_at desc);
    create index outbox_account on outbox (account_id, created_at desc);
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`
    drop index outbox_account; drop index outbox_created; drop index account_facts_by_name;
    drop index signals_open_deadline;
    drop index accounts_neglected_by_value; drop index accounts_oversight;
    alter table accounts drop column revenue_at_risk_minor, drop column async_only, drop column neglected;
  `.execute(database);
}
