// The rate limits through HTTP, with small limits in tend.config.yaml: per source on the Tracking API
// (requests, and events counted once parsed), per admin token, per address and per failed
// authentication on the admin API; each refusal a 429 with Retry-After and the limit named, nothing of
// a refused request stored, and nothing refused within the limits. Refills are slow (one token per
// 100 s), so the outcome does not depend on how fast the machine answers.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAdminToken, addWriteKey } from '../../src/store/secrets.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

function configFile(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tend-limits-')), 'tend.config.yaml');
  writeFileSync(file, yaml);
  return file;
}

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: { error?: string; message?: string; errors?: { field: string; message: string }[] };
}

async function send(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Answer['body'],
  };
}

const basic = (writeKey: string): string => `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;

function track(tend: TestTend, body: unknown, writeKey: string | null): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (writeKey !== null) headers.authorization = basic(writeKey);
  return send(`${tend.url}/v1/batch`, { method: 'POST', headers, body: JSON.stringify(body) });
}

const events = (userId: string, count: number, from = 0): { batch: object[] } => ({
  batch: Array.from({ length: count }, (_, index) => ({
    type: 'track',
    userId,
    event: 'Feature Used',
    properties: { index: from + index },
  })),
});

async function storedFor(tend: TestTend, userId: string): Promise<number> {
  const answer = await tend.admin(`/api/v1/events?userId=${userId}&limit=1000`);
  expect(answer.status).toBe(200);
  return (answer.body.events as unknown[]).length;
}

function expectRefused(answer: Answer, field: string): void {
  expect(answer.status).toBe(429);
  expect(answer.body.error).toBe('rate_limited');
  expect(answer.body.errors?.map((problem) => problem.field)).toEqual([field]);
  expect(answer.body.message).toContain(field);
  expect(answer.body.message).toContain('tend.config.yaml');
  expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number.isInteger(Number(answer.retryAfter))).toBe(true);
}

describe('rate limits of the Tracking API, per source', () => {
  let tend: TestTend;
  const key = (name: string): string => `wk_limits_${name}_${randomBytes(8).toString('hex')}`;
  const bulkKey = key('bulk');
  const bodyKey = key('body');

  beforeAll(async () => {
    tend = await startTestTend({
      configPath: configFile(`
limits:
  tracking:
    requests: { perSecond: 0.01, burst: 3 }
    events: { perSecond: 0.01, burst: 20 }
`),
    });
    await addWriteKey(tend.tend.store.database, 'bulk', bulkKey);
    await addWriteKey(tend.tend.store.database, 'body', bodyKey);
  });
  afterAll(async () => tend?.stop());

  it('refuses the request past the burst with 429 and Retry-After, naming the limit; stores nothing of it', async () => {
    const within = [];
    for (let request = 0; request < 3; request++)
      within.push(await track(tend, events('steady', 5, request * 5), tend.writeKey));
    expect(within.map((answer) => answer.status)).toEqual([200, 200, 200]);

    const refused = await track(tend, events('steady-refused', 1), tend.writeKey);
    expectRefused(refused, 'limits.tracking.requests');
    expect(refused.retryAfter).toBe('100'); // one request's token at 0.01 a second
    expect(refused.body.message).toContain('Source "default"');
    expect(await storedFor(tend, 'steady')).toBe(15);
    expect(await storedFor(tend, 'steady-refused')).toBe(0);
  });

  it('counts events once parsed: a batch past what is left passes once, the next waits until it is repaid', async () => {
    expect((await track(tend, events('bulk', 25), bulkKey)).status).toBe(200); // 20 held, 5 owed
    const refused = await track(tend, events('bulk-refused', 1), bulkKey);
    expectRefused(refused, 'limits.tracking.events');
    expect(refused.retryAfter).toBe('600'); // 6 events' worth at 0.01 a second
    expect(refused.body.message).toContain('Source "bulk"');
    // The key in the body instead of the header is counted all the same.
    expectRefused(
      await track(tend, { ...events('bulk-refused', 1), writeKey: bulkKey }, null),
      'limits.tracking.events',
    );
    expect(await storedFor(tend, 'bulk')).toBe(25);
    expect(await storedFor(tend, 'bulk-refused')).toBe(0);
  });

  it('counts a source whose key is in the body, apart from the others', async () => {
    const answers = [];
    for (let request = 0; request < 4; request++)
      answers.push(await track(tend, { ...events('in-body', 1, request), writeKey: bodyKey }, null));
    expect(answers.slice(0, 3).map((answer) => answer.status)).toEqual([200, 200, 200]);
    expectRefused(answers[3]!, 'limits.tracking.requests');
    expect(answers[3]!.body.message).toContain('Source "body"');
    expect(await storedFor(tend, 'in-body')).toBe(3);
  });

  it('an unknown write key is still 401, not a 429', async () => {
    for (let request = 0; request < 5; request++)
      expect((await track(tend, events('nobody', 1), key('unknown'))).status).toBe(401);
  });
});

describe('failed write keys per address on the Tracking API', () => {
  let tend: TestTend;
  beforeAll(async () => {
    tend = await startTestTend({
      configPath: configFile('limits:\n  admin:\n    failedAuthentications: { perSecond: 0.01, burst: 2 }\n'),
    });
  });
  afterAll(async () => tend?.stop());

  it('refuses an address that keeps sending wrong keys before looking them up; a key that worked lately passes', async () => {
    const first = await track(tend, events('known', 1), tend.writeKey);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect((await track(tend, events('nobody', 1), 'wk_wrong_key_number_one_0000')).status).toBe(401);
    expect((await track(tend, events('nobody', 1), 'wk_wrong_key_number_two_0000')).status).toBe(401);
    const flood = [
      await track(tend, events('nobody', 1), 'wk_wrong_key_number_three_00'),
      await track(tend, events('nobody', 1), null),
    ];
    for (const answer of flood) expectRefused(answer, 'limits.admin.failedAuthentications');
    expect(flood[0]!.body.message).toContain('Check the write key');
    // The admin API counts its own failures: this address's wrong write keys do not lock an admin out.
    expect((await tend.admin('/api/v1/clock')).status).toBe(200);
    const later = await track(tend, events('known', 1, 1), tend.writeKey);
    expect(later.status, JSON.stringify(later.body)).toBe(200);
    expect(await storedFor(tend, 'nobody')).toBe(0);
  });
});

describe('within the default limits nothing is refused', () => {
  let tend: TestTend;
  beforeAll(async () => {
    tend = await startTestTend();
  });
  afterAll(async () => tend?.stop());

  it('a backend sending 200 batches, 10 at a time, and reading through the admin API', async () => {
    const statuses: number[] = [];
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, index) => track(tend, events(`busy-${index}`, 10, round * 10), tend.writeKey)),
      );
      statuses.push(...answers.map((answer) => answer.status));
    }
    const reads = await Promise.all(
      Array.from({ length: 100 }, (_, index) => tend.admin(`/api/v1/events?userId=busy-${index % 10}&limit=1`)),
    );
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(reads.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(await storedFor(tend, 'busy-3')).toBe(200);
  });
});

describe('rate limits of the admin API', () => {
  let tend: TestTend;
  const secondToken = `admin_limits_${randomBytes(12).toString('hex')}`;
  const unusedToken = `admin_limits_${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    tend = await startTestTend({
      configPath: configFile(`
limits:
  admin:
    perToken: { perSecond: 0.01, burst: 3 }
    perAddress: { perSecond: 0.01, burst: 9 }
    failedAuthentications: { perSecond: 0.01, burst: 2 }
`),
    });
    await addAdminToken(tend.tend.store.database, secondToken, 'second');
    await addAdminToken(tend.tend.store.database, unusedToken, 'unused');
  });
  afterAll(async () => tend?.stop());

  const read = (token: string | null): Promise<Answer> =>
    send(`${tend.url}/api/v1/events?limit=1`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });

  it('limits each token, then failed authentications and requests per address, in the order a flood meets them', async () => {
    // The Tracking API's key works before the flood (so it is known when the flood comes, below).
    expect((await tend.track('/v1/track', { userId: 'still-welcome', event: 'Signed In' })).status).toBe(200);
    // Each step's comment counts what the address has used of its 9.
    const first = [await read(tend.adminToken), await read(tend.adminToken), await read(tend.adminToken)];
    expect(first.map((answer) => answer.status)).toEqual([200, 200, 200]); // 3
    const pastToken = await read(tend.adminToken); // 4
    expectRefused(pastToken, 'limits.admin.perToken');
    expect(pastToken.retryAfter).toBe('100');
    expect((await read(secondToken)).status).toBe(200); // 5: this token has authenticated

    expect((await read('wrong-token-0123456789')).status).toBe(401); // 6
    expect((await read('wrong-token-0123456789')).status).toBe(401); // 7
    // Past 2 failures, refused before the token is looked at (nothing counted against the address):
    const flood = [
      await read('wrong-token-0123456789'),
      await read('another-wrong-token-0123'),
      await read(null),
      await read(unusedToken),
    ];
    for (const answer of flood) expectRefused(answer, 'limits.admin.failedAuthentications');
    expect(flood[0]!.retryAfter).toBe('100');

    // A token that authenticated lately still passes: the failures are another caller's.
    expect((await read(secondToken)).status).toBe(200); // 8
    expect((await read(secondToken)).status).toBe(200); // 9
    const pastAddress = await read(secondToken);
    expectRefused(pastAddress, 'limits.admin.perAddress');
    expect(pastAddress.body.message).toContain('127.0.0.1');

    // The Tracking API is limited per source, not by the admin API's address limits.
    expect((await tend.track('/v1/track', { userId: 'still-welcome', event: 'Signed In' })).status).toBe(200);
  });
});
