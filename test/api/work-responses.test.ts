// Every operation of the work API, the webhooks, tracking and /health declares what it answers on
// success, so that /docs documents it and Fastify serializes with it; the answers keep every field
// that callers read (a declared schema drops the fields it does not name).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
beforeAll(async () => {
  tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-05-04T09:00:00Z') } });
}, 60_000);
afterAll(async () => tend?.stop());

/** The paths of the work API's files (playbooks, tasks, consent, messages, inbound e-mail, tracking) and /health. */
const workPaths = [
  /^\/api\/v1\/playbooks/,
  /^\/api\/v1\/outbox/,
  /^\/api\/v1\/tasks/,
  /^\/api\/v1\/contacts\/\{userId\}\/consents$/,
  /^\/api\/v1\/do-not-contact/,
  /^\/unsubscribe\//,
  /^\/l\//,
  /^\/webhooks\//,
  /^\/v1\//,
  /^\/health$/,
];

/** A 2xx; for a tracked link, which answers with a redirect, its 302. */
const succeeds = (name: string, status: string) => /^2\d\d$/.test(status) || (name.includes('/l/') && status === '302');

interface Operation {
  readonly responses?: Record<string, { content?: Record<string, unknown> }>;
}

describe('declared responses', () => {
  it('says what each operation answers on success, HTML and TwiML with their content type', async () => {
    const document = (await tend.admin('/docs/json')).body as { paths: Record<string, Record<string, Operation>> };
    const operations = Object.entries(document.paths)
      .filter(([path]) => workPaths.some((pattern) => pattern.test(path)))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })),
      );
    expect(operations.length).toBeGreaterThanOrEqual(25);
    const undeclared = operations
      .filter(({ name, operation }) => !Object.keys(operation.responses ?? {}).some((status) => succeeds(name, status)))
      .map(({ name }) => name);
    expect(undeclared).toEqual([]);
    const contentTypes = (name: string, status: string) => {
      const operation = operations.find((candidate) => candidate.name === name)?.operation;
      return Object.keys(operation?.responses?.[status]?.content ?? {});
    };
    expect(contentTypes('GET /unsubscribe/{token}', '200')).toEqual(['text/html']);
    expect(contentTypes('POST /webhooks/twilio/inbound', '200')).toEqual(['text/xml']);
  });
});
