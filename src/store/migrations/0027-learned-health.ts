// The health score that learns: the record of each weekly fit of the weights (learned, or the hand weights
// kept and why, with its out-of-time quality), each day's score with the configured weights and the churn
// probability beside the score, and the indexes the fit's windowed reads use.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    create table health_model_fits (
      id uuid primary key,
      fitted_at timestamptz not null,
      status text not null check (status in ('learned', 'fallback')),
      reason text,
      weights jsonb not null,
      coefficients jsonb,
      intercept double precision,
      samples integer not null,
      lost_accounts integer not null,
      test_samples integer,
      test_losses integer,
      auc double precision,
      score_auc double precision,
      hand_auc double precision,
      brier double precision,
      calibration jsonb,
      first_sample_day date,
      last_sample_day date
    );
    create index health_model_fits_fitted on health_model_fits (fitted_at desc, id desc);
    alter table health_scores add column configured_score integer, add column churn_probability double precision;
    -- The fit reads every account's row on a few sample days: by day, not by account.
    create index health_scores_day on health_scores (day);
    -- Each account's first cancellation, read once per fit without walking every first event.
    create index account_first_events_cancelled on account_first_events (account_id, first_at)
      where name = 'Subscription Cancelled';
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`
    drop index account_first_events_cancelled; drop index health_scores_day;
    alter table health_scores drop column churn_probability, drop column configured_score;
    drop table health_model_fits;
  `.execute(database);
}
