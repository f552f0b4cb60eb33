// The Segment HTTP Tracking API (identify, track, page, screen, group, alias, batch, import), so that
// an unchanged Segment or RudderStack SDK can send to Tend by pointing its host here. A request is
// answered 200 only after everything in it is committed.
import { createGunzip, createInflate } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import type { TrackingMessage, TrackingMessageType } from '../domain/tracking-message.js';
import type { EventTimeWindow } from '../domain/time-limits.js';
import { maximumRequestBytes, parseTrackingRequest } from '../ingest/tracking-request.js';
import type { EventPartitions } from '../store/event-partitions.js';
import { newId } from '../store/ids.js';
import type { EngineWork, IngestPolicy } from '../domain/relationship/ingest-plan.js';
import type { Database } from '../store/schema.js';
import { GroupCommitter } from '../ingest/group-commit.js';
import { recordTrackingRequests } from '../store/tracking-writer.js';
import { type Credentials, basicAuthUser } from './credentials.js';
import { browserKeyProblems } from '../domain/write-key-kinds.js';
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
  /** The event times accepted around the clock's now (tend.config.yaml's ingest section). */
  readonly eventTimes: EventTimeWindow;
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

  const committer = new GroupCommitter(
    (requests) =>
      recordTrackingRequests(dependencies.database, dependencies.partitions, requests, dependencies.ingestPolicy),
    5000,
    dependencies.ingestWriters ?? 1,
  );

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
            'Segment HTTP Tracking API. Authenticate with the write key as HTTP Basic user name, or writeKey in the body. Gzip bodies accepted. Limits: 32 KB per event, 500 KB per request.',
          security: [{ writeKey: [] }],
          response: { 200: { type: 'object', properties: { success: { type: 'boolean' } } } },
        },
      },
      async (request) => {
        const receivedAt = dependencies.clock.now();
        const times = { now: receivedAt, window: dependencies.eventTimes };
        const parsed = parseTrackingRequest(request.body, endpoint, newId, times);
        const source = await dependencies.credentials.sourceOf(request, parsed.writeKey);
        if (source.kind === 'browser') refuseForBrowsers(parsed.messages, endpoint === 'batch');
        const outcome = await committer.submit({ sourceId: source.id, messages: parsed.messages, receivedAt });
        if (outcome.engineWork !== 'none') dependencies.afterCommit(outcome.engineWork);
        return { success: true };
      },
    );
  }
}

/** A browser key's request holding what only a server may send: refused whole, nothing stored. */
function refuseForBrowsers(messages: readonly TrackingMessage[], batch: boolean): void {
  const problems = browserKeyProblems(messages, batch);
  if (problems.length === 0) return;
  const listed = problems
    .slice(0, 3)
    .map((problem) => `${problem.field} ${problem.message}`)
    .join('; ');
  throw new TendError('forbidden', `Nothing was stored: ${listed}.`, problems);
}
