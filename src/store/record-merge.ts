// How a new sighting of an account or contact merges into the stored record, the same for the
// Tracking API and for CSV imports: a value given wins, a value left out keeps what was known, traits
// are merged key by key, and the record keeps the earliest creation time.
import { sql } from 'kysely';

/** The ON CONFLICT update of accounts. */
export const accountMergeSet = {
  name: sql<string | null>`coalesce(excluded.name, accounts.name)`,
  plan: sql<string | null>`coalesce(excluded.plan, accounts.plan)`,
  lifecycle_stage: sql<string | null>`coalesce(excluded.lifecycle_stage, accounts.lifecycle_stage)`,
  revenue_minor: sql<number | null>`coalesce(excluded.revenue_minor, accounts.revenue_minor)`,
  profit_minor: sql<number | null>`coalesce(excluded.profit_minor, accounts.profit_minor)`,
  currency: sql<string | null>`coalesce(excluded.currency, accounts.currency)`,
  owner_email: sql<string | null>`coalesce(excluded.owner_email, accounts.owner_email)`,
  traits: sql<string>`accounts.traits || excluded.traits`,
  created_at: sql<Date>`least(accounts.created_at, excluded.created_at)`,
  updated_at: sql<Date>`excluded.updated_at`,
};

/** Whether merging would change an account: an import of unchanged rows then writes nothing. */
export const accountMergeChanges = sql<boolean>`(coalesce(excluded.name, accounts.name),
  coalesce(excluded.plan, accounts.plan), coalesce(excluded.lifecycle_stage, accounts.lifecycle_stage),
  coalesce(excluded.revenue_minor, accounts.revenue_minor), coalesce(excluded.profit_minor, accounts.profit_minor),
  coalesce(excluded.currency, accounts.currency), coalesce(excluded.owner_email, accounts.owner_email),
  accounts.traits || excluded.traits)
  is distinct from (accounts.name, accounts.plan, accounts.lifecycle_stage, accounts.revenue_minor,
                    accounts.profit_minor, accounts.currency, accounts.owner_email, accounts.traits)`;

/** The ON CONFLICT update of contacts. */
export const contactMergeSet = {
  email: sql<string | null>`coalesce(excluded.email, contacts.email)`,
  phone: sql<string | null>`coalesce(excluded.phone, contacts.phone)`,
  name: sql<string | null>`coalesce(excluded.name, contacts.name)`,
  language: sql<string | null>`coalesce(excluded.language, contacts.language)`,
  timezone: sql<string | null>`coalesce(excluded.timezone, contacts.timezone)`,
  traits: sql<string>`contacts.traits || excluded.traits`,
  created_at: sql<Date>`least(contacts.created_at, excluded.created_at)`,
  updated_at: sql<Date>`excluded.updated_at`,
};
