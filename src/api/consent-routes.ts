// Consent and the do-not-contact list through the admin API: what a contact agreed to per channel
// (SMS needs an opt-in before Tend texts anyone), and the global list nobody on which is contacted.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import { addDoNotContact, contactConsents, listDoNotContact, removeDoNotContact, setContactConsent } from '../store/consent-store.js';
import type { Database } from '../store/schema.js';
import type { Credentials } from './credentials.js';

export async function consentRoutes(plain: FastifyInstance, dependencies: { database: Kysely<Database>; clock: Clock; credentials: Credentials }): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, clock } = dependencies;
  server.addHook('onRequest', async (request) => dependencies.credentials.authenticateAdmin(request));
  const security = [{ adminToken: [] }];
  const channel = Type.Union([Type.Literal('email'), Type.Literal('sms')], { description: 'email or sms' });

  server.get('/api/v1/contacts/:userId/consents', { schema: { tags: ['consent'], summary: "A contact's consent per channel", security, params: Type.Object({ userId: Type.String({ minLength: 1 }) }) } }, async (request) => ({
    userId: request.params.userId,
    consents: await contactConsents(database, request.params.userId),
  }));

  server.post(
    '/api/v1/contacts/:userId/consents',
    {
      schema: {
        tags: ['consent'],
        summary: "Records a contact's opt-in or opt-out for a channel",
        security,
        params: Type.Object({ userId: Type.String({ minLength: 1 }) }),
        body: Type.Object({ channel, status: Type.Union([Type.Literal('opted-in'), Type.Literal('opted-out')]), source: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      const { userId } = request.params;
      const which = request.body.channel;
      const source = request.body.source ?? 'admin API';
      const actor = dependencies.credentials.actorOf(request);
      const change = { contactId: userId, channel: which, status: request.body.status, source };
      if (!(await setContactConsent(database, change, actor, clock.now()))) {
        throw new TendError('not_found', `No contact with userId ${JSON.stringify(userId)}: send an identify call for it first.`, [{ field: 'userId', message: 'is not known' }]);
      }
      return { userId, consents: await contactConsents(database, userId) };
    },
  );

  server.get('/api/v1/do-not-contact', { schema: { tags: ['consent'], summary: 'The do-not-contact list, newest first', security, querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 }) }) } }, async (request) => ({
    entries: await listDoNotContact(database, request.query.limit),
  }));

  server.post(
    '/api/v1/do-not-contact',
    { schema: { tags: ['consent'], summary: 'Adds an e-mail address, a phone number (E.164) or a userId: never contacted by any playbook', security, body: Type.Object({ value: Type.String({ minLength: 3, maxLength: 320 }), reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }) } },
    async (request, reply) => {
      const value = request.body.value.includes('@') ? request.body.value.trim().toLowerCase() : request.body.value.trim();
      const reason = request.body.reason ?? 'added through the admin API';
      await addDoNotContact(database, value, reason, dependencies.credentials.actorOf(request), clock.now());
      return reply.status(201).send({ value });
    },
  );

  server.delete('/api/v1/do-not-contact/:value', { schema: { tags: ['consent'], summary: 'Removes an entry from the do-not-contact list', security, params: Type.Object({ value: Type.String({ minLength: 1 }) }) } }, async (request, reply) => {
    const actor = dependencies.credentials.actorOf(request);
    if (!(await removeDoNotContact(database, request.params.value, actor, clock.now()))) {
      const problem = { field: 'value', message: 'is not on the list' };
      const message = `${JSON.stringify(request.params.value)} is not on the do-not-contact list.`;
      throw new TendError('not_found', message, [problem]);
    }
    return reply.status(204).send();
  });
}
