// What the notification settings API takes and answers: per kind of notice how the person gets it, their
// channels (e-mail, and whether a Slack webhook is set, with its host only: the URL is a secret), and the
// time zone the daily digest keeps.
import { type TSchema, Type } from '@fastify/type-provider-typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const Delivery = Type.Union([Type.Literal('immediately'), Type.Literal('digest'), Type.Literal('off')], {
  description: 'immediately: a message each time; digest: in the daily digest at 08:00; off: not at all',
});

const kindDescriptions = {
  alert: "a playbook's alert about one of your accounts",
  task: 'a task made for you (by a playbook or a colleague)',
  escalation: 'an overdue task of your team, or a customer still waiting, escalated to you',
  reply: 'a customer answered, or is waiting for an answer, on one of your accounts',
  signal: 'a red flag raised on one of your most valuable accounts',
} as const;

export const NoticeKindSetting = Type.Object({
  kind: Type.Union(
    [
      Type.Literal('alert'),
      Type.Literal('task'),
      Type.Literal('escalation'),
      Type.Literal('reply'),
      Type.Literal('signal'),
    ],
    { description: 'alert, task, escalation, reply or signal' },
  ),
  description: Type.String({ description: 'what this kind of notice is about, in plain words' }),
  delivery: Delivery,
  default: Delivery,
});

const SlackSetting = Type.Object({
  set: Type.Boolean({ description: 'whether a webhook URL is stored' }),
  host: Nullable(Type.String({ description: "the URL's host, all that is shown of it" })),
});

export const NotificationSettings = Type.Object(
  {
    user: Type.Object({
      id: Type.String(),
      email: Type.String(),
      name: Nullable(Type.String()),
      role: Type.String(),
    }),
    kinds: Type.Array(NoticeKindSetting),
    email: Type.Object({ address: Type.String({ description: 'notices go to this address' }) }),
    slack: Type.Object({
      own: SlackSetting,
      team: Type.Union([SlackSetting, Type.Null()], {
        description: "a manager's team webhook, used for their reps who have none of their own; null for others",
      }),
      inEffect: Type.Union([Type.Literal('own'), Type.Literal('team'), Type.Null()], {
        description: "which webhook this person's notices go to: their own, their manager's team one, or none",
      }),
    }),
    timezone: Nullable(Type.String({ description: 'an IANA time zone, e.g. America/New_York; null: not set' })),
    digestTimezone: Type.String({ description: 'the zone the digest keeps (the default when none is set)' }),
    nextDigestAt: Nullable(Type.String({ description: 'when the next daily digest is due (08:00 in that zone)' })),
    mayEdit: Type.Boolean({ description: 'whether the viewer may change these settings' }),
  },
  { title: 'NotificationSettings' },
);

const chosen = (description: string) =>
  Type.Optional(
    Type.Union([Type.Literal('immediately'), Type.Literal('digest'), Type.Literal('off')], { description }),
  );
const kindFields = {
  alert: chosen(kindDescriptions.alert),
  task: chosen(kindDescriptions.task),
  escalation: chosen(kindDescriptions.escalation),
  reply: chosen(kindDescriptions.reply),
  signal: chosen(kindDescriptions.signal),
};

export const NotificationSettingsChange = Type.Object(
  {
    kinds: Type.Optional(
      Type.Object(kindFields, {
        additionalProperties: false,
        description: 'how to get each kind of notice; kinds left out stay as they are',
      }),
    ),
    timezone: Type.Optional(
      Nullable(Type.String({ maxLength: 64, description: 'an IANA time zone, e.g. Europe/Paris; null clears it' })),
    ),
    slackWebhookUrl: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 500,
          description: 'a Slack incoming-webhook URL (https://hooks.slack.com/services/…); null removes it',
        }),
      ),
    ),
    teamSlackWebhookUrl: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 500,
          description: "managers: the team's Slack incoming webhook, for reps who have none; null removes it",
        }),
      ),
    ),
  },
  { additionalProperties: false, title: 'NotificationSettingsChange' },
);

export { kindDescriptions };
