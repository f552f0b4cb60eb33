// Contract tests of the Segment Tracking API through HTTP against a running Tend: every endpoint,
// every kind of bad input, idempotency, and all-or-nothing batches.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
beforeAll(async () => {
  tend = await startTestTend();
});
afterAll(async () => tend?.stop());

const eventsOf = async (query: string) =>
  (await tend.admin(`/api/v1/events?${query}`)).body.events as {
    name: string;
    type: string;
    accountId: string | null;
    properties: Record<string, unknown>;
    userId: string;
    occurredAt: string;
  }[];

describe('each Tracking API endpoint stores what it is sent', () => {
  it('identify upserts the contact and its traits, merging later traits', async () => {
    expect(
      (
        await tend.track('/v1/identify', {
          userId: 'ann',
          messageId: 'i1',
          traits: {
            email: 'ann@example.com',
            firstName: 'Ann',
            lastName: 'Lee',
            language: 'de',
            timezone: 'Europe/Berlin',
            favourite: 'tea',
          },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await tend.track('/v1/identify', {
          userId: 'ann',
          messageId: 'i2',
          traits: { phone: '+4915112345678', favourite: 'coffee' },
        })
      ).body,
    ).toEqual({ success: true });
    const { status, body } = await tend.admin('/api/v1/contacts/ann');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      userId: 'ann',
      email: 'ann@example.com',
      name: 'Ann Lee',
      language: 'de',
      timezone: 'Europe/Berlin',
      phone: '+4915112345678',
    });
    expect(body.traits.favourite).toBe('coffee');
    expect(body.lastEvents.map((event: { name: string }) => event.name)).toEqual(['Identify', 'Identify']);
  });

  it('group upserts the account with its money and owner, and the membership', async () => {
    const { status } = await tend.track('/v1/group', {
      userId: 'ann',
      groupId: 'acme',
      traits: {
        name: 'Acme GmbH',
        plan: 'pro',
        revenue: 120000.5,
        profit: -3000,
        currency: 'eur',
        owner: 'Rita@Example.com',
      },
    });
    expect(status).toBe(200);
    const account = (await tend.admin('/api/v1/accounts/acme')).body;
    expect(account).toMatchObject({
      id: 'acme',
      name: 'Acme GmbH',
      plan: 'pro',
      revenue: 120000.5,
      profit: -3000,
      currency: 'EUR',
      owner: { email: 'rita@example.com', known: false },
    });
    expect(account.contacts.map((contact: { userId: string }) => contact.userId)).toEqual(['ann']);
    expect((await tend.admin('/api/v1/contacts/ann')).body.account).toMatchObject({ id: 'acme', name: 'Acme GmbH' });
  });

  it('track, page and screen store events; their account comes from context.groupId, properties.accountId or the contact', async () => {
    expect(
      (await tend.track('/v1/track', { userId: 'ann', event: 'Signed In', timestamp: '2026-03-01T10:00:00Z' })).status,
    ).toBe(200);
    expect(
      (
        await tend.track('/v1/track', {
          userId: 'ann',
          event: 'Invoice Paid',
          properties: { amount: 99, accountId: 'other-co' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await tend.track('/v1/page', { userId: 'ann', name: 'Pricing', context: { groupId: 'third-co' } })).status,
    ).toBe(200);
    expect((await tend.track('/v1/screen', { anonymousId: 'device-1', name: 'Home' })).status).toBe(200);
    const events = await eventsOf('userId=ann&limit=50');
    const byName = new Map(events.map((event) => [event.name, event]));
    expect(byName.get('Signed In')).toMatchObject({ accountId: 'acme', occurredAt: '2026-03-01T10:00:00.000Z' });
    expect(byName.get('Invoice Paid')).toMatchObject({
      accountId: 'other-co',
      properties: { amount: 99, accountId: 'other-co' },
    });
    expect(byName.get('Page Viewed')).toMatchObject({ accountId: 'third-co', properties: { name: 'Pricing' } });
    expect((await eventsOf('name=Screen%20Viewed'))[0]).toMatchObject({ type: 'screen', accountId: null });
  });

  it('a contact first seen in an event gets its row, also when the same batch makes it a member', async () => {
    expect(
      (await tend.track('/v1/track', { userId: 'newcomer', event: 'Signed In', context: { groupId: 'acme' } })).status,
    ).toBe(200);
    const newcomer = await tend.admin('/api/v1/contacts/newcomer');
    expect(newcomer.status).toBe(200);
    expect(newcomer.body.lastEvents.map((event: { name: string }) => event.name)).toEqual(['Signed In']);
    const batch = [
      { type: 'track', userId: 'joiner', event: 'Signed In' },
      { type: 'group', userId: 'joiner', groupId: 'joinco', traits: { name: 'Join Co' } },
    ];
    expect((await tend.track('/v1/batch', { batch })).status).toBe(200);
    const joiner = (await tend.admin('/api/v1/contacts/joiner')).body;
    expect(joiner.account).toMatchObject({ id: 'joinco', name: 'Join Co' });
    expect(
      (await tend.admin('/api/v1/accounts/joinco')).body.contacts.map((contact: { userId: string }) => contact.userId),
    ).toEqual(['joiner']);
  });

  it('alias merges a previous identity into the user: traits, membership and events follow', async () => {
    await tend.track('/v1/identify', { userId: 'old-bob', traits: { email: 'bob@example.com', language: 'fr' } });
    await tend.track('/v1/group', { userId: 'old-bob', groupId: 'bobco', traits: { name: 'Bob Co' } });
    await tend.track('/v1/track', { userId: 'old-bob', event: 'Feature Used' });
    await tend.track('/v1/track', { userId: 'old-bob', event: 'Signed In', context: { groupId: 'bobco' } });
    await tend.track('/v1/identify', { userId: 'bob', traits: { name: 'Bob' } });
    expect((await tend.track('/v1/alias', { userId: 'bob', previousId: 'old-bob' })).status).toBe(200);
    await tend.track('/v1/track', { userId: 'old-bob', event: 'Signed In' });
    const bob = (await tend.admin('/api/v1/contacts/bob')).body;
    expect(bob).toMatchObject({ userId: 'bob', name: 'Bob', email: 'bob@example.com', language: 'fr' });
    expect(bob.knownAs.userIds).toContain('old-bob');
    expect(bob.accounts.map((account: { id: string }) => account.id)).toEqual(['bobco']);
    const names = bob.lastEvents.map((event: { name: string }) => event.name);
    expect(names).toEqual(expect.arrayContaining(['Feature Used', 'Signed In', 'Alias']));
    // Asking for the old id answers with the merged contact.
    expect((await tend.admin('/api/v1/contacts/old-bob')).body.userId).toBe('bob');
    // The old id's sign-in counts as Bob's, with his own since, or the old id would look like a person who stopped.
    const counted = await tend.tend.store.database
      .selectFrom('contact_activity_days')
      .select(['contact_id', 'count'])
      .where('account_id', '=', 'bobco')
      .execute();
    expect(counted).toEqual([{ contact_id: 'bob', count: 2 }]);
  });

  it('batch and import accept mixed messages; an anonymous id seen with a user id joins that user', async () => {
    const batch = [
      { type: 'track', anonymousId: 'anon-7', event: 'Page Viewed Before Login', messageId: 'b1' },
      {
        type: 'identify',
        userId: 'cleo',
        anonymousId: 'anon-7',
        traits: { email: 'cleo@example.com' },
        messageId: 'b2',
      },
      { type: 'group', userId: 'cleo', groupId: 'cleo-co', traits: { name: 'Cleo Co' }, messageId: 'b3' },
    ];
    expect((await tend.track('/v1/batch', { batch })).status).toBe(200);
    expect(
      (
        await tend.track('/v1/import', {
          batch: [{ type: 'track', anonymousId: 'anon-7', event: 'Later Anonymous', messageId: 'b4' }],
        })
      ).status,
    ).toBe(200);
    const cleo = (await tend.admin('/api/v1/contacts/cleo')).body;
    expect(cleo.knownAs.anonymousIds).toEqual(['anon-7']);
    const names = (await eventsOf('userId=cleo')).map((event) => event.name);
    expect(names).toEqual(expect.arrayContaining(['Page Viewed Before Login', 'Later Anonymous', 'Identify', 'Group']));
  });

  it('accepts the write key in the body, and gzip-compressed bodies', async () => {
    const response = await fetch(`${tend.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ writeKey: tend.writeKey, userId: 'dan', event: 'Key In Body' }),
    });
    expect(response.status).toBe(200);
    const zipped = gzipSync(JSON.stringify({ batch: [{ type: 'track', userId: 'dan', event: 'Zipped' }] }));
    expect((await tend.track('/v1/batch', zipped, { 'content-encoding': 'gzip' })).status).toBe(200);
    expect((await eventsOf('userId=dan')).map((event) => event.name).sort()).toEqual(['Key In Body', 'Zipped']);
  });
});

describe('idempotency', () => {
  it('a retried batch (same messageIds) stores nothing twice', async () => {
    const batch = [1, 2, 3].map((index) => ({
      type: 'track',
      userId: 'erin',
      event: 'Retried',
      messageId: `retry-${index}`,
    }));
    for (let attempt = 0; attempt < 3; attempt++) expect((await tend.track('/v1/batch', { batch })).status).toBe(200);
    // The same messageId twice within one batch is one message too.
    expect((await tend.track('/v1/batch', { batch: [batch[0], batch[0]] })).status).toBe(200);
    expect(await eventsOf('userId=erin')).toHaveLength(3);
  });

  it('concurrent requests (written together by group commit) each get their own answer, and a concurrent retry stores nothing twice', async () => {
    const batch = (index: number) =>
      Array.from({ length: 20 }, (_, item) => ({
        type: 'track',
        userId: `gus-${index % 4}`,
        event: 'Concurrent',
        messageId: `concurrent-${index}-${item}`,
      }));
    const sends = Array.from({ length: 12 }, (_, index) => tend.track('/v1/batch', { batch: batch(index % 8) }));
    const bad = tend.track('/v1/batch', { batch: [{ type: 'track', event: 'No One' }] });
    const answers = await Promise.all(sends);
    expect(answers.map((answer) => answer.status)).toEqual(new Array(12).fill(200));
    expect((await bad).status).toBe(400);
    const stored = await Promise.all(
      [0, 1, 2, 3].map(async (index) => (await eventsOf(`userId=gus-${index}&name=Concurrent&limit=1000`)).length),
    );
    expect(stored.reduce((sum, count) => sum + count, 0)).toBe(8 * 20);
  });
});

describe('bad input is refused with a 4xx naming what is wrong, and nothing of it is stored', () => {
  const cases: {
    title: string;
    path: string;
    body: unknown;
    headers?: Record<string, string>;
    status: number;
    error: string;
    fields: string[];
  }[] = [
    {
      title: 'malformed JSON',
      path: '/v1/track',
      body: '{"userId": "x", ',
      status: 400,
      error: 'invalid_json',
      fields: ['body'],
    },
    {
      title: 'a body that is not an object',
      path: '/v1/track',
      body: '[1,2]',
      status: 400,
      error: 'invalid_request',
      fields: ['body'],
    },
    {
      title: 'no userId and no anonymousId',
      path: '/v1/track',
      body: { event: 'Nobody' },
      status: 400,
      error: 'invalid_request',
      fields: ['userId'],
    },
    {
      title: 'track without an event name',
      path: '/v1/track',
      body: { userId: 'x' },
      status: 400,
      error: 'invalid_request',
      fields: ['event'],
    },
    {
      title: 'wrong types',
      path: '/v1/identify',
      body: { userId: { id: 1 }, traits: 'tall', timestamp: 'yesterday' },
      status: 400,
      error: 'invalid_request',
      fields: ['userId', 'traits', 'timestamp'],
    },
    {
      title: 'a trait of the wrong type',
      path: '/v1/group',
      body: { userId: 'x', groupId: 'g', traits: { revenue: 'lots', owner: 'nobody' } },
      status: 400,
      error: 'invalid_request',
      fields: ['traits.revenue', 'traits.owner'],
    },
    {
      title: 'group without groupId',
      path: '/v1/group',
      body: { userId: 'x' },
      status: 400,
      error: 'invalid_request',
      fields: ['groupId'],
    },
    {
      title: 'alias without previousId',
      path: '/v1/alias',
      body: { userId: 'x' },
      status: 400,
      error: 'invalid_request',
      fields: ['previousId'],
    },
    {
      title: 'a batch that is not an array',
      path: '/v1/batch',
      body: { batch: { type: 'track' } },
      status: 400,
      error: 'invalid_request',
      fields: ['batch'],
    },
    {
      title: 'an unknown type in a batch',
      path: '/v1/batch',
      body: { batch: [{ type: 'teleport', userId: 'x' }] },
      status: 400,
      error: 'invalid_request',
      fields: ['batch[0].type'],
    },
    {
      title: 'an event over 32 KB',
      path: '/v1/track',
      body: { userId: 'x', event: 'Big', properties: { blob: 'x'.repeat(33 * 1024) } },
      status: 400,
      error: 'invalid_request',
      fields: ['body'],
    },
    {
      title: 'a request over 500 KB',
      path: '/v1/batch',
      body: {
        batch: Array.from({ length: 40 }, () => ({
          type: 'track',
          userId: 'x',
          event: 'Big',
          properties: { blob: 'x'.repeat(15 * 1024) },
        })),
      },
      status: 413,
      error: 'payload_too_large',
      fields: ['body'],
    },
    {
      title: 'an unsupported Content-Encoding',
      path: '/v1/track',
      body: { userId: 'x', event: 'E' },
      headers: { 'content-encoding': 'br' },
      status: 415,
      error: 'unsupported_encoding',
      fields: ['content-encoding'],
    },
    {
      title: 'gzip declared but not sent',
      path: '/v1/track',
      body: { userId: 'x', event: 'E' },
      headers: { 'content-encoding': 'gzip' },
      status: 400,
      error: 'invalid_request',
      fields: ['content-encoding'],
    },
  ];
  for (const testCase of cases) {
    it(`${testCase.title} → ${testCase.status}`, async () => {
      const { status, body } = await tend.track(testCase.path, testCase.body, testCase.headers);
      expect(status).toBe(testCase.status);
      expect(body).toMatchObject({ success: false, error: testCase.error });
      expect(typeof body.message).toBe('string');
      for (const field of testCase.fields)
        expect(body.errors.map((problem: { field: string }) => problem.field)).toContain(field);
    });
  }

  it('a batch with one bad event names it by index and stores none of the good ones', async () => {
    const batch = [
      { type: 'track', userId: 'fay', event: 'Good One' },
      { type: 'identify', userId: 'fay', traits: { email: 42 } },
      { type: 'track', userId: 'fay', event: 'Good Two' },
      { type: 'track', event: 'No One' },
    ];
    const { status, body } = await tend.track('/v1/batch', { batch });
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      { index: 1, field: 'batch[1].traits.email', message: 'must be a string, got number 42' },
      { index: 3, field: 'batch[3].userId', message: 'is missing: every message needs a userId or an anonymousId' },
    ]);
    expect(body.message).toMatch(/Nothing was stored/);
    expect((await tend.admin('/api/v1/contacts/fay')).status).toBe(404);
  });

  it('a missing or unknown write key → 401, and nothing is stored', async () => {
    const missing = await fetch(`${tend.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'gil', event: 'E' }),
    });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({
      error: 'unauthorized',
      errors: [{ field: 'writeKey', message: 'is missing' }],
    });
    const unknown = await tend.track(
      '/v1/track',
      { userId: 'gil', event: 'E' },
      { authorization: `Basic ${Buffer.from('wk_wrong:').toString('base64')}` },
    );
    expect(unknown.status).toBe(401);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'writeKey', message: 'is not a known write key' });
    expect((await tend.admin('/api/v1/contacts/gil')).status).toBe(404);
  });
});
