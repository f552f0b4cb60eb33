// Consent and the do-not-contact list: what a contact agreed to per channel (SMS needs an opt-in before
// Tend texts anyone), read and changed by anyone whose book holds the contact; and the global list nobody
// on which is contacted, for admins only.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import { bookOf } from '../domain/viewer.js';
import {
  addDoNotContact,
  contactConsents,
  isContactInBook,
  listDoNotContact,
  removeDoNotContact,
  setContactConsent,
} from '../store/consent-store.js';
import type { Database } from '../store/schema.js';
import type { Credentials } from './credentials.js';
import { ContactConsents, DoNotContactAdded, DoNotContactList, NoContent } from './work-schemas.js';

/** One answer for a contact that does not exist and one outside the viewer's book. */
const noSuchContact = (userId: string) =>
  new TendError('not_found', `No contact with userId ${JSON.stringify(userId)}: send an identify call for it first.`, [
    { field: 'userId', message: 'is not known' },
  ]);

type Caller = { readonly headers: { readonly authorization?: string } };

export async function consentRoutes(
  plain: FastifyInstance,
  dependencies: { database: Kysely<Database>; clock: Clock; credentials: Credentials },
): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, clock, credentials } = dependencies;
  const anyone = { onRequest: async (request: Caller) => credentials.authenticate(request) };
  const adminOnly = { onRequest: async (request: Caller) => credentials.authenticateAdmin(request) };
  // A person's session (the app), or the admin token (scripts and integrations).
  const security: { [scheme: string]: string[] }[] = [{ session: [] }, { adminToken: [] }];
  const channel = Type.Union([Type.Literal('email'), Type.Literal('sms')], { description: 'email or sms' });

  server.get(
    '/api/v1/contacts/:userId/consents',
    {
      ...anyone,
      schema: {
        tags: ['consent'],
        summary: "A contact's consent per channel (a contact of the viewer's book)",
        security,
        params: Type.Object({ userId: Type.String({ minLength: 1 }) }),
        response: { 200: ContactConsents },
      },
    },
    async (request) => {
      const { userId } = request.params;
      const book = bookOf(credentials.viewerOf(request));
      if (!(await isContactInBook(database, userId, book))) throw noSuchContact(userId);
      return { userId, consents: await contactConsents(database, userId) };
    },
  );

  server.post(
    '/api/v1/contacts/:userId/consents',
    {
      ...anyone,
      schema: {
        tags: ['consent'],
        summary: "Records a contact's opt-in or opt-out for a channel (a contact of the viewer's book)",
        security,
        params: Type.Object({ userId: Type.String({ minLength: 1 }) }),
        body: Type.Object(
          {
            channel,
            status: Type.Union([Type.Literal('opted-in'), Type.Literal('opted-out')]),
            source: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ContactConsents },
      },
    },
    async (request) => {
      const { userId } = request.params;
      const which = request.body.channel;
      const source = request.body.source ?? 'admin API';
      const actor = credentials.actorOf(request);
      const book = bookOf(credentials.viewerOf(request));
      const change = { contactId: userId, channel: which, status: request.body.status, source };
      if (!(await setContactConsent(database, change, actor, clock.now(), book))) throw noSuchContact(userId);
      return { userId, consents: await contactConsents(database, userId) };
    },
  );

  const limit = Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 });
  const listing = { tags: ['consent'], summary: 'The do-not-contact list, newest first (admins)', security };
  const listSchema = { ...listing, querystring: Type.Object({ limit }), response: { 200: DoNotContactList } };
  server.get('/api/v1/do-not-contact', { ...adminOnly, schema: listSchema }, async (request) => ({
    entries: await listDoNotContact(database, request.query.limit),
  }));

  server.post(
    '/api/v1/do-not-contact',
    {
      ...adminOnly,
      schema: {
        tags: ['consent'],
        summary: 'Adds an e-mail address, a phone number (E.164) or a userId: never contacted by any playbook (admins)',
        security,
        body: Type.Object(
          {
            value: Type.String({ minLength: 3, maxLength: 320 }),
            reason: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: DoNotContactAdded },
      },
    },
    async (request, reply) => {
      const value = request.body.value.includes('@')
        ? request.body.value.trim().toLowerCase()
        : request.body.value.trim();
      const reason = request.body.reason ?? 'added through the admin API';
      await addDoNotContact(database, value, reason, credentials.actorOf(request), clock.now());
      return reply.status(201).send({ value });
    },
  );

  const removal = { tags: ['consent'], summary: 'Removes an entry from the do-not-contact list (admins)', security };
  const removalParams = Type.Object({ value: Type.String({ minLength: 1 }) });
  const removalSchema = { ...removal, params: removalParams, response: { 204: NoContent } };
  server.delete('/api/v1/do-not-contact/:value', { ...adminOnly, schema: removalSchema }, async (request, reply) => {
    const actor = credentials.actorOf(request);
    if (!(await removeDoNotContact(database, request.params.value, actor, clock.now()))) {
      const problem = { field: 'value', message: 'is not on the list' };
      const message = `${JSON.stringify(request.params.value)} is not on the do-not-contact list.`;
      throw new TendError('not_found', message, [problem]);
    }
    return reply.status(204).send();
  });
}
