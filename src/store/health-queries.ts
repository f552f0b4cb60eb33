// Reads an account's health: the latest score with its components and reasons, and the daily history.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

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
