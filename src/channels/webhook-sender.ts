// Sends signed webhooks per the Standard Webhooks spec (standardwebhooks.com): `webhook-id`,
// `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, and
// verifies them the same way (for receivers, and for our tests). Time comes in; it is never read here.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { retryAfterMilliseconds } from '../domain/send-pace.js';
import type { Clock } from '../domain/clock.js';
import { ChannelError, type WebhookSender } from './channel-messages.js';

export interface WebhookSenderOptions {
  /** Dates `webhook-timestamp` and the body's `timestamp`. */
  readonly clock: Clock;
  /** Give up on a silent receiver after this long (default 15 s). */
  readonly timeoutMs?: number;
}

/** A WebhookSender that posts `{ type, timestamp, data }` as JSON with the three signature headers. */
export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    async send(webhook) {
      const fail = (failure: 'misconfigured' | 'rejected', what: string) =>
        new ChannelError('webhook', failure, false, `Webhook ${webhook.idempotencyKey} to ${webhook.url}: ${what}`);
      const key = secretKey(webhook.secret);
      if (typeof key === 'string') throw fail('misconfigured', key);
      if (!/^https?:\/\//i.test(webhook.url) || !URL.canParse(webhook.url))
        throw fail('misconfigured', 'the address must be an http(s) URL');
      const now = options.clock.now();
      const body = JSON.stringify({
        type: webhook.eventType,
        timestamp: now.toISOString(),
        data: webhook.payload ?? null,
      });
      const headers = signedHeaders(key, webhook.idempotencyKey, unixSeconds(now), body);
      let response: Response;
      try {
        response = await fetch(webhook.url, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'Tend-Webhooks/1' },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new ChannelError(
          'webhook',
          'unreachable',
          true,
          `Could not reach the webhook receiver ${webhook.url} (${why}); it will be retried`,
          { cause: error },
        );
      }
      await response.body?.cancel().catch(() => undefined);
      const status = response.status;
      if (status >= 200 && status < 300) return { status };
      if (status === 429)
        throw new ChannelError(
          'webhook',
          'rate-limited',
          true,
          `The webhook receiver ${webhook.url} asked to slow down (429); it will be retried`,
          { retryAfterMs: retryAfterMilliseconds(response.headers.get('retry-after'), Date.now()) },
        );
      if (status >= 500 || status === 408)
        throw new ChannelError(
          'webhook',
          'provider-error',
          true,
          `The webhook receiver ${webhook.url} failed (${status}); it will be retried`,
        );
      if (status >= 300 && status < 400)
        throw fail('misconfigured', `the receiver redirects (${status}); configure the final URL`);
      throw fail('rejected', `the receiver refused it (${status})`);
    },
  };
}

/**
 * The Standard Webhooks headers for a body: for a receiver's own tests, and for senders other than
 * `createWebhookSender` (the CLI's test-webhook command, for example).
 */
export function standardWebhookHeaders(webhook: {
  id: string;
  timestamp: Date;
  body: string;
  secret: string;
}): Record<string, string> {
  const key = secretKey(webhook.secret);
  if (typeof key === 'string') throw new ChannelError('webhook', 'misconfigured', false, key);
  return signedHeaders(key, webhook.id, unixSeconds(webhook.timestamp), webhook.body);
}

export type WebhookVerification =
  | { readonly kind: 'verified'; readonly id: string; readonly timestamp: Date }
  | { readonly kind: 'rejected'; readonly reason: string };

/**
 * Checks a received webhook: the signature over the exact body bytes (any of several `v1,` entries,
 * compared in constant time) and a timestamp within `toleranceSeconds` (default 5 minutes) of `now`.
 */
export function verifyStandardWebhook(request: {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: string;
  readonly secret: string;
  readonly now: Date;
  readonly toleranceSeconds?: number;
}): WebhookVerification {
  const key = secretKey(request.secret);
  if (typeof key === 'string') return { kind: 'rejected', reason: key };
  const header = (name: string) => {
    const entry = Object.entries(request.headers).find(([given]) => given.toLowerCase() === name)?.[1];
    return typeof entry === 'string' ? entry : entry?.[0];
  };
  const id = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!id || !timestamp || !signatures)
    return { kind: 'rejected', reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { kind: 'rejected', reason: 'webhook-timestamp is not whole seconds' };
  const skew = unixSeconds(request.now) - Number(timestamp);
  const tolerance = request.toleranceSeconds ?? 300;
  if (skew > tolerance)
    return { kind: 'rejected', reason: `webhook-timestamp is ${skew} s old (tolerance ${tolerance} s)` };
  if (-skew > tolerance)
    return { kind: 'rejected', reason: `webhook-timestamp is ${-skew} s in the future (tolerance ${tolerance} s)` };
  const expected = Buffer.from(signature(key, id, Number(timestamp), request.body), 'utf8');
  const matches = signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || value === undefined) return false;
    const presented = Buffer.from(value, 'utf8');
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  });
  return matches
    ? { kind: 'verified', id, timestamp: new Date(Number(timestamp) * 1000) }
    : { kind: 'rejected', reason: 'no signature matches' };
}

function signedHeaders(key: Buffer, id: string, timestamp: number, body: string): Record<string, string> {
  if (/[\r\n]/.test(id))
    throw new ChannelError('webhook', 'invalid-message', false, 'The webhook id contains a line break');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${signature(key, id, timestamp, body)}`,
  };
}

function signature(key: Buffer, id: string, timestamp: number, body: string): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
}

/** The secret's key bytes, or what is wrong with it (never echoing the secret). */
function secretKey(secret: string): Buffer | string {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : null;
  if (encoded === null)
    return 'the secret must start with whsec_ (Standard Webhooks), followed by base64 of 24 to 64 random bytes';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0)
    return 'the part of the secret after whsec_ is not base64';
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 24 || key.length > 64)
    return `the secret holds ${key.length} bytes; Standard Webhooks asks for 24 to 64 random bytes`;
  return key;
}

function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
