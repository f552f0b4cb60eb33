// Oversight's money at risk per currency: the accounts with some at risk, by owner and currency, read
// from the index alone (a team's or the company's sum walks only the accounts at risk).
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`create index accounts_owner_money_at_risk on accounts (owner_email, currency, revenue_at_risk_minor)
    where revenue_at_risk_minor > 0`.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop index accounts_owner_money_at_risk`.execute(database);
}
