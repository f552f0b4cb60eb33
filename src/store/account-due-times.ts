// When each account is next looked at by time alone, and the claims on those due-times. Two of them:
// `next_check_at`, the exact instant at which time raises or clears a signal, and `refresh_due_at`,
// the daily look at what drifts a little every day. Claims lock with FOR UPDATE SKIP LOCKED, so
// engines in any number of processes share the work without waiting for one another.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AccountOversight } from '../domain/relationship/oversight.js';
import type { Database } from './schema.js';
import type { WritePart } from './write-together.js';

/** The time-driven lanes: deadlines first, then the daily refresh. */
export type TimeLane = 'deadline' | 'refresh';

export interface ClaimedAccount {
  readonly id: string;
  readonly owner_email: string | null;
}

const dueColumn = { deadline: 'next_check_at', refresh: 'refresh_due_at' } as const satisfies Record<TimeLane, string>;

/** Locks up to `limit` accounts due in a lane at `now`, the longest due first. */
export async function claimDueAccounts(
  trx: Transaction<Database>,
  lane: TimeLane,
  now: Date,
  limit: number,
): Promise<ClaimedAccount[]> {
  const column = dueColumn[lane];
  return trx
    .selectFrom('accounts')
    .select(['id', 'owner_email'])
    .where(column, '<=', now)
    .orderBy(column)
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export interface PlannedCheck {
  readonly accountId: string;
  /** The evaluation's next deadline; null when only events can change its signals. */
  readonly at: Date | null;
  /** What the account list shows and sorts by, as this evaluation found it. */
  readonly standing: AccountStanding;
}

/**
 * An account's standing at its evaluation (accounts.health_score, last_contact_at, value_minor), and its
 * part in its owner's oversight (neglected, async_only, revenue_at_risk_minor).
 */
export interface AccountStanding extends AccountOversight {
  readonly healthScore: number;
  /** The last substantive two-way human contact; null: none known. */
  readonly lastContactAt: Date | null;
  /** The contribution the value ranking counts, minor units. */
  readonly valueMinor: number;
}

/**
 * The write that stores what evaluated accounts asked for: their next deadline (replacing the one they
 * had, which this evaluation answered or found stale), and the next daily refresh; and their standing
 * for the account list. The rows are locked from the claim to here, so nobody can have set another
 * due-time in between. A part of a statement (writeTogether); none when there is nothing to plan.
 */
export function nextCheckWrites(plans: readonly PlannedCheck[], refreshAt: Date): WritePart[] {
  if (plans.length === 0) return [];
  const iso = (at: Date | null) => at?.toISOString() ?? null;
  return [
    {
      name: 'planned',
      statement: sql`update accounts set next_check_at = planned.at, refresh_due_at = ${refreshAt},
        health_score = planned.health, last_contact_at = planned.contact, value_minor = planned.value,
        neglected = planned.neglected, async_only = planned.async_only, revenue_at_risk_minor = planned.at_risk
      from unnest(${plans.map((plan) => plan.accountId)}::text[], ${plans.map((plan) => iso(plan.at))}::timestamptz[],
        ${plans.map((plan) => plan.standing.healthScore)}::int[],
        ${plans.map((plan) => iso(plan.standing.lastContactAt))}::timestamptz[],
        ${plans.map((plan) => plan.standing.valueMinor)}::int8[],
        ${plans.map((plan) => plan.standing.neglected)}::bool[],
        ${plans.map((plan) => plan.standing.asyncOnly)}::bool[],
        ${plans.map((plan) => Math.round(plan.standing.revenueAtRiskMinor))}::int8[])
        as planned(id, at, health, contact, value, neglected, async_only, at_risk)
      -- An unchanged row is not rewritten: these columns are indexed, so every update adds an entry to
      -- each of the table's indexes, and an account evaluated again the same day mostly plans the same.
      where accounts.id = planned.id and (accounts.next_check_at is distinct from planned.at
        or accounts.refresh_due_at is distinct from ${refreshAt}::timestamptz
        or accounts.health_score is distinct from planned.health
        or accounts.last_contact_at is distinct from planned.contact
        or accounts.value_minor is distinct from planned.value or accounts.neglected is distinct from planned.neglected
        or accounts.async_only is distinct from planned.async_only
        or accounts.revenue_at_risk_minor is distinct from planned.at_risk)`,
    },
  ];
}

/** The earliest deadline after `now` and at or before `until`, for a clock that moves in steps. */
export async function nextDeadline(database: Kysely<Database>, now: Date, until: Date): Promise<Date | null> {
  const row = await database
    .selectFrom('accounts')
    .select((eb) => eb.fn.min('next_check_at').as('at'))
    .where('next_check_at', '>', now)
    .where('next_check_at', '<=', until)
    .executeTakeFirst();
  return row?.at ? new Date(row.at as Date) : null;
}
