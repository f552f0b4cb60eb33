// The record of the daily purchase-model fits (migration 0014): each fit's outcome and figures, kept so
// that the API can show the state of the model and which fit accounts' P(alive) values come from.
import type { Kysely } from 'kysely';
import type { BgNbdParameters } from '../domain/models/bg-nbd.js';
import type { PurchaseFitOutcome } from '../domain/models/purchase-fit-verdict.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';

export interface PurchaseModelFitRecord {
  readonly fittedAt: Date;
  readonly outcome: PurchaseFitOutcome;
  readonly customers: number;
  readonly repeatBuyers: number;
  /** null when no fit ran (skipped, or it threw). */
  readonly converged: boolean | null;
  readonly logLikelihood: number | null;
  readonly parameters: BgNbdParameters | null;
  readonly evaluations: number | null;
  /** Accounts whose P(alive) this fit set (0 unless fitted). */
  readonly accountsUpdated: number;
  /** Why it was skipped or refused; null when fitted. */
  readonly reason: string | null;
}

/** A number JSON and the API can carry: non-finite ones are stored as null (the reason says why). */
const finite = (value: number | null): number | null => (value !== null && Number.isFinite(value) ? value : null);

export async function recordPurchaseModelFit(database: Kysely<Database>, fit: PurchaseModelFitRecord): Promise<void> {
  const storable = fit.parameters !== null && Object.values(fit.parameters).every(Number.isFinite);
  const parameters = storable ? JSON.stringify(fit.parameters) : null;
  await database
    .insertInto('purchase_model_fits')
    .values({
      id: newId(fit.fittedAt.getTime()),
      fitted_at: fit.fittedAt,
      outcome: fit.outcome,
      customers: fit.customers,
      repeat_buyers: fit.repeatBuyers,
      converged: fit.converged,
      log_likelihood: finite(fit.logLikelihood),
      parameters,
      evaluations: fit.evaluations,
      accounts_updated: fit.accountsUpdated,
      reason: fit.reason,
    })
    .execute();
}

/** The most recent fits, newest first, and the last that set P(alive) (which may be older than all of them). */
export async function purchaseModelFits(
  database: Kysely<Database>,
  limit: number,
): Promise<{ recent: PurchaseModelFitRecord[]; inUse: PurchaseModelFitRecord | null }> {
  const newestFirst = database
    .selectFrom('purchase_model_fits')
    .selectAll()
    .orderBy('fitted_at', 'desc')
    .orderBy('id', 'desc');
  const recent = await newestFirst.limit(limit).execute();
  const inUse = await newestFirst.where('outcome', '=', 'fitted').limit(1).executeTakeFirst();
  const view = (row: (typeof recent)[number]): PurchaseModelFitRecord => ({
    fittedAt: new Date(row.fitted_at),
    outcome: row.outcome as PurchaseFitOutcome,
    customers: row.customers,
    repeatBuyers: row.repeat_buyers,
    converged: row.converged,
    logLikelihood: row.log_likelihood,
    parameters: row.parameters as BgNbdParameters | null,
    evaluations: row.evaluations,
    accountsUpdated: row.accounts_updated,
    reason: row.reason,
  });
  return { recent: recent.map(view), inUse: inUse ? view(inUse) : null };
}
