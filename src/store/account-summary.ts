// What the top of an account's page shows, in one read: the account (name, tier, value, owner), its
// standing at the last evaluation (health, last substantive contact) and its open signals.
import type { Kysely } from 'kysely';
import type { Book } from '../domain/viewer.js';
import { personInBook } from './book-scope.js';
import type { Database } from './schema.js';

export interface OpenSignalRow {
  readonly id: string;
  readonly kind: string;
  readonly contactId: string | null;
  readonly severity: number;
  readonly valueAtStakeMinor: number;
  readonly reasons: string[];
  readonly ownerEmail: string | null;
  readonly raisedAt: Date;
  readonly deadlineAt: Date | null;
}

export interface AccountSummaryRow {
  readonly id: string;
  readonly name: string | null;
  readonly plan: string | null;
  readonly tier: string | null;
  readonly lifecycleStage: string | null;
  readonly revenueMinor: number | null;
  readonly profitMinor: number | null;
  readonly valueMinor: number | null;
  readonly currency: string | null;
  readonly ownerEmail: string | null;
  /** Whether the owner is a Tend user (an owner trait may name anyone), and their name. */
  readonly ownerKnown: boolean;
  readonly ownerName: string | null;
  readonly healthScore: number | null;
  readonly lastContactAt: Date | null;
  readonly createdAt: Date;
  /** Most severe first. */
  readonly openSignals: readonly OpenSignalRow[];
}

/** The account if it is in the book, else null: outside the book an account is as unknown as a wrong id. */
export async function accountSummary(
  database: Kysely<Database>,
  accountId: string,
  book: Book,
): Promise<AccountSummaryRow | null> {
  const row = await database
    .selectFrom('accounts')
    .leftJoin('users', 'users.email', 'accounts.owner_email')
    .select([
      'accounts.id',
      'accounts.name',
      'accounts.plan',
      'accounts.tier',
      'accounts.lifecycle_stage',
      'accounts.revenue_minor',
      'accounts.profit_minor',
      'accounts.value_minor',
      'accounts.currency',
      'accounts.owner_email',
      'users.email as user_email',
      'users.name as owner_name',
      'accounts.health_score',
      'accounts.last_contact_at',
      'accounts.created_at',
    ])
    .where('accounts.id', '=', accountId)
    .where(personInBook(book, 'accounts.owner_email'))
    .executeTakeFirst();
  if (!row) return null;
  const signals = await database
    .selectFrom('signals')
    .select(['id', 'kind', 'contact_id', 'severity', 'value_at_stake_minor', 'reasons', 'owner_email', 'raised_at'])
    .select('deadline_at')
    .where('account_id', '=', accountId)
    .where('cleared_at', 'is', null)
    .orderBy('severity', 'desc')
    .orderBy('raised_at', 'desc')
    .execute();
  return {
    id: row.id,
    name: row.name,
    plan: row.plan,
    tier: row.tier,
    lifecycleStage: row.lifecycle_stage,
    revenueMinor: row.revenue_minor,
    profitMinor: row.profit_minor,
    valueMinor: row.value_minor,
    currency: row.currency,
    ownerEmail: row.owner_email,
    ownerKnown: row.user_email !== null,
    ownerName: row.owner_name,
    healthScore: row.health_score,
    lastContactAt: row.last_contact_at,
    createdAt: row.created_at,
    openSignals: signals.map((signal) => ({
      id: signal.id,
      kind: signal.kind,
      contactId: signal.contact_id,
      severity: signal.severity,
      valueAtStakeMinor: signal.value_at_stake_minor,
      reasons: signal.reasons,
      ownerEmail: signal.owner_email,
      raisedAt: signal.raised_at,
      deadlineAt: signal.deadline_at,
    })),
  };
}
