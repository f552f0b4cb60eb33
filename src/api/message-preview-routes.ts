// An e-mail of the outbox as its recipient sees it, for the app's preview frame. It is served with a policy
// of its own — no script, no request outside (no tracking pixel fires for the rep), sandboxed, framed by
// Tend only — because inside the app's strict policy an e-mail's inline styles would be refused.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { previewHtml } from '../domain/email-preview.js';
import { TendError } from '../domain/errors.js';
import { bookOf } from '../domain/viewer.js';
import { outboxMessageHtml } from '../store/outbox-preview.js';
import type { Database } from '../store/schema.js';
import { appSecurity } from './account-list-routes.js';
import type { Credentials } from './credentials.js';

/** Styles as the e-mail has them, pictures only when they are inside it; nothing else. */
export const previewPolicy = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "frame-ancestors 'self'",
  'sandbox',
].join('; ');

export async function messagePreviewRoutes(
  plain: FastifyInstance,
  dependencies: { readonly database: Kysely<Database>; readonly credentials: Credentials },
): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, credentials } = dependencies;
  server.addHook('onRequest', async (request) => credentials.authenticate(request));
  server.get(
    '/api/v1/outbox/:id/preview',
    {
      schema: {
        tags: ['playbooks'],
        summary: "An e-mail of the viewer's book as its recipient sees it (HTML, under a policy that runs no script)",
        security: appSecurity,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: Type.String({ description: "The e-mail's HTML (text/html)" }) },
      },
    },
    async (request, reply) => {
      const html = await outboxMessageHtml(database, request.params.id, bookOf(credentials.viewerOf(request)));
      if (html === undefined) {
        throw new TendError('not_found', `No message ${request.params.id} in the outbox.`, [
          { field: 'id', message: 'is not a known message' },
        ]);
      }
      if (html === null) {
        throw new TendError('not_found', `Message ${request.params.id} has no HTML: it is a text or a plain e-mail.`, [
          { field: 'id', message: 'has no HTML' },
        ]);
      }
      return reply
        .header('content-security-policy', previewPolicy)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(previewHtml(html));
    },
  );
}
