// GET /api/v1/audit-log: who changed what (users, keys and tokens, consents, do-not-contact, resends,
// erasures), newest first, a page at a time; for admins only.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { type AuditAction, auditActions } from '../domain/audit.js';
import { listAuditEntries } from '../store/audit-log.js';
import type { Database } from '../store/schema.js';
import type { Credentials } from './credentials.js';

const AuditActionSchema = Type.Unsafe<AuditAction>({ type: 'string', enum: [...auditActions] });

const AuditLogEntry = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String({ description: 'who: an admin token by its label, a user, or a command run on the server' }),
  action: AuditActionSchema,
  subject: Type.String({ description: 'what was changed: an e-mail, a key prefix, a contact id, a message id' }),
  details: Type.Record(Type.String(), Type.Unknown()),
});

export async function auditLogRoutes(
  plain: FastifyInstance,
  dependencies: { database: Kysely<Database>; credentials: Credentials },
): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  server.addHook('onRequest', async (request) => dependencies.credentials.authenticateAdmin(request));
  server.get(
    '/api/v1/audit-log',
    {
      schema: {
        tags: ['admin'],
        summary: 'Who changed what: users, keys, tokens, consents, do-not-contact, resends, erasures (newest first)',
        security: [{ session: [] }, { adminToken: [] }],
        querystring: Type.Object({
          action: Type.Optional(AuditActionSchema),
          subject: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
          before: Type.Optional(Type.String({ format: 'uuid', description: "the previous page's `next`" })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: {
          200: Type.Object({ entries: Type.Array(AuditLogEntry), next: Type.Union([Type.String(), Type.Null()]) }),
        },
      },
    },
    async (request) => {
      const { action, subject, before, limit } = request.query;
      const entries = await listAuditEntries(dependencies.database, {
        limit,
        ...(action === undefined ? {} : { action }),
        ...(subject === undefined ? {} : { subject }),
        ...(before === undefined ? {} : { before }),
      });
      return { entries, next: entries.length === limit ? (entries.at(-1)?.id ?? null) : null };
    },
  );
}
