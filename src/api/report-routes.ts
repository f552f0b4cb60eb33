// GET /api/v1/reports/retention: retention by acquisition (by seller, channel, campaign or quarter). An
// admin sees the whole company; a manager the accounts won by their team; a rep those they won
// themselves. Each is held against the whole company's figures, which say nothing of any one account.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { retentionGroupings } from '../domain/models/retention-report.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import { bookOf } from '../domain/viewer.js';
import { retentionReportFor } from '../engine/retention-views.js';
import type { Database } from '../store/schema.js';
import { appSecurity } from './account-list-routes.js';
import type { Credentials } from './credentials.js';
import { RetentionReport } from './report-schemas.js';

export interface ReportDependencies {
  readonly database: Kysely<Database>;
  readonly credentials: Credentials;
  readonly clock: Clock;
  readonly config: TendConfig;
}

export async function reportRoutes(plain: FastifyInstance, dependencies: ReportDependencies): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, credentials, clock, config } = dependencies;
  server.addHook('onRequest', async (request) => credentials.authenticate(request));

  server.get(
    '/api/v1/reports/retention',
    {
      schema: {
        tags: ['relationship'],
        summary: 'Retention by acquisition: who won the customers, and how many stay',
        description:
          'Accounts grouped by the seller who won them (the acquiredBy trait), the acquisitionChannel, the ' +
          'campaign, or the quarter they were won in (acquiredAt, else their first appearance). An admin sees ' +
          'the whole company, a manager the accounts won by their team, a rep those they won; every group is ' +
          "held against the whole company's figures.",
        security: appSecurity,
        querystring: Type.Object({
          by: Type.Optional(
            Type.Union(
              retentionGroupings.map((grouping) => Type.Literal(grouping)),
              { description: 'how to group the accounts (default seller)' },
            ),
          ),
        }),
        response: { 200: RetentionReport },
      },
    },
    async (request) => {
      const viewer = credentials.viewerOf(request);
      return retentionReportFor({ database, clock, config }, bookOf(viewer), request.query.by ?? 'seller');
    },
  );
}
