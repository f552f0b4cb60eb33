// The state of each daily BG/NBD fit: when, on how many customers, whether it converged and with what
// log-likelihood and parameters, or why it was skipped or refused. P(alive) is only ever written from
// a fit that converged, so this is also how an operator learns which fit accounts' values come from.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    create table purchase_model_fits (
      id uuid primary key,
      fitted_at timestamptz not null,
      outcome text not null,
      customers integer not null,
      repeat_buyers integer not null,
      converged boolean,
      log_likelihood double precision,
      parameters jsonb,
      evaluations integer,
      accounts_updated integer not null,
      reason text
    );
    create index purchase_model_fits_fitted on purchase_model_fits (fitted_at desc, id desc);
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop table purchase_model_fits`.execute(database);
}
