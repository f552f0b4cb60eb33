// The Segment HTTP Tracking API (identify, track, page, screen, group, alias, batch, import), so that
// an unchanged Segment or RudderStack SDK can send to Tend by pointing its host here. A request is
// answered 200 only after everything in it is committed.
import { createGunzip, createInflate } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import type { TrackingMessageType } from '../domain/tracking-message.js';
import type { EventTimeWindow } from '../domain/time-limits.js';
import type { Ingest } from '../ingest/ingest-batch.js';
import { maximumRequestBytes } from '../ingest/tracking-request.js';
import { type Credentials, basicAuthUser } from './credentials.js';

const endpoints: Record<string, TrackingMessageType | 'batch'> = {
  identify: 'identify',
  track: 'track',
  page: 'page',
  screen: 'screen',
  group: 'group',
  alias: 'alias',
  batch: 'batch',
  import: 'batch',
};

export interface TrackingDependencies {
  readonly credentials: Credentials;
  readonly clock: Clock;
  /** The event times accepted around the clock's now (tend.config.yaml's ingest section). */
  readonly eventTimes: EventTimeWindow;
  /** Parses, stores and evaluates a call's events, then wakes the engine (ingest-batch.ts). */
  readonly ingest: Ingest;
}

export async function trackingRoutes(server: FastifyInstance, dependencies: TrackingDependencies): Promise<void> {
  // SDKs send JSON, some with text/plain or no content type at all: parse every body as JSON here.
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      done(
        new TendError(
          'invalid_json',
          `The request body is not valid JSON (${(error as Error).message}). Send one JSON object.`,
          [{ field: 'body', message: 'is not valid JSON' }],
        ),
        undefined,
      );
    }
  });
  server.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
    if (encoding === 'identity' || encoding === '') return payload;
    if (encoding === 'gzip' || encoding === 'deflate') {
      // Fastify checks Content-Length against the bytes received on the wire, which it reads from here.
      const inflated = Object.assign(encoding === 'gzip' ? createGunzip() : createInflate(), {
        receivedEncodedLength: 0,
      });
      payload.on('data', (chunk: Buffer) => {
        inflated.receivedEncodedLength += chunk.length;
      });
      return payload.pipe(inflated);
    }
    throw new TendError(
      'unsupported_encoding',
      `Content-Encoding ${encoding} is not supported: send the body plain or gzip-compressed.`,
      [{ field: 'content-encoding', message: 'must be gzip, deflate or absent' }],
    );
  });

  // A key in the header is checked before the body is read: a wrong one costs no decompression or parsing.
  server.addHook('onRequest', async (request) => {
    if (basicAuthUser(request.headers.authorization) !== null) await dependencies.credentials.sourceOf(request);
  });

  for (const [path, endpoint] of Object.entries(endpoints)) {
    server.post(
      `/v1/${path}`,
      {
        bodyLimit: maximumRequestBytes,
        // The body's NULs, surrogates and nesting are checked with the batch's field names (tracking-request.ts).
        config: { checksOwnBody: true },
        schema: {
          tags: ['tracking'],
          summary: endpoint === 'batch' ? `Send many messages at once (${path})` : `Segment ${endpoint} call`,
          description:
            'Segment HTTP Tracking API. Authenticate with the write key as HTTP Basic user name, or writeKey ' +
            'in the body. Gzip bodies accepted. Limits: 32 KB per event, 500 KB per request.',
          security: [{ writeKey: [] }],
          response: { 200: { type: 'object', properties: { success: { type: 'boolean' } } } },
        },
      },
      async (request) => {
        const receivedAt = dependencies.clock.now();
        await dependencies.ingest.track({
          body: request.body,
          endpoint,
          times: { now: receivedAt, window: dependencies.eventTimes },
          sourceOf: (bodyKey) => dependencies.credentials.sourceOf(request, bodyKey),
        });
        return { success: true };
      },
    );
  }
}
