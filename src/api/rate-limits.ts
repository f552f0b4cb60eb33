// The HTTP API's rate limits (limits: in tend.config.yaml): per source on the Tracking API, per admin
// token and per caller's address on the admin API. Checked in hooks before a body is parsed or a token
// looked up, so that a refused request costs next to nothing; answered 429 with Retry-After.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import { addressKey } from '../domain/rate-limit-address.js';
import { type Admission, type RateLimit, type RateLimits, TokenBuckets } from '../domain/rate-limit.js';
import { hashSecret } from '../store/secrets.js';
import { type Credentials, basicAuthUser, bearerToken } from './credentials.js';
import type { ErrorBody } from './error-handler.js';
import { sessionTokenOf } from './session-cookie.js';

export interface RateLimitDependencies {
  readonly credentials: Credentials;
  readonly limits: RateLimits;
  /** Real time: the business clock may be manual, or moved months ahead. */
  readonly processClock: Clock;
}

type Source = { readonly id: string; readonly name: string };
type TrackingLimit = 'requests' | 'events';

/** Admin tokens and write keys remembered as having authenticated lately (see the failed-authentication gate). */
const knownTokensKept = 1_000;

/** Registers the hooks on the root server, before the routes, so that every scope inherits them. */
export function registerRateLimits(server: FastifyInstance, dependencies: RateLimitDependencies): void {
  const { limits, credentials } = dependencies;
  const now = (): number => dependencies.processClock.now().getTime();
  const requests = new TokenBuckets(limits.tracking.requests);
  const events = new TokenBuckets(limits.tracking.events);
  const perToken = new TokenBuckets(limits.admin.perToken);
  const perAddress = new TokenBuckets(limits.admin.perAddress);
  const failures = new TokenBuckets(limits.admin.failedAuthentications);
  // Apart from the admin API's: a misconfigured SDK sending a wrong key must not lock an admin out.
  const trackingFailures = new TokenBuckets(limits.admin.failedAuthentications);
  const knownTokens = new Set<string>();
  /** Tracking requests counted before parsing (their write key was in the header). */
  const counted = new WeakMap<FastifyRequest, Source>();

  // A refused tracking request is answered with a body written once per source and limit, sent as it
  // is (no error thrown): the cheapest answer, since a flood is mostly refusals (docs/benchmarks/2026-12-07-limits.md).
  const refusals = new Map<string, string>();
  const refuseTracking = (reply: FastifyReply, admission: Admission, source: Source, what: TrackingLimit): boolean => {
    if (admission.kind === 'admitted') return false;
    const key = `${what} ${source.id}`;
    let body = refusals.get(key);
    if (body === undefined) {
      body = JSON.stringify(errorBody(trackingRefusal(source, what, limits.tracking[what])));
      refusals.set(key, body);
    }
    reply.code(429).header('retry-after', String(admission.retryAfterSeconds));
    void reply.type('application/json; charset=utf-8').send(body);
    return true;
  };

  /** Counts a tracking request against its source; true when it was refused (answered 429). */
  const refusedTracking = (source: Source, reply: FastifyReply, at: number): boolean =>
    // Asking the events bucket takes nothing from it, so a refusal there costs the source no request.
    refuseTracking(reply, events.take(source.id, 0, at), source, 'events') ||
    refuseTracking(reply, requests.take(source.id, 1, at), source, 'requests');

  server.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/v1/')) {
      const at = now();
      // As on the admin API: an address that keeps sending wrong keys is refused before its key is looked
      // up (a flood of different wrong keys would cost a look-up each), unless its key worked lately.
      const headerKey = basicAuthUser(request.headers.authorization);
      if (headerKey === null || !knownTokens.has(hashSecret(headerKey).toString('base64'))) {
        const failed = trackingFailures.take(addressKey(request.ip), 0, at);
        const credential = 'the write key (the HTTP Basic user name)';
        check(reply, failed, () => failureRefusal(request.ip, limits.admin.failedAuthentications, credential));
      }
      // Credentials looks the key up once per request, for these hooks and the route alike (credentials.ts).
      const verdict = await credentials.writeKeyOf(request);
      if (verdict.kind !== 'known') return; // a key in the body, or none: counted once parsed; a wrong one: 401
      const source = verdict.source;
      if (refusedTracking(source, reply, at)) return reply;
      counted.set(request, source);
    } else if (request.url.startsWith('/api/v1/')) {
      const address = addressKey(request.ip);
      const tokenKey = tokenKeyOf(request);
      const credentialKey = tokenKey ?? sessionKeyOf(request);
      const at = now();
      // First, so that a flood of wrong tokens costs no look-up. Tokens (and people's sessions) that
      // authenticated lately pass, so that one caller's failures do not lock out the others behind the
      // same address.
      if (credentialKey === null || !knownTokens.has(credentialKey)) {
        const failed = failures.take(address, 0, at);
        check(reply, failed, () => failureRefusal(request.ip, limits.admin.failedAuthentications));
      }
      check(reply, perAddress.take(address, 1, at), () => addressRefusal(request.ip, limits.admin.perAddress));
      if (tokenKey !== null) check(reply, perToken.take(tokenKey, 1, at), () => tokenRefusal(limits.admin.perToken));
    }
  });

  // Events can only be counted once the body is parsed.
  server.addHook('preHandler', async (request, reply) => {
    if (!request.url.startsWith('/v1/')) return;
    const at = now();
    let source = counted.get(request) ?? null;
    if (source === null) {
      // The route takes the header's key before the body's: only a key in the body alone is counted here.
      if (basicAuthUser(request.headers.authorization) !== null) return;
      const verdict = await credentials.writeKeyOf(request, writeKeyInBody(request.body));
      if (verdict.kind !== 'known') return; // the route answers 401
      source = verdict.source;
      if (refusedTracking(source, reply, at)) return reply;
    }
    if (refuseTracking(reply, events.take(source.id, eventsIn(request.body), at), source, 'events')) return reply;
  });

  server.addHook('onResponse', async (request, reply) => {
    const tracking = request.url.startsWith('/v1/');
    if (!tracking && !request.url.startsWith('/api/v1/')) return;
    const bearer = tracking ? writeKeyKeyOf(request) : tokenKeyOf(request);
    const tokenKey = bearer ?? (tracking ? null : sessionKeyOf(request));
    // A session is remembered only once it signed a request in (a public route answers any cookie).
    const vouched = bearer !== null || signedInBySession(credentials, request);
    if (reply.statusCode === 401) {
      (tracking ? trackingFailures : failures).charge(addressKey(request.ip), 1, now());
      if (tokenKey !== null) knownTokens.delete(tokenKey); // revoked since
    } else if (tokenKey !== null && vouched && reply.statusCode !== 429 && !knownTokens.has(tokenKey)) {
      if (knownTokens.size >= knownTokensKept) knownTokens.delete(knownTokens.values().next().value!);
      knownTokens.add(tokenKey);
    }
  });
}

/** A person's session cookie, hashed as the known-credentials set holds it. */
function sessionKeyOf(request: FastifyRequest): string | null {
  const token = sessionTokenOf(request);
  return token === null ? null : hashSecret(`session ${token}`).toString('base64');
}

function signedInBySession(credentials: Credentials, request: FastifyRequest): boolean {
  try {
    return credentials.viewerOf(request).user !== null;
  } catch {
    return false; // not authenticated: a public route, or refused before
  }
}

function tokenKeyOf(request: FastifyRequest): string | null {
  const token = bearerToken(request.headers.authorization);
  return token === null ? null : hashSecret(token).toString('base64');
}

/** The header's write key, hashed as the known-keys set holds it (a key in the body is not remembered). */
function writeKeyKeyOf(request: FastifyRequest): string | null {
  const key = basicAuthUser(request.headers.authorization);
  return key === null ? null : hashSecret(key).toString('base64');
}

function writeKeyInBody(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || !('writeKey' in body)) return null;
  return typeof body.writeKey === 'string' && body.writeKey !== '' ? body.writeKey : null;
}

/** A batch counts its messages (an invalid batch is refused later, counted all the same); any other call one. */
function eventsIn(body: unknown): number {
  const batch = typeof body === 'object' && body !== null && 'batch' in body ? body.batch : null;
  return Array.isArray(batch) ? batch.length : 1;
}

/** Throws the refusal (built only then) with Retry-After when the bucket refused. */
function check(reply: FastifyReply, admission: Admission, refusal: () => TendError): void {
  if (admission.kind === 'admitted') return;
  reply.header('retry-after', String(admission.retryAfterSeconds));
  throw refusal();
}

/** The error handler's shape (error-handler.ts), for answers sent without it. */
function errorBody(error: TendError): ErrorBody {
  const errors = error.problems.map((problem) => ({ ...problem }));
  return { success: false, error: error.code, message: error.message, errors };
}

function limitError(field: string, message: string, limit: RateLimit, per: string): TendError {
  const rate = `${shown(limit.perSecond)} a second ${per}, burst ${shown(limit.burst)}`;
  return new TendError('rate_limited', message, [{ field, message: rate }]);
}

const shown = (count: number): string => count.toLocaleString('en');
const raise = (field: string): string => `raise ${field} in tend.config.yaml and restart Tend`;

function trackingRefusal(source: Source, what: TrackingLimit, limit: RateLimit): TendError {
  const field = `limits.tracking.${what}`;
  const batches = what === 'requests' ? ' send more events per batch,' : '';
  const message =
    `Source ${JSON.stringify(source.name)} sent more than ${shown(limit.perSecond)} ${what} a second ` +
    `(burst ${shown(limit.burst)}): nothing of this request was stored. Retry after the seconds in Retry-After ` +
    `(the Segment SDKs do so by themselves),${batches} or ${raise(field)}.`;
  return limitError(field, message, limit, `${what} per source`);
}

function tokenRefusal(limit: RateLimit): TendError {
  const field = 'limits.admin.perToken';
  const message =
    `This admin token made more than ${shown(limit.perSecond)} requests a second (burst ${shown(limit.burst)}). ` +
    `Retry after the seconds in Retry-After, or ${raise(field)}.`;
  return limitError(field, message, limit, 'requests per admin token');
}

function addressRefusal(address: string, limit: RateLimit): TendError {
  const field = 'limits.admin.perAddress';
  const message =
    `More than ${shown(limit.perSecond)} admin API requests a second came from ${address} ` +
    `(burst ${shown(limit.burst)}). Retry after the seconds in Retry-After, or ${raise(field)}.`;
  return limitError(field, message, limit, 'requests per address');
}

function failureRefusal(
  address: string,
  limit: RateLimit,
  credential = 'the admin token (Authorization: Bearer …)',
): TendError {
  const field = 'limits.admin.failedAuthentications';
  const message =
    `Too many failed authentications came from ${address} (more than ${shown(limit.burst)}, then ` +
    `${shown(limit.perSecond)} a second): until Retry-After, requests from there are refused before their token ` +
    `is checked, unless it authenticated lately. Check ${credential}; ${raise(field)}.`;
  return limitError(field, message, limit, 'failed authentications per address');
}
