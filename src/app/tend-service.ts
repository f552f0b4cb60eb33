// Starts and stops a whole Tend: the configuration (read and validated first), the store (migrated), the
// secrets it needs, the engines, the channels and the HTTP server, wired together. Used by `tend start`
// and by the tests, so both run exactly the same thing.
import { promiseDueDays } from '../domain/relationship/signals/promise-due.js';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../api/server.js';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import { openStore, type Store } from '../store/database.js';
import { EventPartitions } from '../store/event-partitions.js';
import { linkUrl, setupTokenIfNoAdmin } from '../store/one-time-links.js';
import { systemClock } from '../engine/clocks.js';
import { loadTendConfig } from '../config/config-file.js';
import { DueEvaluation } from '../engine/due-evaluation.js';
import { JourneyEngine } from '../engine/journey-engine.js';
import { Scheduler } from '../engine/scheduler.js';
import { TaskEscalation } from '../engine/task-escalation.js';
import { StaffNoticeWork } from '../engine/staff-notice-work.js';
import { defaultSendPolicy } from '../domain/playbooks/send-policy.js';
import { TierRanking } from '../engine/tier-ranking.js';
import { HealthLearning } from '../engine/health-learning.js';
import { type LoadedPlaybooks, loadPlaybooks } from '../config/playbook-library.js';
import { recordPlaybooks } from '../store/playbook-versions.js';
import { readChannelSettings } from '../channels/channel-settings.js';
import { type InboundSmtpListener, startInboundSmtp } from '../channels/inbound-smtp.js';
import { templateProblem } from '../channels/message-templates.js';
import { announceWorker, type WorkerPresence } from '../store/worker-presence.js';
import { openChannels } from '../engine/delivery-channels.js';
import { OutboxDispatcher } from '../engine/outbox-dispatcher.js';
import { routeInboundMail, unverifiedMailNote } from '../engine/inbound-mail-router.js';
import { checkPlaybookTemplates, loadTemplates } from '../config/template-library.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import { sendPolicyWith } from '../domain/playbooks/send-policy.js';
import type { TendSettings } from '../config/settings.js';
import type { IngestPolicy } from '../domain/relationship/ingest-plan.js';
import { Ingest } from '../ingest/ingest-batch.js';
import { type ContentionRetry, reportContention } from '../store/contention-retry.js';
import { type CreatedSecrets, ensureSecrets } from './first-start-secrets.js';
import { resumedManualClock } from './resumed-clock.js';

/**
 * Ingest groups written at once on PostgreSQL (the embedded database has one connection). With 2, a
 * request under load waited for a free writer; with 4, far less, for the same CPU
 * (docs/benchmarks/2026-12-01-signals.md, "Four ingest writers"). The pool has 10 connections.
 */
const postgresIngestWriters = 4;

/**
 * How long one evaluation batch, or one round of playbook runs, may hold the embedded database's one
 * connection (real ms). Ingest and API reads wait behind it; a daily refresh in batches of 500, or a
 * round of 50 playbook runs, held it many times as long (docs/benchmarks/2026-12-01-signals.md, "Short
 * engine batches on the embedded database" and "what else held PGlite's connection").
 */
const embeddedBatchMilliseconds = 20;

export interface RunningTend {
  readonly url: string;
  readonly server: FastifyInstance;
  readonly store: Store;
  readonly clock: Clock;
  /** Real time (or the tests' manual one): sessions and sign-in limits count by it. */
  readonly processClock: Clock;
  readonly config: TendConfig;
  readonly configSource: string;
  readonly scheduler: Scheduler;
  readonly playbooks: LoadedPlaybooks;
  readonly dispatcher: OutboxDispatcher;
  /** Where messages go, a line per channel. */
  readonly channelDescription: readonly string[];
  /** Tend's own SMTP listener for the reply domain (TEND_SMTP_INBOUND_PORT); null when it does not listen. */
  readonly inboundSmtp: { readonly host: string; readonly port: number; readonly tls: boolean } | null;
  /** Secrets created by this start, to be shown once and never again. */
  readonly createdSecrets: CreatedSecrets;
  close(): Promise<void>;
}

export const version = '0.1.0';

export async function startTend(settings: TendSettings): Promise<RunningTend> {
  // Configuration first: a wrong value stops Tend before it opens anything.
  const { config, source: configSource } = loadTendConfig(settings.configPath, process.cwd());
  const playbooks = loadPlaybooks(settings.playbooksPath, process.cwd());
  const templates = await loadTemplates(settings.templatesPath ?? null, process.cwd(), templateProblem);
  checkPlaybookTemplates(playbooks.playbooks, templates);
  const channelSettings = readChannelSettings(settings.channels ?? {});
  const store = await openStore(settings.store);
  let worker: WorkerPresence | null = null;
  let inboundSmtp: InboundSmtpListener | null = null;
  try {
    const clock =
      settings.clock.kind === 'manual' ? await resumedManualClock(store, settings.clock.start) : systemClock;
    const createdSecrets = await ensureSecrets(store, settings, clock.now());
    const setupToken = await setupTokenIfNoAdmin(store.database, (settings.processClock ?? systemClock).now());
    const partitions = new EventPartitions(store.database);
    await partitions.ensure([clock.now()]);
    await recordPlaybooks(store.database, playbooks, clock.now());
    const presence = await announceWorker(store.database, store.kind);
    worker = presence;
    const opened = openChannels(channelSettings, systemClock);
    let publicUrl = settings.publicUrl ?? `http://localhost:${settings.port}`;
    const sendPolicy = sendPolicyWith(config.conversations.pauseAutomationHours);
    const dispatcher = new OutboxDispatcher({
      database: store.database,
      clock,
      channels: opened.channels,
      templates,
      worker: presence,
      publicUrl: () => publicUrl,
      sendPolicy,
      promiseDueDays: promiseDueDays.in(config),
      onError: (error, id) =>
        server.log.error({ err: error, outboxId: id }, 'preparing a message failed; it will be retried'),
    });
    const journeys = new JourneyEngine({
      database: store.database,
      clock,
      playbooks,
      sendPolicy,
      promiseDueDays: promiseDueDays.in(config),
      batchMilliseconds: store.kind === 'embedded' ? embeddedBatchMilliseconds : undefined,
      onError: (error) => server.log.error({ err: error }, 'starting playbook runs failed; it will be retried'),
    });
    const evaluationFailed = (error: unknown) =>
      server.log.error({ err: error }, 'signal evaluation failed; it will be retried');
    const ranking = new TierRanking({
      database: store.database,
      clock,
      config,
      partitions,
      cooldownMilliseconds: settings.clock.kind === 'manual' ? 0 : 5000,
      vacuumDaily: store.kind === 'embedded',
      onWarning: (message, details) => server.log.warn(details, message),
    });
    const healthLearning = new HealthLearning({
      database: store.database,
      clock,
      config,
      onFit: (fit) =>
        server.log.info(
          { fittedAt: fit.fittedAt.toISOString(), status: fit.status, reason: fit.reason, weights: fit.weights },
          'health score weights fitted',
        ),
    });
    // The weights in effect before the first round: an event's evaluation at ingest scores with them.
    await healthLearning.load();
    const evaluation = new DueEvaluation({
      database: store.database,
      clock,
      config,
      partitions,
      ranking,
      journeys,
      healthModel: () => healthLearning.current(),
      batchMilliseconds: store.kind === 'embedded' ? embeddedBatchMilliseconds : undefined,
      onError: evaluationFailed,
    });
    const scheduler = new Scheduler({
      clock,
      evaluation,
      escalation: new TaskEscalation(store.database, clock),
      staffNotices: new StaffNoticeWork({
        database: store.database,
        clock,
        config,
        defaultTimeZone: defaultSendPolicy.defaultTimeZone,
      }),
      healthLearning,
      journeys,
      outbox: dispatcher,
      runInline: settings.clock.kind === 'manual',
      extraEventLanes: settings.clock.kind === 'system' && store.kind === 'postgres' ? 1 : 0,
      onError: evaluationFailed,
    });
    const triggerNames = new Set(
      playbooks.playbooks.flatMap((playbook) =>
        playbook.enabled && playbook.trigger.kind === 'event' ? [playbook.trigger.event] : [],
      ),
    );
    const awaitedNames = new Set(
      playbooks.playbooks.flatMap((playbook) =>
        playbook.steps.flatMap((step) =>
          step.kind === 'wait' && step.wait.kind === 'event'
            ? [step.wait.event]
            : step.kind === 'escalate'
              ? ['Task Completed']
              : [],
        ),
      ),
    );
    const ingestPolicy: IngestPolicy = {
      activityNames: new Set([...config.signals.disengagement.activities, config.signals.milestones.activity]),
      personActivityNames: new Set(config.signals.disengagement.activities),
      triggerNames,
      awaitedNames,
    };
    // An event's account is evaluated in the event's own transaction (see DueEvaluation.atIngest).
    const ingestDependencies = {
      database: store.database,
      partitions,
      policy: ingestPolicy,
      evaluator: evaluation.atIngest,
    };
    const ingest = new Ingest(ingestDependencies, scheduler, store.kind === 'postgres' ? postgresIngestWriters : 1);
    const server = await buildServer({
      database: store.database,
      clock,
      processClock: settings.processClock ?? systemClock,
      logLevel: settings.logLevel,
      version,
      config,
      scheduler,
      healthLearning,
      ingest,
      playbooks,
      messages: { sms: channelSettings.sms, publicUrl: () => publicUrl, inboundEmail: channelSettings.inbound },
      limits: config.limits,
      invitations: opened.invitations,
      trustProxy: settings.trustProxy ?? null,
    });
    const onRetry = (retry: ContentionRetry) => server.log.debug({ contention: retry }, 'lost to a concurrent writer');
    reportContention(store.database, onRetry);
    if (settings.worker !== false) {
      // A start without a fit, or with one older than a week, refits before the first round of work.
      await healthLearning
        .runDue()
        .catch((error: unknown) => server.log.error({ err: error }, 'fitting the health weights failed'));
      scheduler.start();
    }
    await server.listen({ host: settings.host, port: settings.port });
    const inbound = channelSettings.inbound;
    if (inbound.kind === 'enabled' && inbound.smtp !== null) {
      const mailDependencies = { database: store.database, clock, ingest, settings: inbound };
      try {
        inboundSmtp = await startInboundSmtp({
          settings: inbound.smtp,
          replyDomain: inbound.replyDomain,
          receive: async (mail, sender) => {
            const afterCommit = () => scheduler.wake();
            const routed = await routeInboundMail({ ...mailDependencies, afterCommit }, mail, sender);
            const note = unverifiedMailNote(mail, routed);
            if (note !== null) server.log.warn(note.fields, note.message);
          },
          ...(settings.dnsResolver === undefined ? {} : { resolver: settings.dnsResolver }),
          onError: (error) =>
            server.log.error({ err: error }, 'recording an inbound e-mail failed; the sender retries'),
        });
      } catch (error) {
        // The port taken, or not allowed (below 1024 without the right): nothing keeps running.
        await server.close();
        await scheduler.stop();
        opened.close();
        const where = `${inbound.smtp.host}:${inbound.smtp.port}`;
        const said = error instanceof Error ? error.message : String(error);
        throw new TendError(
          'invalid_configuration',
          `TEND_SMTP_INBOUND_PORT: cannot listen for mail on ${where} (${said}); ` +
            'choose a free port, or give Tend the right to a port below 1024 (e.g. CAP_NET_BIND_SERVICE)',
          [{ field: 'TEND_SMTP_INBOUND_PORT', message: `cannot listen on ${where}` }],
        );
      }
    }
    const listener = inboundSmtp;
    const address = server.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : settings.port;
    const shownHost = settings.host === '0.0.0.0' || settings.host === '::' ? 'localhost' : settings.host;
    publicUrl = settings.publicUrl ?? `http://${shownHost}:${port}`;
    if (setupToken !== null) createdSecrets.setupUrl = linkUrl(publicUrl, 'setup', setupToken);
    let closing: Promise<void> | null = null;
    return {
      url: `http://${shownHost}:${port}`,
      server,
      store,
      clock,
      processClock: settings.processClock ?? systemClock,
      config,
      configSource,
      scheduler,
      playbooks,
      dispatcher,
      channelDescription: opened.description,
      inboundSmtp: listener === null ? null : { host: listener.host, port: listener.port, tls: listener.tls },
      createdSecrets,
      // Mail and requests in flight finish (both listeners wait for them), then the database closes.
      close: () => {
        closing ??= (async () => {
          await listener?.close();
          await server.close();
          await scheduler.stop();
          opened.close();
          await presence.close();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await inboundSmtp?.close();
    await worker?.close();
    await store.close();
    throw error;
  }
}
