// How Tend serves the app beside the API: index.html for each page's URL with a strict policy, hashed
// files cached for good, the API's unknown paths still JSON, and a page saying how to build a missing app.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoutes, contentSecurityPolicy } from '../../src/api/app-routes.js';
import { registerErrorHandler } from '../../src/api/error-handler.js';
import { type TestTend, startTestTend } from '../support/test-tend.js';

const page = '<!doctype html><title>Tend</title><script type="module" src="/assets/index-abc123.js"></script>';

async function serving(folder: string): Promise<FastifyInstance> {
  const server = Fastify({ logger: false });
  registerErrorHandler(server);
  server.get('/api/v1/known', async () => ({ known: true }));
  await server.register(async (scope) => appRoutes(scope, { folder }));
  return server;
}

describe('the built app', () => {
  let folder: string;
  let server: FastifyInstance;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'tend-web-dist-'));
    mkdirSync(join(folder, 'assets'));
    writeFileSync(join(folder, 'index.html'), page);
    writeFileSync(join(folder, 'assets', 'index-abc123.js'), 'console.log("tend")');
    writeFileSync(join(folder, 'assets', 'index-abc123.js.gz'), gzipSync('console.log("tend")'));
    server = await serving(folder);
  });
  afterAll(async () => {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const pages = ['/today', '/accounts', '/accounts/acme-42', '/oversight', '/tasks', '/playbooks', '/playbooks/win'];
  pages.push('/outbox', '/settings', '/sign-in', '/sign-in/abc', '/setup/abc');
  it.each(pages)('%s answers the app with its security headers', async (path) => {
    const response = await server.inject({ method: 'GET', url: path });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toBe(page);
    expect(response.headers['content-security-policy']).toBe(contentSecurityPolicy);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('same-origin');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('sends no inline script or style under its policy, and no framing', () => {
    expect(contentSecurityPolicy).not.toContain('unsafe-inline');
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).toContain("frame-ancestors 'none'");
  });

  it('sends / to Today', async () => {
    const response = await server.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/today');
  });

  it('caches hashed files for good, compressed for browsers that take it', async () => {
    const headers = { 'accept-encoding': 'gzip' };
    const response = await server.inject({ method: 'GET', url: '/assets/index-abc123.js', headers });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['content-type']).toMatch(/javascript/);
  });

  it('answers an unknown page with the app (which says "not found"), and unknown API paths in JSON', async () => {
    const unknownPage = await server.inject({ method: 'GET', url: '/no-such-page' });
    expect(unknownPage.statusCode).toBe(404);
    expect(unknownPage.body).toBe(page);
    for (const path of ['/api/v1/no-such-thing', '/v1/nothing', '/webhooks/none', '/docs/nothing']) {
      const unknownApi = await server.inject({ method: 'GET', url: path });
      expect(unknownApi.statusCode, path).toBe(404);
      expect(unknownApi.json(), path).toMatchObject({ success: false, error: 'not_found' });
    }
    expect((await server.inject({ method: 'GET', url: '/api/v1/known' })).json()).toEqual({ known: true });
  });
});

describe('an app that was not built', () => {
  it('says how to build it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tend-web-missing-'));
    const server = await serving(folder);
    try {
      const response = await server.inject({ method: 'GET', url: '/today' });
      expect(response.statusCode).toBe(503);
      expect(response.body).toContain('npm run web:build');
      expect(response.headers['content-security-policy']).toBe(contentSecurityPolicy);
      expect((await server.inject({ method: 'GET', url: '/' })).headers.location).toBe('/today');
    } finally {
      await server.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('Tend serving its app', () => {
  let tend: TestTend;
  beforeAll(async () => {
    tend = await startTestTend();
  });
  afterAll(async () => tend.stop());

  it('keeps the app out of the API document, and the API where it was', async () => {
    const document = (await tend.admin('/docs/json')).body as { paths: Record<string, unknown> };
    const apiPath = /^\/(api|v1|webhooks|unsubscribe|l)\/|^\/health$/;
    expect(Object.keys(document.paths).filter((path) => !apiPath.test(path))).toEqual([]);
    const root = await fetch(`${tend.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/today');
    const unknown = await fetch(`${tend.url}/api/v1/no-such-thing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'not_found' });
  });
});
