// For customers who buy when they like (no contract), Tend fits the BG/NBD model on every account's
// purchase history once a day and stores each account's P(alive): the chance it is still a customer
// at all. A frequent buyer who has gone quiet gets a low P(alive) long before anyone would notice.
// Only a fit that converged sets P(alive); after one that did not (or failed), every account keeps the
// value the last good fit gave it, and an account new since then has none. Each fit is recorded.
import { type Kysely, sql } from 'kysely';
import { type BgNbdParameters, bgNbdProbabilityAlive, fitBgNbd, type ModelFit } from '../domain/models/bg-nbd.js';
import { groupHistories, type HistoryGroup } from '../domain/models/customer-summary.js';
import {
  outcomeOf,
  purchaseBaseVerdict,
  purchaseFitVerdict,
  type PurchaseFitVerdict,
} from '../domain/models/purchase-fit-verdict.js';
import { type PurchaseModelFitRecord, recordPurchaseModelFit } from '../store/purchase-model-fits.js';
import type { Database } from '../store/schema.js';

/** Purchases of non-contractual customers. */
export const purchaseEventName = 'Order Completed';
/** Below this many buyers with repeat purchases the fit says too little to act on. */
export const minimumRepeatBuyers = 20;

const weekMilliseconds = 7 * 86_400_000;

type PurchaseModelFitter = (groups: readonly HistoryGroup[]) => ModelFit<BgNbdParameters>;

export interface PurchaseModelOptions {
  /** The fit itself (default: BG/NBD by maximum likelihood); a seam for tests that need one that fails. */
  readonly fitter?: PurchaseModelFitter;
  /** Told, at warn, when a fit ran but was not used, and why. */
  readonly onWarning?: (message: string, details: Record<string, unknown>) => void;
}

/**
 * Refits the model, stores P(alive) per account if the fit converged, and records the fit; returns
 * the record (its outcome says whether P(alive) was written, its reason why not).
 */
export async function refreshProbabilityAlive(
  database: Kysely<Database>,
  now: Date,
  options: PurchaseModelOptions = {},
): Promise<PurchaseModelFitRecord> {
  const rows = await sql<{ account_id: string; days: number; first_day: string; last_day: string }>`
    select account_id, count(distinct (occurred_at at time zone 'UTC')::date)::int8 as days,
           min((occurred_at at time zone 'UTC')::date)::text as first_day,
           max((occurred_at at time zone 'UTC')::date)::text as last_day
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
    return {
      accountId: row.account_id,
      frequency: Number(row.days) - 1,
      recency: (last - first) / weekMilliseconds,
      age: Math.max((today - first) / weekMilliseconds, 1 / 7),
    };
  });
  const repeatBuyers = histories.filter((history) => history.frequency > 0).length;
  const base = { customers: histories.length, repeatBuyers };
  const verdict: PurchaseFitVerdict =
    purchaseBaseVerdict(base, minimumRepeatBuyers) ??
    purchaseFitVerdict(attemptFit(options.fitter ?? fitBgNbd, groupHistories(histories)));
  let accountsUpdated = 0;
  if (verdict.kind === 'use') {
    const ids = histories.map((history) => history.accountId);
    const probabilities = histories.map((history) => bgNbdProbabilityAlive(verdict.fit.parameters, history));
    for (let start = 0; start < ids.length; start += 5000) {
      const part = { ids: ids.slice(start, start + 5000), probabilities: probabilities.slice(start, start + 5000) };
      await sql`
        update accounts set probability_alive = fitted.p
        from unnest(${part.ids}::text[], ${part.probabilities}::float8[]) as fitted(id, p)
        where accounts.id = fitted.id`.execute(database);
    }
    accountsUpdated = ids.length;
  }
  const fit = verdict.kind === 'skip' ? null : verdict.fit;
  const record: PurchaseModelFitRecord = {
    fittedAt: now,
    outcome: outcomeOf(verdict),
    ...base,
    converged: fit?.converged ?? null,
    logLikelihood: fit?.logLikelihood ?? null,
    parameters: fit?.parameters ?? null,
    evaluations: fit?.evaluations ?? null,
    accountsUpdated,
    reason: verdict.kind === 'use' ? null : verdict.reason,
  };
  await recordPurchaseModelFit(database, record);
  if (verdict.kind === 'refuse') {
    const { fittedAt, outcome, customers, converged, logLikelihood, evaluations, reason } = record;
    options.onWarning?.(
      `The daily purchase-model fit was not used (${reason}): accounts keep the P(alive) of the last fit that ` +
        'converged.',
      { fittedAt: fittedAt.toISOString(), outcome, customers, repeatBuyers, converged, logLikelihood, evaluations },
    );
  }
  return record;
}

/** Runs the fit; an error it throws (bad data, a numerical failure) is an outcome, not a failed day. */
function attemptFit(
  fitter: PurchaseModelFitter,
  groups: readonly HistoryGroup[],
): { fit: ModelFit<BgNbdParameters> } | { error: unknown } {
  try {
    return { fit: fitter(groups) };
  } catch (error) {
    return { error };
  }
}
