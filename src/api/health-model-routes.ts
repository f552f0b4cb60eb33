// The health score's weights: the configured ones, the ones in effect (learned from the book's own losses,
// or the configured ones kept, and why), the latest fit's out-of-time quality and when it is next refitted
// (anyone signed in); and a refit now (admins).
import { type Static, type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import type { HealthWeights } from '../domain/relationship/health-weights.js';
import { lossHorizonDays, sampleWeeks } from '../domain/relationship/health-training-set.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import { dayMs } from '../domain/relationship/time-spans.js';
import { refitDays } from '../engine/health-learning.js';
import { type HealthFitRecord, latestHealthFit } from '../store/health-model-fits.js';
import type { Database } from '../store/schema.js';
import type { Credentials } from './credentials.js';
import { Nullable, OneOf } from './relationship-schemas.js';

const Weights = Type.Object(
  {
    engagement: Type.Number(),
    relationship: Type.Number(),
    voice: Type.Number(),
    effort: Type.Number(),
    money: Type.Number(),
    churnRisk: Type.Number(),
    promises: Type.Number(),
  },
  { title: 'HealthWeights' },
);

const Quality = Type.Object(
  {
    testSamples: Type.Integer({ description: 'samples of the latest labelled weeks, held out of the trial fit' }),
    testLosses: Type.Integer(),
    auc: Nullable(Type.Number({ description: "the churn probability's AUC on them, out of time" })),
    scoreAuc: Nullable(Type.Number({ description: "the learned weights' score's AUC (a lower score, more risk)" })),
    handAuc: Nullable(Type.Number({ description: "the configured weights' score's AUC on the same samples" })),
    brier: Nullable(Type.Number({ description: 'mean squared error of the churn probability' })),
    calibration: Type.Array(
      Type.Object({
        bin: Type.Integer(),
        count: Type.Integer(),
        meanPredicted: Type.Number(),
        observedRate: Type.Number(),
      }),
      { description: 'predicted against observed loss, in tenths of ascending probability' },
    ),
  },
  { title: 'HealthFitQuality' },
);

const HealthModelState = Type.Object(
  {
    handWeights: Weights,
    weights: Type.Unsafe<Static<typeof Weights>>({
      ...Weights,
      description: 'the weights in effect: learned, or the configured ones',
    }),
    source: OneOf(['learned', 'hand'] as const),
    status: OneOf(['learned', 'fallback', 'not-fitted'] as const, {
      description: 'fallback: the configured weights were kept (reason says why); not-fitted: no fit yet',
    }),
    reason: Nullable(Type.String()),
    fittedAt: Nullable(Type.String({ format: 'date-time' })),
    nextRefitAt: Type.String({ format: 'date-time', description: 'or at the next round when earlier than now' }),
    coefficients: Nullable(
      Type.Unsafe<Static<typeof Weights>>({
        ...Weights,
        description: "the churn model's log-odds per unit of shortfall ((100 − score) / 100)",
      }),
    ),
    intercept: Nullable(Type.Number()),
    samples: Type.Integer({ description: 'labelled samples: one per account per sample week' }),
    lostAccounts: Type.Integer({ description: 'distinct accounts lost within 13 weeks of a sample' }),
    minimumLostAccounts: Type.Integer({ description: 'needed to learn (health.learning.minimumLostAccounts)' }),
    horizonDays: Type.Integer({ description: 'a sample counts as lost when the account is lost within these' }),
    sampleWeeks: Type.Integer({ description: 'the weeks of sample days a fit reads' }),
    window: Nullable(
      Type.Object({ firstDay: Type.String({ format: 'date' }), lastDay: Type.String({ format: 'date' }) }),
    ),
    quality: Nullable(Quality),
  },
  { title: 'HealthModel' },
);

/** What the routes need of the learning system. */
export interface HealthRefits {
  refit(): Promise<HealthFitRecord>;
}

export interface HealthModelRouteDependencies {
  readonly database: Kysely<Database>;
  readonly credentials: Credentials;
  readonly clock: Clock;
  readonly config: TendConfig;
  readonly learning: HealthRefits;
}

export async function healthModelRoutes(
  plain: FastifyInstance,
  dependencies: HealthModelRouteDependencies,
): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, credentials, clock, config } = dependencies;
  server.addHook('onRequest', async (request) => credentials.authenticate(request));
  const security: { [scheme: string]: string[] }[] = [{ session: [] }, { adminToken: [] }];
  const view = (fit: HealthFitRecord | null) => stateOf(fit, config, clock.now());
  server.get(
    '/api/v1/health/model',
    {
      schema: {
        tags: ['relationship'],
        summary:
          "The health score's weights: configured, in effect (learned from the book's losses or kept), and the " +
          "latest fit's out-of-time quality",
        security,
        response: { 200: HealthModelState },
      },
    },
    // From the store, not this process's memory: the fit in effect may be another process's.
    async () => view(await latestHealthFit(database)),
  );
  server.post(
    '/api/v1/health/model/refit',
    {
      schema: {
        tags: ['relationship'],
        summary: "Fit the health score's weights now, from the book's own losses (admins only)",
        security,
        response: { 200: HealthModelState },
      },
      onRequest: async (request) => credentials.requireAdminViewer(request),
    },
    async () => view(await dependencies.learning.refit()),
  );
}

function stateOf(fit: HealthFitRecord | null, config: TendConfig, now: Date): Static<typeof HealthModelState> {
  const handWeights: HealthWeights = config.health.weights;
  const learned = fit?.status === 'learned';
  const finite = (value: number) => (Number.isFinite(value) ? value : null);
  const quality = fit?.quality ?? null;
  return {
    handWeights,
    weights: learned ? fit.weights : handWeights,
    source: learned ? 'learned' : 'hand',
    status: fit?.status ?? 'not-fitted',
    reason: fit === null ? 'no fit yet: the first comes when the engine starts' : fit.reason,
    fittedAt: fit?.fittedAt.toISOString() ?? null,
    nextRefitAt: new Date(fit === null ? now.getTime() : fit.fittedAt.getTime() + refitDays * dayMs).toISOString(),
    coefficients: fit?.coefficients ?? null,
    intercept: fit?.intercept ?? null,
    samples: fit?.samples ?? 0,
    lostAccounts: fit?.lostAccounts ?? 0,
    minimumLostAccounts: config.health.learning.minimumLostAccounts,
    horizonDays: lossHorizonDays,
    sampleWeeks,
    window: fit?.window ?? null,
    quality:
      quality === null
        ? null
        : {
            ...quality,
            auc: finite(quality.auc),
            scoreAuc: finite(quality.scoreAuc),
            handAuc: finite(quality.handAuc),
            brier: finite(quality.brier),
            calibration: [...quality.calibration],
          },
  };
}
