// The read API of the records: contacts, accounts and events, for anyone signed in, within their book: an
// account outside it, a person whose account is outside it, is answered as if it did not exist.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { TendError } from '../domain/errors.js';
import { bookOf } from '../domain/viewer.js';
import { findAccount, findContact, listEvents } from '../store/read-queries.js';
import type { Database } from '../store/schema.js';
import type { Credentials } from './credentials.js';
import { Account, Contact, EventList } from './record-schemas.js';

export interface AdminDependencies {
  readonly database: Kysely<Database>;
  readonly credentials: Credentials;
}

export async function adminRoutes(plain: FastifyInstance, dependencies: AdminDependencies): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, credentials } = dependencies;
  server.addHook('onRequest', async (request) => credentials.authenticate(request));
  const security: { [scheme: string]: string[] }[] = [{ session: [] }, { adminToken: [] }];
  const bookOfRequest = (request: object) => bookOf(credentials.viewerOf(request));

  server.get(
    '/api/v1/contacts/:userId',
    {
      schema: {
        tags: ['admin'],
        summary: 'A contact of your book: traits, account, last events',
        security,
        params: Type.Object({ userId: Type.String({ minLength: 1 }) }),
        response: { 200: Contact },
      },
    },
    async (request) => {
      const { userId } = request.params;
      const contact = await findContact(database, userId, bookOfRequest(request));
      if (!contact) {
        throw new TendError(
          'not_found',
          `No contact with userId ${JSON.stringify(userId)}: send an identify or track call for it first.`,
          [{ field: 'userId', message: 'is not known' }],
        );
      }
      return contact;
    },
  );

  server.get(
    '/api/v1/accounts/:accountId',
    {
      schema: {
        tags: ['admin'],
        summary: 'An account of your book: traits, money, owner, contacts',
        security,
        params: Type.Object({ accountId: Type.String({ minLength: 1 }) }),
        response: { 200: Account },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      const account = await findAccount(database, accountId, bookOfRequest(request));
      if (!account) {
        throw new TendError(
          'not_found',
          `No account with id ${JSON.stringify(accountId)}: send a group call (or import accounts) first.`,
          [{ field: 'accountId', message: 'is not known' }],
        );
      }
      return account;
    },
  );

  server.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['admin'],
        summary: "Events of your book's accounts, newest first",
        security,
        querystring: Type.Object({
          userId: Type.Optional(Type.String({ minLength: 1 })),
          accountId: Type.Optional(Type.String({ minLength: 1 })),
          name: Type.Optional(Type.String({ minLength: 1 })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: { 200: EventList },
      },
    },
    async (request) => {
      const { userId, accountId, name, limit } = request.query;
      const filter = {
        limit,
        ...(userId === undefined ? {} : { userId }),
        ...(accountId === undefined ? {} : { accountId }),
        ...(name === undefined ? {} : { name }),
      };
      return { events: await listEvents(database, filter, bookOfRequest(request)) };
    },
  );
}
