// An account's health: the day's row an evaluation writes, and the reads of the latest score with its
// components and reasons, and of the daily history.
import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { WritePart } from './write-together.js';

/** The write of the day's health rows (the last evaluation of the day wins), as a part of a statement. */
export function healthWrites(trx: Transaction<Database>, rows: readonly Insertable<Database['health_scores']>[]): WritePart[] {
  if (rows.length === 0) return [];
  const statement = trx
    .insertInto('health_scores')
    .values([...rows])
    .onConflict((conflict) => conflict.columns(['account_id', 'day']).doUpdateSet({ score: sql`excluded.score`, components: sql`excluded.components`, top_reasons: sql`excluded.top_reasons`, computed_at: sql`excluded.computed_at` }));
  return [{ name: 'health', statement }];
}

export async function accountHealth(database: Kysely<Database>, accountId: string, historyDays = 90) {
  const rows = await database.selectFrom('health_scores').selectAll().where('account_id', '=', accountId).orderBy('day', 'desc').limit(historyDays).execute();
  const latest = rows[0];
  if (!latest) return null;
  const oldest = rows[rows.length - 1];
  return {
    accountId,
    score: latest.score,
    day: latest.day,
    computedAt: latest.computed_at.toISOString(),
    components: latest.components,
    reasons: latest.top_reasons,
    trend: oldest && oldest !== latest ? { since: oldest.day, change: latest.score - oldest.score } : null,
    history: rows.map((row) => ({ day: row.day, score: row.score })).reverse(),
  };
}
