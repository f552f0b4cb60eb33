// A person's rights over their data (GDPR articles 15 and 17), for admins only: an export of
// everything Tend holds about them, and their erasure. Both are recorded in the audit log.
import { Readable } from 'node:stream';
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import { recordAuditEntry } from '../store/audit-log.js';
import { openContactExport } from '../store/contact-export.js';
import { erasePerson } from '../store/erasure.js';
import type { Database } from '../store/schema.js';
import type { Credentials } from './credentials.js';

const Json = Type.Record(Type.String(), Type.Unknown());
const Time = Type.String({ format: 'date-time' });
const OptionalTime = Type.Union([Time, Type.Null()]);
const Text = Type.Union([Type.String(), Type.Null()]);
const Id = Type.String();

const ContactExport = Type.Object({
  userId: Id,
  exportedAt: Time,
  contact: Type.Object({
    userId: Id,
    email: Text,
    phone: Text,
    name: Text,
    language: Text,
    timezone: Text,
    traits: Json,
    accountId: Text,
    createdAt: Time,
    updatedAt: Time,
  }),
  knownAs: Type.Object(
    { userIds: Type.Array(Id), anonymousIds: Type.Array(Id) },
    { description: 'other ids the person is known by (merged user ids, anonymous ids)' },
  ),
  accounts: Type.Array(Type.Object({ accountId: Id, name: Text, since: Time })),
  consents: Type.Array(Type.Object({ channel: Type.String(), status: Type.String(), at: Time, source: Type.String() })),
  doNotContact: Type.Array(Type.Object({ value: Type.String(), reason: Text, at: Time })),
  undeliverableAddresses: Type.Array(
    Type.Object({ address: Type.String(), status: Type.String(), reason: Type.String(), markedAt: Time }),
    { description: 'their e-mail addresses that bounced for good (no e-mail goes to them)' },
  ),
  interactions: Type.Array(
    Type.Object({
      id: Id,
      accountId: Text,
      rep: Text,
      channel: Type.String(),
      direction: Type.String(),
      actor: Type.String(),
      twoWay: Type.Boolean(),
      objective: Text,
      summary: Text,
      occurredAt: Time,
    }),
  ),
  signals: Type.Array(
    Type.Object({
      id: Id,
      accountId: Id,
      kind: Type.String(),
      severity: Type.Integer(),
      reasons: Type.Array(Type.String()),
      raisedAt: Time,
      clearedAt: OptionalTime,
    }),
  ),
  tasks: Type.Array(
    Type.Object({
      id: Id,
      accountId: Text,
      owner: Type.String(),
      objective: Type.String(),
      talkingPoints: Type.Array(Type.String()),
      dueAt: Time,
      status: Type.String(),
      outcome: Text,
      note: Text,
      createdAt: Time,
      completedAt: OptionalTime,
    }),
  ),
  journeyRuns: Type.Array(
    Type.Object({
      id: Id,
      playbookId: Type.String(),
      group: Type.String(),
      status: Type.String(),
      enteredAt: Time,
      endedAt: OptionalTime,
      endReason: Text,
      goalReached: Type.Boolean(),
    }),
  ),
  consentHistory: Type.Array(Type.Object({ id: Id, name: Type.String(), occurredAt: Time, properties: Json }), {
    description: 'Consent Changed and Unsubscribed events',
  }),
  messages: Type.Array(
    Type.Object({
      id: Id,
      channel: Type.String(),
      recipient: Text,
      status: Type.String(),
      reason: Text,
      template: Text,
      subject: Text,
      text: Text,
      html: Text,
      createdAt: Time,
      sentAt: OptionalTime,
      deliveredAt: OptionalTime,
      outcome: Text,
    }),
    { description: 'the messages Tend sent them or meant to, as rendered' },
  ),
  replies: Type.Array(Type.Object({ id: Id, occurredAt: Time, channel: Text, from: Text, subject: Text, body: Text })),
  events: Type.Array(
    Type.Object({
      id: Id,
      type: Type.String(),
      name: Text,
      accountId: Text,
      anonymousId: Text,
      source: Text,
      messageId: Type.String(),
      occurredAt: Time,
      receivedAt: Time,
      properties: Json,
      context: Json,
    }),
    { description: 'every event, oldest first' },
  ),
});

const ErasureOutcome = Type.Object({
  erasedId: Type.String({
    description: 'the pseudonym the remaining records carry (counts, account history); nothing links it to the person',
  }),
  erasedAt: Time,
  rows: Type.Record(Type.String(), Type.Integer(), { description: 'rows changed or deleted, per table' }),
});

interface PrivacyDependencies {
  readonly database: Kysely<Database>;
  readonly clock: Clock;
  readonly credentials: Credentials;
}

export async function privacyRoutes(plain: FastifyInstance, dependencies: PrivacyDependencies): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, clock, credentials } = dependencies;
  server.addHook('onRequest', async (request) => credentials.authenticateAdmin(request));
  const security: { [scheme: string]: string[] }[] = [{ session: [] }, { adminToken: [] }];
  const params = Type.Object({ userId: Type.String({ minLength: 1, maxLength: 500 }) });
  const unknown = (userId: string) =>
    new TendError(
      'not_found',
      `No contact with userId ${JSON.stringify(userId)}: Tend holds nothing under that id (it may have been erased).`,
      [{ field: 'userId', message: 'is not known' }],
    );

  // Declared on the untyped instance: the handler sends a stream, which the schema only describes.
  plain.get<{ Params: { userId: string } }>(
    '/api/v1/contacts/:userId/export',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Everything Tend holds about a person (GDPR article 15), as one JSON document',
        security,
        params,
        response: { 200: ContactExport },
      },
    },
    async (request, reply) => {
      const now = clock.now();
      const found = await openContactExport(database, request.params.userId, now);
      if (found === null) throw unknown(request.params.userId);
      const actor = credentials.actorOf(request);
      await recordAuditEntry(database, { actor, action: 'contact.exported', subject: found.userId }, now);
      // Written as it is read: a stream is sent as it is, not through the response schema's serialiser.
      reply.type('application/json; charset=utf-8').header('cache-control', 'no-store');
      return reply.send(Readable.from(found.chunks()));
    },
  );

  server.delete(
    '/api/v1/contacts/:userId',
    {
      schema: {
        tags: ['privacy'],
        summary: "Erases a person's personal data everywhere (GDPR article 17); keeps a hashed opt-out and a record",
        security,
        params,
        response: { 200: ErasureOutcome },
      },
    },
    async (request) => {
      const outcome = await erasePerson(database, request.params.userId, credentials.actorOf(request), clock.now());
      if (outcome === null) throw unknown(request.params.userId);
      return outcome;
    },
  );
}
