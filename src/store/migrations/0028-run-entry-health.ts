// Each playbook run keeps its account's health score at the moment it entered, so that the results can be
// read by risk band as the accounts stood then: a day's health row is rewritten by later evaluations of
// that day, and a score read afterwards could be one the run itself changed.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    alter table journey_runs add column entry_health_score smallint;
    -- Runs from before: the latest score on or before their entry day (the day's last score, the best
    -- that is left of the moment); a run of an account never scored by then stays unscored (null).
    update journey_runs runs set entry_health_score = (
      select health.score from health_scores health
      where health.account_id = runs.account_id and health.day <= (runs.entered_at at time zone 'UTC')::date
      order by health.day desc limit 1)
    where runs.account_id is not null;
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`alter table journey_runs drop column entry_health_score`.execute(database);
}
