// The reads of the health score's training set: every account's stored components on a few sample days
// (by the day index, a share of the accounts on a large book), and each account's first loss.
import { type Kysely, sql } from 'kysely';
import type { ComponentScores } from '../domain/relationship/health-model.js';
import type { HealthSampleRow } from '../domain/relationship/health-training-set.js';
import type { Database } from './schema.js';

/** The most samples one fit reads: past it, a fixed share of accounts (by a hash of the id) is sampled. */
const maximumSamples = 250_000;

/**
 * Each account's component scores on each of `days` as the evaluation stored them that day. On a book too
 * large for every account, the same share of accounts each time (a hash of the id), all their days.
 */
export async function healthSampleRows(
  database: Kysely<Database>,
  days: readonly string[],
): Promise<HealthSampleRow[]> {
  if (days.length === 0) return [];
  const counted = await sql<{ accounts: number }>`select count(*)::int as accounts from accounts`.execute(database);
  const accounts = counted.rows[0]?.accounts ?? 0;
  // Of 1024 buckets of accounts, how many to read.
  const buckets = Math.max(
    1,
    Math.min(1024, Math.floor((1024 * maximumSamples) / Math.max(1, accounts * days.length))),
  );
  const rows = await sql<{ account_id: string; day: string; scores: Record<string, number | null> | null }>`
    select account_id, day::text as day,
      (select jsonb_object_agg(component->>'name', component->'score')
       from jsonb_array_elements(components) as component) as scores
    from health_scores
    where day = any(${[...days]}::date[]) and (${buckets} >= 1024 or (hashtext(account_id) & 1023) < ${buckets})
  `.execute(database);
  return rows.rows.map((row) => ({
    accountId: row.account_id,
    day: row.day,
    scores: (row.scores ?? {}) as ComponentScores,
  }));
}

/**
 * Each lost account's first loss: its first `Subscription Cancelled`, or, for an account marked churned
 * without one, the last change of its record (when it was marked, unless changed since), whichever is first.
 */
export async function firstLosses(database: Kysely<Database>, now: Date): Promise<Map<string, Date>> {
  const rows = await sql<{ account_id: string; lost_at: Date }>`
    select account_id, min(lost_at) as lost_at from (
      select account_id, first_at as lost_at from account_first_events
      where name = 'Subscription Cancelled' and first_at <= ${now}
      union all
      select id, updated_at from accounts where lifecycle_stage = 'churned' and updated_at <= ${now}
    ) as losses
    group by account_id`.execute(database);
  return new Map(rows.rows.map((row) => [row.account_id, new Date(row.lost_at)]));
}
