// The state of the daily purchase model (BG/NBD), for admins only: the latest fits, whether each
// converged and with what log-likelihood, and the fit whose P(alive) the accounts hold now.
import { type Static, type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { type PurchaseFitOutcome, purchaseFitOutcomes } from '../domain/models/purchase-fit-verdict.js';
import { minimumRepeatBuyers, purchaseEventName } from '../engine/purchase-model.js';
import { type PurchaseModelFitRecord, purchaseModelFits } from '../store/purchase-model-fits.js';
import type { Database } from '../store/schema.js';
import type { Credentials } from './credentials.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const PurchaseModelFit = Type.Object({
  fittedAt: Type.String({ format: 'date-time' }),
  outcome: Type.Unsafe<PurchaseFitOutcome>(
    Type.Union(
      purchaseFitOutcomes.map((outcome) => Type.Literal(outcome)),
      { description: 'only `fitted` sets P(alive)' },
    ),
  ),
  customers: Type.Integer({ description: 'accounts with a purchase' }),
  repeatBuyers: Type.Integer({ description: 'of those, accounts that bought on more than one day' }),
  converged: Nullable(Type.Boolean()),
  logLikelihood: Nullable(Type.Number()),
  parameters: Nullable(Type.Object({ r: Type.Number(), alpha: Type.Number(), a: Type.Number(), b: Type.Number() })),
  evaluations: Nullable(Type.Integer({ description: 'evaluations of the likelihood the optimiser made' })),
  accountsUpdated: Type.Integer({ description: 'accounts whose P(alive) this fit set' }),
  reason: Nullable(Type.String({ description: 'why it was skipped or not used' })),
});
type PurchaseModelFit = Static<typeof PurchaseModelFit>;

const PurchaseModelState = Type.Object({
  purchaseEvent: Type.String(),
  minimumRepeatBuyers: Type.Integer(),
  latest: Nullable(PurchaseModelFit),
  inUse: Nullable(PurchaseModelFit),
  recent: Type.Array(PurchaseModelFit),
});

const view = (fit: PurchaseModelFitRecord): PurchaseModelFit => ({ ...fit, fittedAt: fit.fittedAt.toISOString() });

export async function modelRoutes(
  plain: FastifyInstance,
  dependencies: { database: Kysely<Database>; credentials: Credentials },
): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  server.addHook('onRequest', async (request) => dependencies.credentials.authenticateAdmin(request));
  server.get(
    '/api/v1/models/purchase',
    {
      schema: {
        tags: ['models'],
        summary:
          'The daily purchase model (BG/NBD): its latest fits, and the one whose P(alive) accounts hold ' +
          '(a fit that did not converge sets none)',
        security: [{ session: [] }, { adminToken: [] }],
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 365, default: 30, description: 'how many recent fits' }),
        }),
        response: { 200: PurchaseModelState },
      },
    },
    async (request) => {
      const { recent, inUse } = await purchaseModelFits(dependencies.database, request.query.limit);
      return {
        purchaseEvent: purchaseEventName,
        minimumRepeatBuyers,
        latest: recent[0] ? view(recent[0]) : null,
        inUse: inUse ? view(inUse) : null,
        recent: recent.map(view),
      };
    },
  );
}
