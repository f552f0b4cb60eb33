// An account's health: the day's row an evaluation writes, and the reads of the latest score with its
// components and reasons, and of the daily history.
import { type Kysely, sql } from 'kysely';
import type { HealthComponent } from '../domain/relationship/health-score.js';
import type { Book } from '../domain/viewer.js';
import { accountInBook } from './book-scope.js';
import type { Database } from './schema.js';
import type { WritePart } from './write-together.js';

export interface HealthRow {
  readonly account_id: string;
  /** YYYY-MM-DD, UTC. */
  readonly day: string;
  readonly score: number;
  /** JSON text. */
  readonly components: string;
  /** JSON text. */
  readonly top_reasons: string;
  readonly computed_at: Date;
}

/** The write of the day's health rows (the last evaluation of the day wins), as a part of a statement. */
export function healthWrites(rows: readonly HealthRow[]): WritePart[] {
  if (rows.length === 0) return [];
  // Arrays rather than a row of parameters each: the statement's text stays the same (prepared-statements).
  const column = <K extends keyof HealthRow>(key: K) => rows.map((row) => row[key]);
  const statement = sql`insert into health_scores (account_id, day, score, components, top_reasons, computed_at)
    select * from unnest(${column('account_id')}::text[], ${column('day')}::date[], ${column('score')}::int[],
      ${column('components')}::jsonb[], ${column('top_reasons')}::jsonb[], ${column('computed_at')}::timestamptz[])
    on conflict (account_id, day) do update set score = excluded.score, components = excluded.components,
      top_reasons = excluded.top_reasons, computed_at = excluded.computed_at`;
  return [{ name: 'health', statement }];
}

/** The account's latest score and its history; null for an account unknown, not scored yet, or outside the book. */
export async function accountHealth(database: Kysely<Database>, accountId: string, book: Book, historyDays = 90) {
  const rows = await database
    .selectFrom('health_scores')
    .selectAll()
    .where('account_id', '=', accountId)
    .where(accountInBook(book, 'health_scores.account_id'))
    .orderBy('day', 'desc')
    .limit(historyDays)
    .execute();
  const latest = rows[0];
  if (!latest) return null;
  const oldest = rows[rows.length - 1];
  return {
    accountId,
    score: latest.score,
    day: latest.day,
    computedAt: latest.computed_at.toISOString(),
    components: latest.components as HealthComponent[],
    reasons: latest.top_reasons,
    trend: oldest && oldest !== latest ? { since: oldest.day, change: latest.score - oldest.score } : null,
    history: rows.map((row) => ({ day: row.day, score: row.score })).reverse(),
  };
}
