// What a playbook's page reads: its definition as the YAML file gave it (trigger, audience, steps, exit,
// goal, holdout, re-entry), how many runs are in progress at each step, and the runs themselves.
import { type TSchema, Type } from '@fastify/type-provider-typebox';
import {
  lifecycleStages,
  messageChannels,
  type Playbook,
  stepKinds,
  tones,
} from '../domain/playbooks/playbook-definition.js';
import { messagePriorities } from '../domain/playbooks/message-priority.js';
import { type SignalKind, signalKinds } from '../domain/relationship/signal.js';
import { List, Nullable, OneOf, OptionalTime, Text, Time } from './relationship-schemas.js';

const SignalKindSchema = OneOf<SignalKind>(signalKinds);
const Duration = Type.Object(
  { text: Type.String({ description: 'ISO 8601, as written: P3D, PT4H' }), ms: Type.Number() },
  { title: 'PlaybookDuration' },
);
const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
const Values = Type.Record(Type.String(), Scalar);
const eventMatch = { event: Type.String(), where: Values };
const kind = <K extends string>(name: K) => Type.Literal(name);
const variant = <T extends Record<string, TSchema>>(name: string, fields: T) =>
  Type.Object({ kind: kind(name), ...fields });

const Audience = Type.Object(
  {
    tiers: Nullable(List(Type.String())),
    lifecycleStages: Nullable(List(OneOf(lifecycleStages))),
    traits: Values,
    consentTo: List(OneOf(messageChannels)),
  },
  { title: 'PlaybookAudience' },
);

const Trigger = Type.Union(
  [
    variant('signal', { signal: SignalKindSchema }),
    variant('event', eventMatch),
    variant('segment', { segment: Audience }),
    variant('schedule', {
      schedule: Type.Union([
        variant('cron', { expression: Type.String() }),
        variant('interval', { expression: Type.String(), every: Duration, startsAt: OptionalTime }),
      ]),
    }),
  ],
  { title: 'PlaybookTrigger' },
);

const Condition = Type.Union([
  variant('responded', {}),
  variant('signal-open', { signal: SignalKindSchema }),
  variant('trait', { equals: Values }),
  variant('event', eventMatch),
]);

const Wait = Type.Union([
  variant('duration', { duration: Duration }),
  variant('local-time', { time: Type.String(), hour: Type.Integer(), minute: Type.Integer() }),
  variant('event', { ...eventMatch, timeout: Duration }),
]);

const Assignee = Type.String({ description: 'owner, manager, or role:NAME' });
const step = <T extends Record<string, TSchema>>(name: string, fields: T) =>
  Type.Object({ id: Type.String(), kind: kind(name), ...fields });

export const PlaybookStep = Type.Union(
  [
    step('send', {
      channel: OneOf([...messageChannels, 'best'] as const),
      template: Type.String(),
      tone: OneOf(tones),
      fallback: Nullable(OneOf(messageChannels)),
      variables: Values,
    }),
    step('wait', { wait: Wait }),
    step('branch', { condition: Condition, then: Type.String(), else: Text }),
    step('task', { for: Assignee, objective: Type.String(), talkingPoints: List(Type.String()), dueIn: Duration }),
    step('alert', { to: Assignee, message: Type.String(), dueIn: Nullable(Duration) }),
    step('escalate', { task: Type.String(), after: Nullable(Duration), to: Assignee }),
    step('update', { trait: Type.String(), value: Nullable(Scalar) }),
    step('exit', { reason: Text }),
  ],
  { title: 'PlaybookStep' },
);

const StepCount = Type.Object({
  stepId: Nullable(Type.String({ description: 'null: past the last step' })),
  kind: Nullable(OneOf(stepKinds)),
  treated: Type.Integer(),
  holdout: Type.Integer(),
});

const MessageCounts = {
  sent: Type.Integer({ description: 'sent, or kept in the local mailbox' }),
  pending: Type.Integer({ description: 'waiting in the outbox, or being handed to the provider' }),
  failed: Type.Integer(),
  skipped: Type.Integer({ description: 'not sent: no consent, no address, the frequency cap…' }),
  unconfirmed: Type.Integer({ description: 'the provider may have it; not sent again on a guess' }),
};

const Progress = Type.Object(
  {
    since: Time,
    entered: Type.Integer({ description: 'runs that entered since then, treated and held out' }),
    messages: Type.Object(MessageCounts),
    byChannel: List(Type.Object({ channel: Type.String(), ...MessageCounts }), { description: 'by channel name' }),
  },
  {
    title: 'PlaybookProgress',
    description: "the last 24 hours' sending: runs entered, and the messages they wrote by where each stands",
  },
);

export const PlaybookDetail = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    version: Type.Integer(),
    enabled: Type.Boolean(),
    trigger: Trigger,
    audience: Audience,
    steps: List(PlaybookStep),
    exit: List(Type.Union([variant('signal-cleared', {}), variant('event', eventMatch)])),
    goal: Nullable(Type.Object({ event: Type.String(), within: Duration })),
    holdout: Type.Number({ description: 'the share of entering subjects held out, 0–0.5' }),
    reentry: Type.Union([variant('never', {}), variant('always', {}), variant('after', { after: Duration })]),
    priority: OneOf(messagePriorities, {
      description: 'how soon its messages are claimed against others waiting: incident first, marketing last',
    }),
    inProgress: Type.Object(
      { treated: Type.Integer(), holdout: Type.Integer(), byStep: List(StepCount, { description: 'in step order' }) },
      { description: 'runs in progress, for every account (counts only)' },
    ),
    progress: Progress,
  },
  { title: 'PlaybookDetail' },
);

export const PlaybookRun = Type.Object(
  {
    id: Type.String(),
    accountId: Text,
    accountName: Text,
    contactId: Text,
    contactName: Text,
    group: OneOf(['treated', 'holdout'] as const),
    stepId: Nullable(Type.String({ description: 'the step the run is at; null: past the last step' })),
    stepKind: Nullable(OneOf(stepKinds)),
    enteredAt: Time,
    atStepSince: OptionalTime,
    nextDueAt: OptionalTime,
    awaitingEvent: Text,
  },
  { title: 'PlaybookRun' },
);

export const PlaybookRunPage = Type.Object(
  {
    items: List(PlaybookRun),
    next: Nullable(Type.String({ description: 'send it as `cursor` for the next page; null: this was the last page' })),
  },
  { title: 'PlaybookRunPage' },
);

/** The definition as the schema declares it: the one instant (a schedule's first occurrence) as text. */
export function definitionView(playbook: Playbook) {
  const given = playbook.trigger;
  const trigger =
    given.kind === 'schedule' && given.schedule.kind === 'interval'
      ? { ...given, schedule: { ...given.schedule, startsAt: given.schedule.startsAt?.toISOString() ?? null } }
      : given;
  const { id, name, description, version, enabled, audience, steps, exit, goal, holdout, reentry, priority } = playbook;
  return { id, name, description, version, enabled, trigger, audience, steps, exit, goal, holdout, reentry, priority };
}
