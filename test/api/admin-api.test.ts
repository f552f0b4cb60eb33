// Contract tests of the admin read API: the bearer token, each endpoint, its filters and its errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
beforeAll(async () => {
  tend = await startTestTend();
  const batch: Record<string, unknown>[] = [
    { type: 'identify', userId: 'u1', traits: { email: 'u1@example.com' } },
    {
      type: 'group',
      userId: 'u1',
      groupId: 'a1',
      traits: { name: 'First', revenue: 5000, profit: 1000, owner: 'rep@example.com' },
    },
    { type: 'identify', userId: 'u2', traits: { email: 'u2@example.com' } },
    { type: 'group', userId: 'u2', groupId: 'a1' },
  ].map((message) => ({ timestamp: '2025-12-01T00:00:00Z', ...message }));
  batch.push(
    ...Array.from({ length: 12 }, (_, day) => ({
      type: 'track',
      userId: day % 2 ? 'u1' : 'u2',
      event: day % 3 ? 'Signed In' : 'Ticket Opened',
      timestamp: new Date(Date.UTC(2026, 0, 1 + day)).toISOString(),
    })),
  );
  expect((await tend.track('/v1/batch', { batch })).status).toBe(200);
});
afterAll(async () => tend?.stop());

describe('admin authentication', () => {
  it('refuses a missing, malformed or wrong token with 401 on every admin endpoint', async () => {
    for (const path of ['/api/v1/contacts/u1', '/api/v1/accounts/a1', '/api/v1/events']) {
      for (const authorization of [undefined, 'Basic abc', 'Bearer wrong-token-of-some-length']) {
        const response = await fetch(`${tend.url}${path}`, { headers: authorization ? { authorization } : {} });
        expect(response.status, `${path} with ${authorization}`).toBe(401);
        expect(((await response.json()) as { error: string }).error).toBe('unauthorized');
      }
    }
  });

  it('keeps /health open for load balancers, and reports the database', async () => {
    const response = await fetch(`${tend.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });
});

describe('reads', () => {
  it('a contact: traits, account and last events', async () => {
    const { status, body } = await tend.admin('/api/v1/contacts/u1');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      userId: 'u1',
      email: 'u1@example.com',
      account: { id: 'a1', name: 'First', owner: { email: 'rep@example.com', known: false } },
    });
    expect(body.lastEvents[0]).toMatchObject({ name: 'Signed In', occurredAt: '2026-01-12T00:00:00.000Z' });
  });

  it('an account: traits, money and contacts', async () => {
    const { body } = await tend.admin('/api/v1/accounts/a1');
    expect(body).toMatchObject({
      id: 'a1',
      name: 'First',
      revenue: 5000,
      profit: 1000,
      owner: { email: 'rep@example.com', known: false },
    });
    expect(body.contacts.map((contact: { userId: string }) => contact.userId)).toEqual(['u1', 'u2']);
    // 16 sent, plus Tend's own Signal Raised events about the account.
    expect(body.events.count).toBeGreaterThanOrEqual(16);
  });

  it('events filtered by user, account and name, newest first, limited', async () => {
    const byName = (await tend.admin('/api/v1/events?accountId=a1&name=Ticket%20Opened')).body.events;
    expect(byName.map((event: { occurredAt: string }) => event.occurredAt.slice(0, 10))).toEqual([
      '2026-01-10',
      '2026-01-07',
      '2026-01-04',
      '2026-01-01',
    ]);
    const limited = (await tend.admin('/api/v1/events?userId=u2&name=Signed%20In&limit=2')).body.events;
    expect(limited).toHaveLength(2);
    expect(limited[0].occurredAt > limited[1].occurredAt).toBe(true);
  });

  it('unknown contacts and accounts → 404 with what to do; bad filters → 400 naming the parameter', async () => {
    expect(await tend.admin('/api/v1/contacts/nobody')).toMatchObject({
      status: 404,
      body: { error: 'not_found', errors: [{ field: 'userId' }] },
    });
    expect(await tend.admin('/api/v1/accounts/none')).toMatchObject({
      status: 404,
      body: { error: 'not_found', errors: [{ field: 'accountId' }] },
    });
    const bad = await tend.admin('/api/v1/events?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('querystring.limit');
  });

  it('publishes its OpenAPI document at /docs', async () => {
    const response = await fetch(`${tend.url}/docs/json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/batch', '/v1/track', '/api/v1/contacts/{userId}', '/api/v1/events', '/health']),
    );
  });
});
