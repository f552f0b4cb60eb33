// The record of the health score's weekly fits (migration 0027): the weights each put in effect (learned,
// or the hand weights kept, and why), the churn model, and the fit's out-of-time quality.
import type { Kysely } from 'kysely';
import type { CalibrationBin } from '../domain/models/churn-classifier.js';
import {
  type HealthComponentName,
  type HealthModel,
  handModel,
  healthComponentNames,
  weightsOf,
} from '../domain/relationship/health-model.js';
import type { HealthFitQuality } from '../domain/relationship/health-learning.js';
import type { HealthWeights } from '../domain/relationship/health-weights.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';

export interface HealthFitRecord {
  readonly id: string;
  readonly fittedAt: Date;
  readonly status: 'learned' | 'fallback';
  /** Why the hand weights were kept; null when learned. */
  readonly reason: string | null;
  /** The weights in effect after this fit. */
  readonly weights: HealthWeights;
  /** The churn model on the shortfalls (on all samples when learned, on the older weeks otherwise); null: none. */
  readonly coefficients: HealthWeights | null;
  readonly intercept: number | null;
  readonly samples: number;
  readonly lostAccounts: number;
  readonly quality: HealthFitQuality | null;
  /** The first and last sample day read (YYYY-MM-DD). */
  readonly window: { readonly firstDay: string; readonly lastDay: string } | null;
}

/** A number JSON and the API can carry. */
const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

export async function recordHealthFit(
  database: Kysely<Database>,
  fit: Omit<HealthFitRecord, 'id'>,
): Promise<HealthFitRecord> {
  const id = newId(fit.fittedAt.getTime());
  const { quality } = fit;
  await database
    .insertInto('health_model_fits')
    .values({
      id,
      fitted_at: fit.fittedAt,
      status: fit.status,
      reason: fit.reason,
      weights: JSON.stringify(fit.weights),
      coefficients: fit.coefficients === null ? null : JSON.stringify(fit.coefficients),
      intercept: fit.intercept === null ? null : finite(fit.intercept),
      samples: fit.samples,
      lost_accounts: fit.lostAccounts,
      test_samples: quality?.testSamples ?? null,
      test_losses: quality?.testLosses ?? null,
      auc: quality === null ? null : finite(quality.auc),
      score_auc: quality === null ? null : finite(quality.scoreAuc),
      hand_auc: quality === null ? null : finite(quality.handAuc),
      brier: quality === null ? null : finite(quality.brier),
      calibration: quality === null ? null : JSON.stringify(quality.calibration),
      first_sample_day: fit.window?.firstDay ?? null,
      last_sample_day: fit.window?.lastDay ?? null,
    })
    .execute();
  return { id, ...fit };
}

/** The latest fit's id and time: cheap (the index alone), to learn whether another process has refitted. */
export async function latestHealthFitStamp(
  database: Kysely<Database>,
): Promise<{ readonly id: string; readonly fittedAt: Date } | null> {
  const row = await database
    .selectFrom('health_model_fits')
    .select(['id', 'fitted_at'])
    .orderBy('fitted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, fittedAt: new Date(row.fitted_at) } : null;
}

/** Weights as recorded: a fit from before a component existed gives it none (0) until the next fit. */
function withEveryComponent(recorded: unknown): HealthWeights {
  const given = recorded as Partial<Record<HealthComponentName, number>>;
  return weightsOf(healthComponentNames.map((name) => given[name] ?? 0));
}

/** The latest fit, whose weights are in effect; null before the first. */
export async function latestHealthFit(database: Kysely<Database>): Promise<HealthFitRecord | null> {
  const row = await database
    .selectFrom('health_model_fits')
    .selectAll()
    .orderBy('fitted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const number = (value: number | null) => value ?? Number.NaN;
  return {
    id: row.id,
    fittedAt: new Date(row.fitted_at),
    status: row.status,
    reason: row.reason,
    weights: withEveryComponent(row.weights),
    coefficients: row.coefficients === null ? null : withEveryComponent(row.coefficients),
    intercept: row.intercept,
    samples: row.samples,
    lostAccounts: row.lost_accounts,
    quality:
      row.test_samples === null
        ? null
        : {
            testSamples: row.test_samples,
            testLosses: row.test_losses ?? 0,
            auc: number(row.auc),
            scoreAuc: number(row.score_auc),
            handAuc: number(row.hand_auc),
            brier: number(row.brier),
            calibration: (row.calibration ?? []) as CalibrationBin[],
          },
    window:
      row.first_sample_day === null || row.last_sample_day === null
        ? null
        : { firstDay: row.first_sample_day, lastDay: row.last_sample_day },
  };
}

/** The model a fit puts in effect: its learned weights and churn model, or the hand weights. */
export function modelOfFit(fit: HealthFitRecord | null): HealthModel {
  if (fit === null || fit.status !== 'learned' || fit.coefficients === null || fit.intercept === null) return handModel;
  return {
    source: 'learned',
    fitId: fit.id,
    weights: fit.weights,
    churn: { intercept: fit.intercept, coefficients: fit.coefficients },
  };
}
