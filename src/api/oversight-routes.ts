// The Oversight page: a manager's team (their own), or, for an admin, any manager's team or the whole
// company. The numbers are those of GET /api/v1/users/{id}/oversight (engine/rep-views.ts). Reps: 403.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import { mayViewUser } from '../domain/viewer.js';
import { companyOversight, oversightFor } from '../engine/rep-views.js';
import type { Database } from '../store/schema.js';
import { appSecurity } from './account-list-routes.js';
import type { Credentials } from './credentials.js';
import { List, Person, RepOversight, SellerLosingCustomers, Text, Time } from './relationship-schemas.js';

export const CompanyOversight = Type.Object(
  {
    manager: Type.Union([Person, Type.Null()], { description: 'null: the whole company' }),
    asOf: Time,
    reps: List(RepOversight),
    sellersLosingCustomers: List(SellerLosingCustomers, {
      description:
        "sellers (of the team, or of the company) whose customers leave markedly faster than the company's: " +
        'GET /api/v1/reports/retention?by=seller has their figures',
    }),
    unowned: Type.Optional(
      Type.Object(
        {
          accounts: Type.Integer({ description: 'how many accounts have no owner' }),
          neglected: Type.Integer({ description: 'how many of them are neglected' }),
          mostValuable: List(Type.Object({ accountId: Type.String(), name: Text, valueMinor: Type.Number() }), {
            description: 'the most valuable of them, at most 10 (all: GET /api/v1/accounts?ownerId=none)',
          }),
          revenueAtRisk: List(Type.Object({ currency: Text, amountMinor: Type.Number() }), {
            description: 'money at risk on them per currency (minor units), the largest first',
          }),
        },
        {
          description:
            'the whole company only: accounts nobody owns, whose signals reach nobody and which no today list shows',
        },
      ),
    ),
  },
  { title: 'CompanyOversight' },
);

export interface OversightDependencies {
  readonly database: Kysely<Database>;
  readonly credentials: Credentials;
  readonly clock: Clock;
  readonly config: TendConfig;
}

export async function oversightRoutes(plain: FastifyInstance, dependencies: OversightDependencies): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, credentials, clock, config } = dependencies;
  server.addHook('onRequest', async (request) => credentials.authenticate(request));
  const context = { database, clock, config };

  server.get(
    '/api/v1/oversight',
    {
      schema: {
        tags: ['relationship'],
        summary: "Oversight: a manager's team (their own), or for an admin any manager's team or the whole company",
        description: 'Without managerId: your own team as a manager, the whole company as an admin. Reps: 403.',
        security: appSecurity,
        querystring: Type.Object({
          managerId: Type.Optional(Type.String({ minLength: 1, description: "the manager's user id or e-mail" })),
        }),
        response: { 200: CompanyOversight },
      },
    },
    async (request) => {
      const viewer = credentials.viewerOf(request);
      const mayView = (email: string) => mayViewUser(viewer, email);
      const { managerId } = request.query;
      switch (viewer.kind) {
        case 'rep':
          throw new TendError('forbidden', 'Oversight is for managers and admins: your own book is your today list.', [
            { field: 'role', message: 'must be manager or admin' },
          ]);
        case 'manager':
          return oversightFor(context, managerId ?? viewer.user.id, mayView);
        case 'admin':
          return managerId === undefined ? companyOversight(context) : oversightFor(context, managerId, mayView);
      }
    },
  );
}
