// The official Segment SDK (@segment/analytics-node), unchanged, sends to Tend; events are read back
// through the admin API. A proxy makes Tend's first answer get lost (502), so the SDK retries the
// batch that Tend already committed: nothing may be stored twice.
import { createServer, type Server } from 'node:http';
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
let proxy: Server;
let proxyUrl = '';
const forwarded: number[] = [];

beforeAll(async () => {
  tend = await startTestTend();
  // Forwards every request to Tend; answers 502 for the first batch although Tend stored it.
  proxy = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const upstream = await fetch(`${tend.url}${request.url}`, {
        method: 'POST',
        headers: request.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      forwarded.push(upstream.status);
      const body = await upstream.text();
      if (forwarded.length === 1) {
        response.writeHead(502).end('lost answer');
        return;
      }
      response.writeHead(upstream.status, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((ready) => proxy.listen(0, '127.0.0.1', ready));
  const address = proxy.address();
  proxyUrl = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
});
afterAll(async () => {
  proxy?.close();
  await tend?.stop();
});

describe('@segment/analytics-node against Tend', () => {
  it('delivers identify, group, track, page and screen; a retried batch is stored once', async () => {
    const analytics = new Analytics({
      writeKey: tend.writeKey,
      host: proxyUrl,
      path: '/v1/batch',
      flushAt: 50,
      flushInterval: 60_000,
      maxRetries: 3,
    });
    const errors: unknown[] = [];
    analytics.on('error', (error) => errors.push(error));
    analytics.identify({ userId: 'sdk-user', traits: { email: 'sdk@example.com', name: 'Sam Sdk' } });
    analytics.group({ userId: 'sdk-user', groupId: 'sdk-co', traits: { name: 'SDK Co', revenue: 1000 } });
    for (let index = 0; index < 5; index++)
      analytics.track({ userId: 'sdk-user', event: 'Feature Used', properties: { index } });
    analytics.page({ userId: 'sdk-user', name: 'Dashboard' });
    analytics.screen({ userId: 'sdk-user', name: 'Settings' });
    await analytics.closeAndFlush({ timeout: 20_000 });

    expect(errors).toEqual([]);
    expect(forwarded.length).toBeGreaterThanOrEqual(2); // the first answer was lost, so the SDK retried
    expect(forwarded.every((status) => status === 200)).toBe(true);
    const contact = (await tend.admin('/api/v1/contacts/sdk-user')).body;
    expect(contact).toMatchObject({
      email: 'sdk@example.com',
      name: 'Sam Sdk',
      account: { id: 'sdk-co', name: 'SDK Co' },
    });
    const events = (await tend.admin('/api/v1/events?userId=sdk-user&limit=100')).body.events as {
      name: string;
      properties: { index?: number };
    }[];
    expect(events).toHaveLength(9);
    expect(
      events
        .filter((event) => event.name === 'Feature Used')
        .map((event) => event.properties.index)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4]);
    expect(events.map((event) => event.name)).toEqual(
      expect.arrayContaining(['Identify', 'Group', 'Page Viewed', 'Screen Viewed']),
    );
  });
});
