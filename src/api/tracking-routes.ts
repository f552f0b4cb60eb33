// The Segment HTTP Tracking API (identify, track, page, screen, group, alias, batch, import), so that
// an unchanged Segment or RudderStack SDK can send to Tend by pointing its host here. A request is
// answered 200 only after everything in it is committed.
import { createGunzip, createInflate } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import type { TrackingMessageType } from '../domain/tracking-message.js';
import { maximumRequestBytes, parseTrackingRequest } from '../ingest/tracking-request.js';
import type { EventPartitions } from '../store/event-partitions.js';
import { newId } from '../store/ids.js';
import type { EngineWork, IngestPolicy } from '../store/relationship-derivations.js';
import type { Database } from '../store/schema.js';
import { GroupCommitter } from '../ingest/group-commit.js';
import { recordTrackingRequests } from '../store/tracking-writer.js';
import { type Credentials, basicAuthUser } from './credentials.js';
import type { Kysely } from 'kysely';

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
  readonly database: Kysely<Database>;
  readonly partitions: EventPartitions;
  readonly credentials: Credentials;
  readonly clock: Clock;
  readonly ingestPolicy: IngestPolicy;
  /** Groups of requests written at once (see GroupCommitter); 1 unless the store has a connection pool. */
  readonly ingestWriters?: number;
  /** Called after a request's events are committed (wakes the signal evaluation). */
  readonly afterCommit: (work: EngineWork) => void;
}

export async function trackingRoutes(server: FastifyInstance, dependencies: TrackingDependencies): Promise<void> {
  // SDKs send JSON, some with text/plain or no content type at all: parse every body as JSON here.
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      done(new TendError('invalid_json', `The request body is not valid JSON (${(error as Error).message}). Send one JSON object.`, [{ field: 'body', message: 'is not valid JSON' }]), undefined);
    }
  });
  server.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
    if (encoding === 'identity' || encoding === '') return payload;
    if (encoding === 'gzip' || encoding === 'deflate') {
      // Fastify checks Content-Length against the bytes received on the wire, which it reads from here.
      const inflated = Object.assign(encoding === 'gzip' ? createGunzip() : createInflate(), { receivedEncodedLength: 0 });
      payload.on('data', (chunk: Buffer) => {
        inflated.receivedEncodedLength += chunk.length;
      });
      return payload.pipe(inflated);
    }
    throw new TendError('unsupported_encoding', `Content-Encoding ${encoding} is not supported: send the body plain or gzip-compressed.`, [{ field: 'content-encoding', message: 'must be gzip, deflate or absent' }]);
  });

  const committer = new GroupCommitter((requests) => recordTrackingRequests(dependencies.database, dependencies.partitions, requests, dependencies.ingestPolicy), 5000, dependencies.ingestWriters ?? 1);

  for (const [path, endpoint] of Object.entries(endpoints)) {
    server.post(
      `/v1/${path}`,
      {
        bodyLimit: maximumRequestBytes,
        schema: {
          tags: ['tracking'],
          summary: endpoint === 'batch' ? `Send many messages at once (${path})` : `Segment ${endpoint} call`,
          description: 'Segment HTTP Tracking API. Authenticate with the write key as HTTP Basic user name, or writeKey in the body. Gzip bodies accepted. Limits: 32 KB per event, 500 KB per request.',
          security: [{ writeKey: [] }],
          response: { 200: { type: 'object', properties: { success: { type: 'boolean' } } } },
        },
      },
      async (request) => {
        const receivedAt = dependencies.clock.now();
        const parsed = parseTrackingRequest(request.body, endpoint, newId);
        const source = await dependencies.credentials.sourceFor(basicAuthUser(request.headers.authorization) ?? parsed.writeKey);
        const outcome = await committer.submit({ sourceId: source.id, messages: parsed.messages, receivedAt });
        if (outcome.engineWork !== 'none') dependencies.afterCommit(outcome.engineWork);
        return { success: true };
      },
    );
  }
}
