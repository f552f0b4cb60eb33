// The admin read API: contacts, accounts and events, behind a bearer admin token.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { TendError } from '../domain/errors.js';
import { findAccount, findContact, listEvents } from '../store/read-queries.js';
import type { Database } from '../store/schema.js';
import type { Credentials } from './credentials.js';

export interface AdminDependencies {
  readonly database: Kysely<Database>;
  readonly credentials: Credentials;
}

export async function adminRoutes(plain: FastifyInstance, dependencies: AdminDependencies): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  server.addHook('onRequest', async (request) => dependencies.credentials.authenticateAdmin(request));
  const security = [{ adminToken: [] }];

  server.get(
    '/api/v1/contacts/:userId',
    { schema: { tags: ['admin'], summary: 'A contact: traits, account, last events', security, params: Type.Object({ userId: Type.String({ minLength: 1 }) }) } },
    async (request) => {
      const contact = await findContact(dependencies.database, request.params.userId);
      if (!contact) throw new TendError('not_found', `No contact with userId ${JSON.stringify(request.params.userId)}: send an identify or track call for it first.`, [{ field: 'userId', message: 'is not known' }]);
      return contact;
    },
  );

  server.get(
    '/api/v1/accounts/:accountId',
    { schema: { tags: ['admin'], summary: 'An account: traits, money, owner, contacts', security, params: Type.Object({ accountId: Type.String({ minLength: 1 }) }) } },
    async (request) => {
      const account = await findAccount(dependencies.database, request.params.accountId);
      if (!account) throw new TendError('not_found', `No account with id ${JSON.stringify(request.params.accountId)}: send a group call (or import accounts) first.`, [{ field: 'accountId', message: 'is not known' }]);
      return account;
    },
  );

  server.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['admin'],
        summary: 'Events, newest first',
        security,
        querystring: Type.Object({
          userId: Type.Optional(Type.String({ minLength: 1 })),
          accountId: Type.Optional(Type.String({ minLength: 1 })),
          name: Type.Optional(Type.String({ minLength: 1 })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
      },
    },
    async (request) => {
      const { userId, accountId, name, limit } = request.query;
      const events = await listEvents(dependencies.database, {
        limit,
        ...(userId === undefined ? {} : { userId }),
        ...(accountId === undefined ? {} : { accountId }),
        ...(name === undefined ? {} : { name }),
      });
      return { events };
    },
  );
}
