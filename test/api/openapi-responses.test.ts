// Every operation of the API says what a success returns: /docs documents it, Fastify serializes with
// it (no field leaks that is not declared), and the app's types are generated from it. An operation
// without a declared 2xx response appears in /docs/json with Fastify's placeholder ("Default Response");
// a redirect (a tracked link) declares its 3xx instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
beforeAll(async () => {
  tend = await startTestTend();
});
afterAll(async () => tend?.stop());

interface Operation {
  readonly responses?: Record<string, { description?: string; content?: unknown }>;
}

/** `GET /api/v1/…` for each operation whose successes are not declared. */
async function undeclared(): Promise<string[]> {
  const response = await fetch(`${tend.url}/docs/json`);
  expect(response.status).toBe(200);
  const document = (await response.json()) as { paths: Record<string, Record<string, Operation>> };
  const missing: string[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const answers = Object.entries(operation.responses ?? {});
      const successes = answers.filter(([status]) => /^[23](\d\d|XX)$/.test(status));
      const declared = successes.some(
        ([, answer]) =>
          answer.content !== undefined || (answer.description ?? 'Default Response') !== 'Default Response',
      );
      if (!declared) missing.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return missing;
}

describe('the OpenAPI document', () => {
  it('lists the operations', async () => {
    const document = (await (await fetch(`${tend.url}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/accounts', '/api/v1/policy']));
  });

  it('declares what a success returns for every operation', async () => {
    expect(await undeclared()).toEqual([]);
  });
});
