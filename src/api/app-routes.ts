// Serves the app (web/dist, built by `npm run web:build`) at / beside the API: its files, and index.html
// for each of its pages' URLs, with a strict Content-Security-Policy. The API keeps its own answers.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `npm run web:build` puts the app. */
export const builtAppFolder = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * No script but the app's own files, no inline script or style (ECharts draws on a canvas and styles
 * through the DOM, which the policy allows); no framing of Tend by other sites.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/** The app's URLs (wouter's patterns in web/src/app.tsx): each answers index.html, and the app routes it. */
export const appPages = [
  '/today',
  '/accounts',
  '/accounts/:id',
  '/oversight',
  '/oversight/retention',
  '/tasks',
  '/conversations',
  '/conversations/:id',
  '/playbooks',
  '/playbooks/:id',
  '/outbox',
  '/settings',
  '/notifications',
  '/sign-in',
  '/sign-in/:token',
  '/setup/:token',
] as const;

/** Paths that belong to the API and other server pages: an unknown one there stays a JSON 404. */
const serverPrefixes = ['/api/', '/v1/', '/docs', '/webhooks/', '/unsubscribe/', '/l/', '/health', '/metrics'];

const hidden = { schema: { hide: true } };

function secured(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', contentSecurityPolicy)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('x-frame-options', 'DENY')
    .header('cross-origin-opener-policy', 'same-origin');
}

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tend: the app is not built</title></head>
<body><main>
<h1>Tend is running, but its app is not built</h1>
<p>The app is built when Tend is installed (<code>npm install</code> runs <code>npm run web:build</code>).
This copy has no <code>web/dist</code> folder: run <code>npm run web:build</code> in Tend's folder,
then reload this page.</p>
<p>The API works without it: see <a href="/docs">/docs</a>.</p>
</main></body></html>
`;

export async function appRoutes(server: FastifyInstance, options: { folder?: string } = {}): Promise<void> {
  const folder = options.folder ?? builtAppFolder;
  server.addHook('onSend', async (_request, reply) => {
    secured(reply);
  });
  server.get('/', hidden, async (_request, reply) => reply.redirect('/today', 302));

  if (!existsSync(join(folder, 'index.html'))) {
    const explain = async (_request: unknown, reply: FastifyReply) =>
      reply.status(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(notBuiltPage);
    for (const page of appPages) server.get(page, hidden, explain);
    return;
  }

  await server.register(fastifyStatic, {
    root: folder,
    prefix: '/',
    // Each built file becomes a route of its own, so the app's files never shadow the API's paths.
    wildcard: false,
    index: false,
    // .gz and .br copies made at build are sent to browsers that accept them, not listed as files.
    preCompressed: true,
    globIgnore: ['**/*.gz', '**/*.br'],
    cacheControl: false,
    setHeaders: (response, path) => {
      // Files under assets/ carry a hash of their content in their name: they never change.
      // (Asked of the path within the app's folder: a folder named assets above Tend's is no sign.)
      const immutable = relative(folder, path).split(/[\\/]/)[0] === 'assets';
      response.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const page = async (_request: unknown, reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html');
  for (const path of appPages) server.get(path, hidden, page);
  // Any other address outside the API: the app says "not found" in its own page.
  server.get('/*', hidden, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (serverPrefixes.some((prefix) => path.startsWith(prefix))) return reply.callNotFound();
    return reply.status(404).header('cache-control', 'no-cache').sendFile('index.html');
  });
}
