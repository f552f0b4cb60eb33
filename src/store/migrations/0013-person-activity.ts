// Activity per person, beside the account's: the daily counts of the disengagement activities for
// each person in an account, so that a person who drifts below their own normal is noticed even while
// the account as a whole looks fine (the champion who stopped signing in while colleagues carry on).
// Keyed by account first: an evaluation reads all of an account's people at once. Signals get the
// person they are about, when they are about one person rather than the account.
//
// The last 26 weeks of the default activity (Signed In) are copied from the events, so people have a
// baseline at once; other configured activities build theirs from the upgrade on.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    create table contact_activity_days (
      account_id text not null,
      activity text not null,
      day date not null,
      contact_id text not null,
      count int not null,
      primary key (account_id, activity, day, contact_id)
    );
  `.execute(database);
  // Under the person's current id (an alias merged since counts as the one it was merged into).
  await sql`insert into contact_activity_days (account_id, activity, day, contact_id, count)
    select events.account_id, events.name, (events.occurred_at at time zone 'UTC')::date,
           coalesce(contact_aliases.contact_id, events.contact_id), count(*)
    from events left join contact_aliases on contact_aliases.alias = events.contact_id
    where events.account_id is not null and events.contact_id is not null and events.name = 'Signed In'
      and events.occurred_at > now() - interval '182 days'
    group by 1, 2, 3, 4`.execute(database);
  // Last: the signals table is locked from here to the commit, so not through the copy above.
  await sql`alter table signals add column contact_id text`.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`alter table signals drop column contact_id; drop table contact_activity_days;`.execute(database);
}
