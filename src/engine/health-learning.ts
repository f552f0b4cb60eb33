// Refits the health score's weights from the book's own losses once a week (and at start when no fit is
// recent), records each fit, and holds the weights in effect in memory for the evaluation: no read per
// account. A fit another process recorded is taken up at the next look at the store.
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { type HealthModel, handModel } from '../domain/relationship/health-model.js';
import { learnHealthWeights } from '../domain/relationship/health-learning.js';
import { labelledSampleDays, labelSamples } from '../domain/relationship/health-training-set.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import { dayMs } from '../domain/relationship/time-spans.js';
import {
  type HealthFitRecord,
  latestHealthFit,
  latestHealthFitStamp,
  modelOfFit,
  recordHealthFit,
} from '../store/health-model-fits.js';
import { firstLosses, healthSampleRows } from '../store/health-samples.js';
import type { Database } from '../store/schema.js';
import type { DueWork } from './due-work.js';

/** How often the weights are refitted. */
export const refitDays = 7;

export interface HealthLearningOptions {
  readonly database: Kysely<Database>;
  readonly clock: Clock;
  readonly config: TendConfig;
  /**
   * Least real time between looks at the store for a fit another process recorded (default a minute; 0:
   * every round). This process's own fits are in effect at once.
   */
  readonly recheckMilliseconds?: number;
  /** Told about each fit recorded. */
  readonly onFit?: (fit: HealthFitRecord) => void;
}

export class HealthLearning implements DueWork<HealthFitRecord | null> {
  private fit: HealthFitRecord | null = null;
  private model: HealthModel = handModel;
  /** Real time of the last look at the store; null: not loaded yet. */
  private checkedAtMilliseconds: number | null = null;
  private refitting: Promise<HealthFitRecord> | null = null;
  /** Real time before which a weekly refit that failed is not tried again (each round would otherwise). */
  private retryAfterMilliseconds = 0;

  constructor(private readonly options: HealthLearningOptions) {}

  /** The weights in effect, for the evaluation. */
  current(): HealthModel {
    return this.model;
  }

  /** The fit in effect; null before the first. */
  latest(): HealthFitRecord | null {
    return this.fit;
  }

  /** When the weights are next refitted: a week after the last fit, or at once without one. */
  nextRefitAt(now: Date): Date {
    return this.fit === null ? now : new Date(this.fit.fittedAt.getTime() + refitDays * dayMs);
  }

  /** Takes up the latest recorded fit: at start, and whenever another process may have refitted. */
  async load(): Promise<void> {
    this.checkedAtMilliseconds = Date.now();
    const stamp = await latestHealthFitStamp(this.options.database);
    if (stamp === null || stamp.id === this.fit?.id) return;
    this.adopt(await latestHealthFit(this.options.database));
  }

  /** Refits when a week has passed since the last fit (looking first for one another process recorded). */
  async runDue(): Promise<HealthFitRecord | null> {
    const recheck = this.options.recheckMilliseconds ?? 60_000;
    if (this.checkedAtMilliseconds === null || Date.now() - this.checkedAtMilliseconds >= recheck) await this.load();
    const now = this.options.clock.now();
    if (now < this.nextRefitAt(now)) return null;
    // Another process may have refitted since this one last looked.
    if (this.fit !== null) await this.load();
    if (now < this.nextRefitAt(now) || Date.now() < this.retryAfterMilliseconds) return null;
    try {
      return await this.refit();
    } catch (error) {
      this.retryAfterMilliseconds = Date.now() + recheck;
      throw error;
    }
  }

  async nextDue(now: Date, until: Date): Promise<Date | null> {
    const at = this.nextRefitAt(now);
    return at > now && at <= until ? at : null;
  }

  /** Fits the weights now and puts the result in effect (an admin's refit, or the weekly one). */
  refit(): Promise<HealthFitRecord> {
    // One fit at a time in a process: a refit asked for while the weekly one runs gets its result.
    this.refitting ??= this.fitNow().finally(() => {
      this.refitting = null;
    });
    return this.refitting;
  }

  private async fitNow(): Promise<HealthFitRecord> {
    const { database, clock, config } = this.options;
    const now = clock.now();
    const days = labelledSampleDays(now);
    const rows = await healthSampleRows(database, days);
    const samples = labelSamples(rows, await firstLosses(database, now), now);
    const fit = learnHealthWeights(samples, config.health.weights, config.health.learning);
    const sampled = [...new Set(samples.map((sample) => sample.day))].sort();
    const firstDay = sampled[0];
    const lastDay = sampled[sampled.length - 1];
    const record = await recordHealthFit(database, {
      fittedAt: now,
      status: fit.status,
      reason: fit.status === 'learned' ? null : fit.reason,
      weights: fit.status === 'learned' ? fit.weights : config.health.weights,
      coefficients: fit.churn?.coefficients ?? null,
      intercept: fit.churn?.intercept ?? null,
      samples: fit.samples,
      lostAccounts: fit.lostAccounts,
      quality: fit.quality,
      window: firstDay === undefined || lastDay === undefined ? null : { firstDay, lastDay },
    });
    this.adopt(record);
    this.options.onFit?.(record);
    return record;
  }

  private adopt(fit: HealthFitRecord | null): void {
    this.fit = fit;
    this.model = modelOfFit(fit);
  }
}
