import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelError, type OutboundWebhook } from './channel-messages.js';
import { createWebhookSender, standardWebhookHeaders, verifyStandardWebhook } from './webhook-sender.js';

// The reference example of the Standard Webhooks specification's test suites.
const reference = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const at = (seconds: number) => new Date(seconds * 1000);

interface Delivery {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly verdict: ReturnType<typeof verifyStandardWebhook>;
}

/** A webhook receiver (a CRM, a Slack relay) that checks the signature as a real receiver would. */
async function startReceiver(
  secret: string,
  now: () => Date,
  status: (delivery: Delivery) => number = (d) => (d.verdict.kind === 'verified' ? 204 : 401),
) {
  const deliveries: Delivery[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const delivery = {
        headers: request.headers,
        body,
        verdict: verifyStandardWebhook({ headers: request.headers, body, secret, now: now() }),
      };
      deliveries.push(delivery);
      response.writeHead(status(delivery)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/tend`;
  return { url, deliveries, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const secret = `whsec_${Buffer.from('tend-test-secret-32-bytes-long!!').toString('base64')}`;
const sentAt = new Date('2025-03-14T09:26:53.589Z');
const clock = { now: () => sentAt };

function webhook(url: string, overrides: Partial<OutboundWebhook> = {}): OutboundWebhook {
  return {
    idempotencyKey: 'run-5/step-4/account-77',
    url,
    secret,
    eventType: 'task.escalated',
    payload: { account: 'acct-77', owner: 'maria@acme.example', dueAt: '2025-03-16T09:00:00Z' },
    ...overrides,
  };
}

describe('Standard Webhooks signatures', () => {
  it("reproduces the specification's reference signature and verifies it", () => {
    expect(
      standardWebhookHeaders({
        id: reference.id,
        timestamp: at(reference.timestamp),
        body: reference.body,
        secret: reference.secret,
      }),
    ).toEqual({
      'webhook-id': reference.id,
      'webhook-timestamp': String(reference.timestamp),
      'webhook-signature': reference.signature,
    });
    const headers = {
      'webhook-id': reference.id,
      'webhook-timestamp': String(reference.timestamp),
      'webhook-signature': `v1,bm90IGl0 ${reference.signature}`,
    };
    expect(
      verifyStandardWebhook({
        headers,
        body: reference.body,
        secret: reference.secret,
        now: at(reference.timestamp + 10),
      }),
    ).toEqual({
      kind: 'verified',
      id: reference.id,
      timestamp: at(reference.timestamp),
    });
  });

  it('rejects a changed body, another secret, and a timestamp more than 5 minutes away', () => {
    const headers = {
      'webhook-id': reference.id,
      'webhook-timestamp': String(reference.timestamp),
      'webhook-signature': reference.signature,
    };
    const verify = (changes: Partial<Parameters<typeof verifyStandardWebhook>[0]>) =>
      verifyStandardWebhook({
        headers,
        body: reference.body,
        secret: reference.secret,
        now: at(reference.timestamp),
        ...changes,
      }).kind;
    expect(verify({ body: '{"test": 2432232315}' })).toBe('rejected');
    expect(verify({ secret })).toBe('rejected');
    expect(verify({ now: at(reference.timestamp + 299) })).toBe('verified');
    expect(verify({ now: at(reference.timestamp + 301) })).toBe('rejected');
    expect(verify({ now: at(reference.timestamp - 301) })).toBe('rejected');
    expect(verify({ headers: { ...headers, 'webhook-signature': `v2,${reference.signature.slice(3)}` } })).toBe(
      'rejected',
    );
    expect(verify({ headers: { 'webhook-id': reference.id } })).toBe('rejected');
  });
});

describe('sending webhooks', () => {
  it(
    'delivers a body the receiver verifies, dated by the injected clock ' + 'and keyed by the idempotency key',
    async () => {
      const receiver = await startReceiver(secret, () => new Date(sentAt.getTime() + 2_000));
      cleanups.push(receiver.close);
      const result = await createWebhookSender({ clock }).send(webhook(receiver.url));
      expect(result).toEqual({ status: 204 });
      expect(receiver.deliveries).toHaveLength(1);
      const delivery = receiver.deliveries[0]!;
      expect(delivery.verdict).toEqual({
        kind: 'verified',
        id: 'run-5/step-4/account-77',
        timestamp: new Date('2025-03-14T09:26:53Z'),
      });
      expect(delivery.headers['webhook-timestamp']).toBe(String(Math.floor(sentAt.getTime() / 1000)));
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(JSON.parse(delivery.body)).toEqual({
        type: 'task.escalated',
        timestamp: '2025-03-14T09:26:53.589Z',
        data: { account: 'acct-77', owner: 'maria@acme.example', dueAt: '2025-03-16T09:00:00Z' },
      });
    },
  );

  it('is refused by a receiver whose clock is more than 5 minutes ahead, as a final error', async () => {
    const receiver = await startReceiver(secret, () => new Date(sentAt.getTime() + 6 * 60_000));
    cleanups.push(receiver.close);
    const error = await createWebhookSender({ clock })
      .send(webhook(receiver.url))
      .catch((caught: unknown) => caught);
    expect(receiver.deliveries[0]!.verdict).toEqual({
      kind: 'rejected',
      reason: 'webhook-timestamp is 360 s old (tolerance 300 s)',
    });
    expect(error).toMatchObject({ failure: 'rejected', retryable: false });
    expect((error as Error).message).toMatch(/refused it \(401\)/);
  });

  it('retries on 429 and 5xx, not on other 4xx', async () => {
    const statuses = [429, 503, 500, 410, 400];
    const receiver = await startReceiver(secret, clock.now, () => statuses[0]!);
    cleanups.push(receiver.close);
    const sender = createWebhookSender({ clock });
    const retryable: boolean[] = [];
    while (statuses.length > 0) {
      const error = await sender.send(webhook(receiver.url)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ChannelError);
      retryable.push((error as ChannelError).retryable);
      statuses.shift();
    }
    expect(retryable).toEqual([true, true, true, false, false]);
    expect(receiver.deliveries.every((delivery) => delivery.verdict.kind === 'verified')).toBe(true);
  });

  it('refuses a secret that is not a Standard Webhooks secret, without echoing it, and sends nothing', async () => {
    const receiver = await startReceiver(secret, clock.now);
    cleanups.push(receiver.close);
    const sender = createWebhookSender({ clock });
    for (const bad of ['plain-shared-secret', 'whsec_not*base64', `whsec_${Buffer.from('short').toString('base64')}`]) {
      const error = await sender.send(webhook(receiver.url, { secret: bad })).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ failure: 'misconfigured', retryable: false });
      expect((error as Error).message).not.toContain(bad);
    }
    expect(receiver.deliveries).toHaveLength(0);
  });

  it('treats an unreachable receiver as retryable', async () => {
    const receiver = await startReceiver(secret, clock.now);
    await receiver.close();
    await expect(createWebhookSender({ clock }).send(webhook(receiver.url))).rejects.toMatchObject({
      failure: 'unreachable',
      retryable: true,
    });
  });
});
