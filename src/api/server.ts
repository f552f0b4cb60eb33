// Builds the HTTP server: the Tracking API, the admin API, health, and the OpenAPI document at /docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Clock } from '../domain/clock.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import type { Scheduler } from '../engine/scheduler.js';
import type { Ingest } from '../ingest/ingest-batch.js';
import type { Database } from '../store/schema.js';
import { adminRoutes } from './admin-routes.js';
import { auditLogRoutes } from './audit-log-routes.js';
import { keyRoutes } from './key-routes.js';
import { clockRoutes } from './clock-routes.js';
import { relationshipRoutes } from './relationship-routes.js';
import { taskRoutes } from './task-routes.js';
import { notificationRoutes } from './notification-routes.js';
import { defaultSendPolicy } from '../domain/playbooks/send-policy.js';
import { modelRoutes } from './model-routes.js';
import { type HealthRefits, healthModelRoutes } from './health-model-routes.js';
import { playbookRoutes } from './playbook-routes.js';
import type { LoadedPlaybooks } from '../config/playbook-library.js';
import { Credentials } from './credentials.js';
import { registerSessions } from './session-cookie.js';
import { sessionRoutes } from './session-routes.js';
import { registerRateLimits } from './rate-limits.js';
import { defaultRateLimits, type RateLimits } from '../domain/rate-limit.js';
import { registerErrorHandler } from './error-handler.js';
import { redactLogArguments, requestForLog } from './log-redaction.js';
import { registerInputGuard, validatorSettings } from './input-guard.js';
import { trackingRoutes } from './tracking-routes.js';
import { messageRoutes } from './message-routes.js';
import { consentRoutes } from './consent-routes.js';
import { privacyRoutes } from './privacy-routes.js';
import type { InboundEmailSettings, SmsChannelSettings } from '../channels/channel-settings.js';
import { inboundEmailRoutes } from './inbound-email-routes.js';
import { appRoutes } from './app-routes.js';
import { accountListRoutes } from './account-list-routes.js';
import { accountDetailRoutes } from './account-detail-routes.js';
import { promiseRoutes } from './promise-routes.js';
import { policyRoutes } from './policy-routes.js';
import { signalKindRoutes } from './signal-kind-routes.js';
import { playbookDetailRoutes } from './playbook-detail-routes.js';
import { messagePreviewRoutes } from './message-preview-routes.js';
import { oversightRoutes } from './oversight-routes.js';
import { reportRoutes } from './report-routes.js';
import { conversationRoutes } from './conversation-routes.js';
import type { InvitationMail } from '../engine/invitations.js';
import type { TrustedProxies } from '../config/settings.js';

export interface ServerDependencies {
  readonly database: Kysely<Database>;
  /** The business clock: stamps events that carry no time. */
  readonly clock: Clock;
  /** Real time, for caches and timeouts, even when the business clock is manual. */
  readonly processClock: Clock;
  readonly logLevel?: string;
  readonly version: string;
  readonly config: TendConfig;
  /** Woken after writes that make work due. */
  readonly scheduler: Scheduler;
  /** The health score's learning: refits an admin asks for. */
  readonly healthLearning: HealthRefits;
  /** How events come in: every ingest route goes through it (ingest-batch.ts). */
  readonly ingest: Ingest;
  readonly playbooks: LoadedPlaybooks;
  /** What providers and recipients call back: the SMS settings (signatures) and the public address. */
  readonly messages?: {
    readonly sms: SmsChannelSettings;
    readonly publicUrl: () => string;
    readonly inboundEmail?: InboundEmailSettings;
  };
  /** Requests and events a second per source, per admin token and per address (tend.config.yaml). */
  readonly limits?: RateLimits;
  /** How sign-in links can be e-mailed (SMTP); not at all when absent. */
  readonly invitations?: InvitationMail;
  /** The reverse proxies whose X-Forwarded-For gives the client's address (TEND_TRUST_PROXY). */
  readonly trustProxy?: TrustedProxies | null;
}

export async function buildServer(dependencies: ServerDependencies): Promise<FastifyInstance> {
  const server = Fastify({
    logger: {
      level: dependencies.logLevel ?? 'info',
      redact: ['req.headers.authorization'],
      // Unsubscribe and link tokens in URLs are capabilities: never in the logs.
      serializers: { req: requestForLog },
      hooks: { logMethod: redactLogArguments },
    },
    // Behind a named proxy the client's own address counts for the limits per address, not the proxy's.
    ...(dependencies.trustProxy ? { trustProxy: trustProxySetting(dependencies.trustProxy) } : {}),
    forceCloseConnections: false,
    return503OnClosing: true,
    ajv: validatorSettings,
  });
  registerErrorHandler(server);
  registerInputGuard(server);
  await server.register(swagger, {
    openapi: {
      info: {
        title: 'Tend',
        version: dependencies.version,
        description: 'Customer-retention engine: Segment-compatible ingestion and the admin API.',
      },
      components: {
        securitySchemes: {
          writeKey: { type: 'http', scheme: 'basic', description: 'The write key as user name, empty password.' },
          adminToken: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'tend_session', description: 'A person signed in.' },
          inboundEmailSecret: {
            type: 'http',
            scheme: 'basic',
            description: 'TEND_INBOUND_EMAIL_SECRET as password, or bearer.',
          },
        },
      },
    },
  });
  await server.register(swaggerUi, { routePrefix: '/docs' });
  const credentials = new Credentials(dependencies.database, dependencies.processClock);
  const people = {
    database: dependencies.database,
    credentials,
    processClock: dependencies.processClock,
    sessionIdleDays: dependencies.config.people.sessionIdleDays,
    publicUrl: dependencies.messages?.publicUrl ?? (() => 'http://localhost'),
  };
  await registerSessions(server, people);
  registerRateLimits(server, {
    credentials,
    limits: dependencies.limits ?? defaultRateLimits,
    processClock: dependencies.processClock,
  });

  const healthy = {
    type: 'object',
    properties: { status: { const: 'ok' }, database: { const: 'ok' }, time: { type: 'string', format: 'date-time' } },
    required: ['status', 'database', 'time'],
  };
  const down = {
    type: 'object',
    properties: { status: { const: 'unavailable' }, database: { const: 'unreachable' } },
    required: ['status', 'database'],
  };
  const healthSummary = 'Liveness and database reachability';
  const healthSchema = { tags: ['health'], summary: healthSummary, response: { 200: healthy, 503: down } };
  server.get('/health', { schema: healthSchema }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(dependencies.database);
      return { status: 'ok', database: 'ok', time: dependencies.clock.now().toISOString() };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });
  const { database, clock, config, scheduler, ingest } = dependencies;
  await server.register(async (scope) =>
    trackingRoutes(scope, { credentials, clock, eventTimes: config.ingest, ingest }),
  );
  await server.register(async (scope) => adminRoutes(scope, { database, credentials }));
  await server.register(async (scope) => auditLogRoutes(scope, { database, credentials }));
  await server.register(async (scope) => keyRoutes(scope, { database, credentials, clock }));
  await server.register(async (scope) =>
    relationshipRoutes(scope, { database, credentials, clock, config, scheduler }),
  );
  await server.register(async (scope) => signalKindRoutes(scope, { credentials }));
  await server.register(async (scope) => clockRoutes(scope, { database, clock, scheduler, credentials }));
  await server.register(async (scope) =>
    playbookRoutes(scope, {
      database,
      playbooks: dependencies.playbooks,
      credentials,
      clock,
      onChange: () => scheduler.wake(),
    }),
  );
  const messages = dependencies.messages ?? {
    sms: { kind: 'local-mailbox', from: 'Tend' } as const,
    publicUrl: () => 'http://localhost',
  };
  await server.register(async (scope) =>
    messageRoutes(scope, {
      database,
      clock,
      ingest,
      sms: messages.sms,
      publicUrl: messages.publicUrl,
      afterCommit: () => scheduler.wake(),
    }),
  );
  const inboundEmail = messages.inboundEmail ?? { kind: 'disabled' };
  const processClock = dependencies.processClock;
  const inboundDependencies = { database, clock, processClock, ingest, settings: inboundEmail };
  await server.register(async (scope) =>
    inboundEmailRoutes(scope, { ...inboundDependencies, afterCommit: () => scheduler.wake() }),
  );
  await server.register(async (scope) => consentRoutes(scope, { database, clock, credentials }));
  await server.register(async (scope) => privacyRoutes(scope, { database, clock, credentials }));
  await server.register(async (scope) =>
    taskRoutes(scope, { database, clock, credentials, onChange: () => scheduler.wake() }),
  );
  await server.register(async (scope) =>
    notificationRoutes(scope, {
      database,
      clock,
      credentials,
      defaultTimeZone: defaultSendPolicy.defaultTimeZone,
      onChange: () => scheduler.wake(),
    }),
  );
  await server.register(async (scope) => modelRoutes(scope, { database, credentials }));
  await server.register(async (scope) =>
    healthModelRoutes(scope, { database, credentials, clock, config, learning: dependencies.healthLearning }),
  );
  await server.register(async (scope) => accountListRoutes(scope, { database, credentials, clock }));
  await server.register(async (scope) => accountDetailRoutes(scope, { database, credentials, clock }));
  await server.register(async (scope) => promiseRoutes(scope, { database, credentials, clock, config, scheduler }));
  const invitations = dependencies.invitations ?? { kind: 'not-configured' };
  const emailDelivery = invitations.kind === 'smtp' ? 'smtp' : 'local-mailbox';
  await server.register(async (scope) => policyRoutes(scope, { credentials, config, emailDelivery }));
  const loaded = dependencies.playbooks;
  await server.register(async (scope) =>
    playbookDetailRoutes(scope, { database, credentials, clock, playbooks: loaded }),
  );
  await server.register(async (scope) => messagePreviewRoutes(scope, { database, credentials }));
  await server.register(async (scope) => oversightRoutes(scope, { database, credentials, clock, config }));
  await server.register(async (scope) => reportRoutes(scope, { database, credentials, clock, config }));
  await server.register(async (scope) =>
    conversationRoutes(scope, { database, credentials, clock, config, onReply: () => scheduler.wake() }),
  );
  await server.register(async (scope) => sessionRoutes(scope, { ...people, clock, invitations }));
  await server.register(async (scope) => appRoutes(scope));
  return server;
}

/** A number of hops believes that many proxies nearest to Tend, whatever their addresses. */
function trustProxySetting(proxies: TrustedProxies): string[] | ((address: string, hop: number) => boolean) {
  return typeof proxies === 'number' ? (_address, hop) => hop < proxies : [...proxies];
}
