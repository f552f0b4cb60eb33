// Accounts with nothing but a name and a value, for tests of the evaluation's lanes and batches: each
// is a little more valuable than the one before, so the ranking into tiers is the same on every run.
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.js';

export function plainAccount(id: string, createdAt: Date, index: number): Insertable<Database['accounts']> {
  return {
    id,
    name: id,
    plan: null,
    lifecycle_stage: 'active',
    revenue_minor: 100_000 + index,
    profit_minor: 10_000 + index,
    currency: 'EUR',
    owner_email: null,
    traits: JSON.stringify({}),
    created_at: createdAt,
    updated_at: createdAt,
  };
}

export async function insertPlainAccounts(
  database: Kysely<Database>,
  ids: readonly string[],
  createdAt: Date,
): Promise<void> {
  await database
    .insertInto('accounts')
    .values(ids.map((id, index) => plainAccount(id, createdAt, index)))
    .execute();
}
