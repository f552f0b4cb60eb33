// The app's API types are generated from Tend's OpenAPI document: this fails when a route's schema
// changed and web/src/api/schema.d.ts was not generated again (`npm run web:types`), so they never drift.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiTypesFile, apiTypesOf } from '../../web/scripts/api-types.js';
import { type TestTend, startTestTend } from '../support/test-tend.js';

let tend: TestTend;
beforeAll(async () => {
  tend = await startTestTend();
});
afterAll(async () => tend.stop());

it('web/src/api/schema.d.ts is what `npm run web:types` makes of the current API', async () => {
  const document = await (await fetch(`${tend.url}/docs/json`)).json();
  const generated = await apiTypesOf(document);
  const committed = readFileSync(apiTypesFile, 'utf8');
  expect(generated === committed, 'web/src/api/schema.d.ts is stale: run `npm run web:types` and commit it').toBe(true);
});
