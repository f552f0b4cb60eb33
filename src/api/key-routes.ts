// The admin API's write keys: list them, create one (answered once: only its hash is kept), revoke one
// by its prefix; for admins only. Each change is in the audit log under the admin who made it.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { type WriteKeyKind, writeKeyKinds } from '../domain/write-key-kinds.js';
import { type WriteKeyRecord, createWriteKey, listWriteKeys, revokeWriteKey } from '../store/key-registry.js';
import type { Database } from '../store/schema.js';
import type { Credentials } from './credentials.js';

export interface KeyRouteDependencies {
  readonly database: Kysely<Database>;
  readonly credentials: Credentials;
  readonly clock: Clock;
}

const WriteKeyKindSchema = Type.Unsafe<WriteKeyKind>({
  type: 'string',
  enum: [...writeKeyKinds],
  description:
    'server: every call; browser: track, page, screen and identify only, without owner, money or account traits',
});

const WriteKey = Type.Object({
  prefix: Type.String({ description: 'the start of the key kept in clear: wk_ and 4 characters (4 for a chosen key)' }),
  source: Type.String(),
  kind: WriteKeyKindSchema,
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const shown = (record: WriteKeyRecord) => ({
  prefix: record.prefix,
  source: record.source,
  kind: record.kind,
  createdAt: record.createdAt.toISOString(),
  revokedAt: record.revokedAt?.toISOString() ?? null,
});

export async function keyRoutes(plain: FastifyInstance, dependencies: KeyRouteDependencies): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, credentials, clock } = dependencies;
  server.addHook('onRequest', async (request) => credentials.authenticateAdmin(request));
  const security: { [scheme: string]: string[] }[] = [{ session: [] }, { adminToken: [] }];

  server.get(
    '/api/v1/write-keys',
    {
      schema: {
        tags: ['admin'],
        summary: 'Every write key: prefix, source, kind, when created and revoked (never the key itself)',
        security,
        response: { 200: Type.Object({ writeKeys: Type.Array(WriteKey) }) },
      },
    },
    async () => ({ writeKeys: (await listWriteKeys(database)).map(shown) }),
  );

  server.post(
    '/api/v1/write-keys',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a write key for a source (created if new); the key is in this answer only',
        security,
        body: Type.Object({
          source: Type.String({ minLength: 1, maxLength: 200, description: 'e.g. web-app' }),
          kind: Type.Optional(WriteKeyKindSchema),
        }),
        response: {
          201: Type.Object({
            key: Type.String({ description: 'the write key: shown once, Tend keeps only its hash' }),
            writeKey: WriteKey,
          }),
        },
      },
    },
    async (request, reply) => {
      const wanted = { source: request.body.source, kind: request.body.kind ?? 'server' };
      const { key, record } = await createWriteKey(database, wanted, credentials.actorOf(request), clock.now());
      return reply.code(201).send({ key, writeKey: shown(record) });
    },
  );

  server.post(
    '/api/v1/write-keys/:prefix/revoke',
    {
      schema: {
        tags: ['admin'],
        summary: 'Revoke a write key by its prefix: requests with it are refused within 10 seconds',
        description: 'A prefix that fits several working keys is refused (409) naming them; one that fits none, 404.',
        security,
        // Shorter than any key (16 characters at least), so that no whole key lands in a URL or a log.
        params: Type.Object({
          prefix: Type.String({ minLength: 1, maxLength: 15, description: 'as the list shows it, e.g. wk_AbCd' }),
        }),
        response: { 200: Type.Object({ writeKey: WriteKey }) },
      },
    },
    async (request) => {
      const revoked = await revokeWriteKey(database, request.params.prefix, credentials.actorOf(request), clock.now());
      return { writeKey: shown(revoked) };
    },
  );
}
