// When each account is next looked at by time alone, and the claims on those due-times. Two of them:
// `next_check_at`, the exact instant at which time raises or clears a signal, and `refresh_due_at`,
// the daily look at what drifts a little every day. Claims lock with FOR UPDATE SKIP LOCKED, so
// engines in any number of processes share the work without waiting for one another.
import { sql, type Kysely, type Transaction } from 'kysely';
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
export async function claimDueAccounts(trx: Transaction<Database>, lane: TimeLane, now: Date, limit: number): Promise<ClaimedAccount[]> {
  const column = dueColumn[lane];
  return trx.selectFrom('accounts').select(['id', 'owner_email']).where(column, '<=', now).orderBy(column).limit(limit).forUpdate().skipLocked().execute();
}

export interface PlannedCheck {
  readonly accountId: string;
  /** The evaluation's next deadline; null when only events can change its signals. */
  readonly at: Date | null;
}

/**
 * The write that stores what evaluated accounts asked for: their next deadline (replacing the one they
 * had, which this evaluation answered or found stale), and the next daily refresh. The rows are locked
 * from the claim to here, so nobody can have set another due-time in between. A part of a statement
 * (writeTogether); none when there is nothing to plan.
 */
export function nextCheckWrites(plans: readonly PlannedCheck[], refreshAt: Date): WritePart[] {
  if (plans.length === 0) return [];
  return [{
    name: 'planned',
    statement: sql`update accounts set next_check_at = planned.at, refresh_due_at = ${refreshAt}
      from unnest(${plans.map((plan) => plan.accountId)}::text[], ${plans.map((plan) => plan.at?.toISOString() ?? null)}::timestamptz[]) as planned(id, at)
      -- An unchanged row is not rewritten: both columns are indexed, so every update adds an entry to
      -- each of the table's indexes, and an account evaluated again the same day mostly plans the same.
      where accounts.id = planned.id and (accounts.next_check_at is distinct from planned.at or accounts.refresh_due_at is distinct from ${refreshAt}::timestamptz)`,
  }];
}

/** The earliest deadline after `now` and at or before `until`, for a clock that moves in steps. */
export async function nextDeadline(database: Kysely<Database>, now: Date, until: Date): Promise<Date | null> {
  const row = await database.selectFrom('accounts').select((eb) => eb.fn.min('next_check_at').as('at')).where('next_check_at', '>', now).where('next_check_at', '<=', until).executeTakeFirst();
  return row?.at ? new Date(row.at as Date) : null;
}
