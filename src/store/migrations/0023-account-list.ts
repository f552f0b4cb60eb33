// The account list of the app: each account's standing as its last evaluation found it (health score,
// last substantive contact, contribution), kept on the account so that the list sorts and pages on
// indexes, and the indexes for its search (by name and id) and its filter by open signal kind.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    alter table accounts add column health_score integer, add column last_contact_at timestamptz,
      add column value_minor bigint;
    -- Keyset pages: (sort column, id) in either direction; the accounts not evaluated yet (null) come
    -- through the same index.
    create index accounts_by_value on accounts (value_minor, id);
    create index accounts_by_health on accounts (health_score, id);
    create index accounts_by_last_contact on accounts (last_contact_at, id);
    -- Search as one types: the words of the name by their beginnings (any word, so "bak" finds "Wonka
    -- Bakery"), and the id by its beginning.
    create index accounts_name_words on accounts using gin (to_tsvector('simple', coalesce(name, '')));
    create index accounts_id_prefix on accounts (lower(id) text_pattern_ops);
    create index signals_open_kind on signals (kind, account_id) where cleared_at is null;

    -- Accounts evaluated before this migration: the latest health score and the last substantive
    -- contact as the evaluation counts it (contact-audit.ts); their contribution comes with the next
    -- evaluation, at the latest the daily refresh.
    update accounts set health_score = latest.score from (
      select distinct on (account_id) account_id, score from health_scores order by account_id, day desc
    ) latest where latest.account_id = accounts.id;
    update accounts set last_contact_at = contact.at from (
      select account_id, max(occurred_at) as at from interactions
      where two_way and actor in ('rep', 'customer') and account_id is not null group by account_id
    ) contact where contact.account_id = accounts.id;
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`
    drop index signals_open_kind; drop index accounts_id_prefix; drop index accounts_name_words;
    drop index accounts_by_last_contact; drop index accounts_by_health; drop index accounts_by_value;
    alter table accounts drop column value_minor, drop column last_contact_at, drop column health_score;
  `.execute(database);
}
