// For customers who buy when they like (no contract), Tend fits the BG/NBD model on every account's
// purchase history once a day and stores each account's P(alive): the chance it is still a customer
// at all. A frequent buyer who has gone quiet gets a low P(alive) long before anyone would notice.
import { type Kysely, sql } from 'kysely';
import { bgNbdProbabilityAlive, fitBgNbd } from '../domain/models/bg-nbd.js';
import { groupHistories } from '../domain/models/customer-summary.js';
import type { Database } from '../store/schema.js';

/** Purchases of non-contractual customers. */
export const purchaseEventName = 'Order Completed';
/** Below this many buyers with repeat purchases the fit says too little to act on. */
export const minimumRepeatBuyers = 20;

const weekMilliseconds = 7 * 86_400_000;

/** Refits the model and stores P(alive) per account; returns how many accounts got one (0: not enough data). */
export async function refreshProbabilityAlive(database: Kysely<Database>, now: Date): Promise<number> {
  const rows = await sql<{ account_id: string; days: number; first_day: string; last_day: string }>`
    select account_id, count(distinct (occurred_at at time zone 'UTC')::date)::int8 as days,
           min((occurred_at at time zone 'UTC')::date)::text as first_day, max((occurred_at at time zone 'UTC')::date)::text as last_day
    from events
    where name = ${purchaseEventName} and account_id is not null and occurred_at <= ${now}
    group by account_id
    -- In id order: engines in other processes refit at the same midnight, and two updates taking the
    -- same rows in different orders deadlock.
    order by account_id collate "C"`.execute(database);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const histories = rows.rows.map((row) => {
    const first = Date.parse(`${row.first_day}T00:00:00Z`);
    const last = Date.parse(`${row.last_day}T00:00:00Z`);
    return { accountId: row.account_id, frequency: Number(row.days) - 1, recency: (last - first) / weekMilliseconds, age: Math.max((today - first) / weekMilliseconds, 1 / 7) };
  });
  if (histories.filter((history) => history.frequency > 0).length < minimumRepeatBuyers) return 0;
  const fit = fitBgNbd(groupHistories(histories));
  const ids = histories.map((history) => history.accountId);
  const probabilities = histories.map((history) => bgNbdProbabilityAlive(fit.parameters, history));
  for (let start = 0; start < ids.length; start += 5000) {
    await sql`
      update accounts set probability_alive = fitted.p
      from unnest(${ids.slice(start, start + 5000)}::text[], ${probabilities.slice(start, start + 5000)}::float8[]) as fitted(id, p)
      where accounts.id = fitted.id`.execute(database);
  }
  return ids.length;
}
