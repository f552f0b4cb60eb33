// An account's health: the day's row an evaluation writes, and the reads of the latest score with its
// components and reasons, and of the daily history.
import { type Kysely, sql } from 'kysely';
import type { HealthComponent, HealthScore } from '../domain/relationship/health-score.js';
import type { Book } from '../domain/viewer.js';
import { accountInBook } from './book-scope.js';
import type { Database } from './schema.js';
import type { WritePart } from './write-together.js';

export interface HealthRow {
  readonly account_id: string;
  /** YYYY-MM-DD, UTC. */
  readonly day: string;
  readonly score: number;
  /** The score with the configured weights. */
  readonly configured_score: number;
  /** null without a learned fit. */
  readonly churn_probability: number | null;
  /** JSON text. */
  readonly components: string;
  /** JSON text. */
  readonly top_reasons: string;
  readonly computed_at: Date;
}

/** The day's row of an account's score, computed at `now`. */
export function healthRowOf(accountId: string, health: HealthScore, now: Date): HealthRow {
  return {
    account_id: accountId,
    day: now.toISOString().slice(0, 10),
    score: health.score,
    configured_score: health.configuredScore,
    churn_probability: health.churnProbability,
    components: JSON.stringify(health.components),
    top_reasons: JSON.stringify(health.topReasons),
    computed_at: now,
  };
}

/** The write of the day's health rows (the last evaluation of the day wins), as a part of a statement. */
export function healthWrites(rows: readonly HealthRow[]): WritePart[] {
  if (rows.length === 0) return [];
  // Arrays rather than a row of parameters each: the statement's text stays the same (prepared-statements).
  const column = <K extends keyof HealthRow>(key: K) => rows.map((row) => row[key]);
  const statement = sql`insert into health_scores
      (account_id, day, score, configured_score, churn_probability, components, top_reasons, computed_at)
    select * from unnest(${column('account_id')}::text[], ${column('day')}::date[], ${column('score')}::int[],
      ${column('configured_score')}::int[], ${column('churn_probability')}::float8[],
      ${column('components')}::jsonb[], ${column('top_reasons')}::jsonb[], ${column('computed_at')}::timestamptz[])
    on conflict (account_id, day) do update set score = excluded.score, configured_score = excluded.configured_score,
      churn_probability = excluded.churn_probability, components = excluded.components,
      top_reasons = excluded.top_reasons, computed_at = excluded.computed_at`;
  return [{ name: 'health', statement }];
}

/** A component as stored; rows written before pulls were stored lack it. */
type StoredComponent = Omit<HealthComponent, 'pull'> & { readonly pull?: number };

/**
 * The account's latest score and its history over its last `historyDays` scored days; null for an account
 * unknown, not scored yet, or outside the book.
 */
export async function accountHealth(database: Kysely<Database>, accountId: string, book: Book, historyDays = 90) {
  const inBook = accountInBook(book, 'health_scores.account_id');
  const latest = await database
    .selectFrom('health_scores')
    .selectAll()
    .where('account_id', '=', accountId)
    .where(inBook)
    .orderBy('day', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!latest) return null;
  // The history without its components: a year of them would be most of the answer.
  const rows = await database
    .selectFrom('health_scores')
    .select(['day', 'score', 'configured_score', 'churn_probability'])
    .where('account_id', '=', accountId)
    .where(inBook)
    .orderBy('day', 'desc')
    .limit(historyDays)
    .execute();
  const oldest = rows[rows.length - 1];
  const components = (latest.components as StoredComponent[]).map((component) => ({
    ...component,
    pull: component.pull ?? (component.score === null ? 0 : component.weight * (100 - component.score)),
  }));
  return {
    accountId,
    score: latest.score,
    configuredScore: latest.configured_score,
    churnProbability: latest.churn_probability,
    weightsSource: latest.churn_probability === null ? ('hand' as const) : ('learned' as const),
    day: latest.day,
    computedAt: latest.computed_at.toISOString(),
    components,
    reasons: latest.top_reasons,
    trend: oldest && oldest.day !== latest.day ? { since: oldest.day, change: latest.score - oldest.score } : null,
    history: rows
      .map((row) => ({
        day: row.day,
        score: row.score,
        configuredScore: row.configured_score,
        churnProbability: row.churn_probability,
      }))
      .reverse(),
  };
}
