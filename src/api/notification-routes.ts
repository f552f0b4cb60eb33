// A person's notification settings: how they get each kind of notice (at once, in the daily digest, or not
// at all), their Slack webhook and their time zone. Anyone reads their own, a manager their reps', an admin
// anyone's; only the person themself or an admin changes them (how someone is told is theirs to choose).
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { slackWebhookHost, slackWebhookUrlProblem } from '../channels/slack-webhook.js';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import { isValidTimeZone } from '../domain/playbooks/local-time.js';
import { defaultNoticeDelivery, noticeDelivery, staffNoticeKinds } from '../domain/staff-notices.js';
import { mayViewUser, type Viewer } from '../domain/viewer.js';
import {
  loadNotificationSettings,
  type NotificationSettingsChange as Change,
  type StoredNotificationSettings,
  saveNotificationSettings,
} from '../store/notification-settings.js';
import type { Database } from '../store/schema.js';
import type { Credentials } from './credentials.js';
import { kindDescriptions, NotificationSettings, NotificationSettingsChange } from './notification-schemas.js';

export interface NotificationRouteDependencies {
  readonly database: Kysely<Database>;
  readonly credentials: Credentials;
  /** Stamps the audit log's entry for a change. */
  readonly clock: Clock;
  /** The zone of a person who set none (the send policy's default). */
  readonly defaultTimeZone: string;
  readonly onChange: () => void;
}

const slackOf = (url: string | null) => ({ set: url !== null, host: url === null ? null : slackWebhookHost(url) });

function mayEdit(viewer: Viewer, settings: StoredNotificationSettings): boolean {
  return viewer.kind === 'admin' || viewer.user.email === settings.email;
}

export async function notificationRoutes(
  plain: FastifyInstance,
  dependencies: NotificationRouteDependencies,
): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, credentials, defaultTimeZone } = dependencies;
  server.addHook('onRequest', async (request) => credentials.authenticate(request));
  const security: { [scheme: string]: string[] }[] = [{ session: [] }, { adminToken: [] }];
  const params = Type.Object({
    id: Type.String({ minLength: 1, maxLength: 320, description: 'the user’s id or e-mail, or `me`' }),
  });

  /** The person's settings, if the viewer may see them; else as unknown as a wrong id. */
  async function visible(viewer: Viewer, id: string): Promise<StoredNotificationSettings> {
    const wanted = id === 'me' && viewer.user ? viewer.user.id : id;
    const settings = await loadNotificationSettings(database, wanted);
    if (settings === null || !mayViewUser(viewer, settings.email))
      throw new TendError('not_found', `No user ${JSON.stringify(id)} whose notification settings you may see.`, [
        { field: 'id', message: 'is not a known user' },
      ]);
    return settings;
  }

  function answer(viewer: Viewer, settings: StoredNotificationSettings) {
    const zone = settings.timezone !== null && isValidTimeZone(settings.timezone) ? settings.timezone : defaultTimeZone;
    const inEffect =
      settings.slackWebhookUrl !== null ? 'own' : settings.managerTeamSlackWebhookUrl !== null ? 'team' : null;
    return {
      user: { id: settings.userId, email: settings.email, name: settings.name, role: settings.role },
      kinds: staffNoticeKinds.map((kind) => ({
        kind,
        description: kindDescriptions[kind],
        delivery: noticeDelivery(kind, settings.chosen.get(kind)),
        default: defaultNoticeDelivery[kind],
      })),
      email: { address: settings.email },
      slack: {
        own: slackOf(settings.slackWebhookUrl),
        team: settings.role === 'manager' ? slackOf(settings.teamSlackWebhookUrl) : null,
        inEffect: inEffect as 'own' | 'team' | null,
      },
      timezone: settings.timezone,
      digestTimezone: zone,
      nextDigestAt: settings.nextDigestAt?.toISOString() ?? null,
      mayEdit: mayEdit(viewer, settings),
    };
  }

  server.get(
    '/api/v1/users/:id/notifications',
    {
      schema: {
        tags: ['people'],
        summary: "A person's notification settings: per kind of notice, their channels and time zone",
        description: 'Anyone their own (`me`), a manager their reps’, an admin anyone’s.',
        security,
        params,
        response: { 200: NotificationSettings },
      },
    },
    async (request) => {
      const viewer = credentials.viewerOf(request);
      return answer(viewer, await visible(viewer, request.params.id));
    },
  );

  server.put(
    '/api/v1/users/:id/notifications',
    {
      schema: {
        tags: ['people'],
        summary: 'Change how a person gets notices, their Slack webhook or their time zone',
        description: 'Only the person themself or an admin. Fields left out stay as they are.',
        security,
        params,
        body: NotificationSettingsChange,
        response: { 200: NotificationSettings },
      },
    },
    async (request) => {
      const viewer = credentials.viewerOf(request);
      const settings = await visible(viewer, request.params.id);
      if (!mayEdit(viewer, settings))
        throw new TendError(
          'forbidden',
          `Only ${settings.email} or an admin may change ${settings.email}'s notification settings; ` +
            'you may see them.',
          [{ field: 'id', message: 'is not you' }],
        );
      const body = request.body;
      const problems: { field: string; message: string }[] = [];
      if (body.timezone !== undefined && body.timezone !== null && !isValidTimeZone(body.timezone))
        problems.push({
          field: 'body.timezone',
          message: `"${body.timezone}" is not an IANA time zone; use one such as America/New_York or Europe/Paris`,
        });
      for (const field of ['slackWebhookUrl', 'teamSlackWebhookUrl'] as const) {
        const url = body[field];
        const problem = url === undefined || url === null ? null : slackWebhookUrlProblem(url);
        if (problem !== null) problems.push({ field: `body.${field}`, message: problem });
      }
      if (body.teamSlackWebhookUrl !== undefined && settings.role !== 'manager')
        problems.push({
          field: 'body.teamSlackWebhookUrl',
          message: `is for managers (a team's channel); ${settings.email} is a ${settings.role}`,
        });
      if (problems.length > 0)
        throw new TendError(
          'invalid_request',
          `The notification settings were not changed: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`,
          problems,
        );
      const change: Change = {
        ...(body.kinds === undefined ? {} : { kinds: body.kinds }),
        ...(body.timezone === undefined || body.timezone === settings.timezone ? {} : { timezone: body.timezone }),
        ...(body.slackWebhookUrl === undefined ? {} : { slackWebhookUrl: body.slackWebhookUrl }),
        ...(body.teamSlackWebhookUrl === undefined ? {} : { teamSlackWebhookUrl: body.teamSlackWebhookUrl }),
      };
      const details = {
        ...(change.kinds === undefined ? {} : { kinds: change.kinds }),
        ...(change.timezone === undefined ? {} : { timezone: change.timezone }),
        // Which channel, never the URL itself: it is a secret.
        ...(change.slackWebhookUrl === undefined ? {} : { slack: slackOf(change.slackWebhookUrl) }),
        ...(change.teamSlackWebhookUrl === undefined ? {} : { teamSlack: slackOf(change.teamSlackWebhookUrl) }),
      };
      const entry = {
        actor: credentials.actorOf(request),
        action: 'user.notifications-changed' as const,
        subject: settings.email,
        details,
      };
      await saveNotificationSettings(database, settings.userId, change, { entry, at: dependencies.clock.now() });
      // A new time zone plans the next digest on the new clock: the next round of work does it.
      if (change.timezone !== undefined) dependencies.onChange();
      const saved = await loadNotificationSettings(database, settings.userId);
      return answer(viewer, saved ?? settings);
    },
  );
}
