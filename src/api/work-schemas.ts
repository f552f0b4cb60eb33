// What the work API answers: tasks, the outbox, playbooks and their results against the holdout, consent
// and the do-not-contact list, as TypeBox schemas. Fastify serializes with them (a field not declared is
// not sent) and /docs documents them; the titles name them for the app's generated types.
import { Type } from '@fastify/type-provider-typebox';
import { bandVerdicts, minimumRunsPerGroup } from '../domain/playbooks/risk-band-lift.js';
import { riskBands } from '../domain/playbooks/risk-bands.js';
import type { OutboxStatus } from '../store/schema.js';
import { taskOutcomes } from '../store/task-store.js';
import { List, Nullable, OneOf, OptionalTime, Text, Time } from './relationship-schemas.js';

const outboxStatuses: readonly OutboxStatus[] = [
  'pending',
  'sending',
  'sent',
  'delivered-locally',
  'skipped',
  'failed',
  'unconfirmed',
];

export const Task = Type.Object(
  {
    id: Type.String(),
    accountId: Text,
    contactId: Text,
    owner: Type.String({ description: "the owner's e-mail" }),
    objective: Type.String(),
    talkingPoints: Type.Array(Type.String()),
    dueAt: Time,
    status: OneOf(['open', 'done', 'cancelled'] as const),
    outcome: Nullable(OneOf(taskOutcomes)),
    note: Text,
    source: Type.String({ description: 'api, or the playbook step that created it' }),
    createdAt: Time,
    completedAt: OptionalTime,
    escalatedAt: OptionalTime,
    escalatedTo: Nullable(Type.String({ description: "the manager's e-mail" })),
  },
  { title: 'Task' },
);

export const ListedTask = Type.Intersect(
  [Task, Type.Object({ accountName: Nullable(Type.String({ description: "the account's name, when it has one" })) })],
  { title: 'ListedTask' },
);

export const TaskList = Type.Object(
  {
    tasks: Type.Array(ListedTask),
    next: Nullable(Type.String({ description: 'send as `cursor` for the next page; null on the last page' })),
  },
  { title: 'TaskList' },
);

export const OutboxMessage = Type.Object(
  {
    id: Type.String(),
    idempotencyKey: Type.String(),
    runId: Text,
    accountId: Text,
    contactId: Text,
    channel: Type.String({ description: 'email, sms or webhook' }),
    recipient: Text,
    status: OneOf(outboxStatuses),
    reason: Text,
    payload: Type.Record(Type.String(), Type.Unknown(), {
      description: 'what the playbook step asked for: template, variables, … (open-ended)',
    }),
    message: Nullable(
      Type.Record(Type.String(), Type.Unknown(), { description: 'what went out: subject, text, to, … (open-ended)' }),
    ),
    attempts: Type.Integer(),
    providerMessageId: Text,
    outcome: Text,
    createdAt: Time,
    sentAt: OptionalTime,
    deliveredAt: OptionalTime,
  },
  { title: 'OutboxMessage' },
);

export const ListedOutboxMessage = Type.Intersect(
  [
    OutboxMessage,
    Type.Object({ accountName: Nullable(Type.String({ description: "the account's name, when it has one" })) }),
  ],
  { title: 'ListedOutboxMessage' },
);

export const OutboxList = Type.Object(
  {
    messages: Type.Array(ListedOutboxMessage),
    next: Nullable(
      Type.String({ description: 'send as `cursor` for the next page (older messages); null on the last page' }),
    ),
  },
  { title: 'OutboxList' },
);

export const ResentMessage = Type.Object(
  { id: Type.String(), status: Type.Literal('pending'), was: OneOf(['unconfirmed', 'failed'] as const) },
  { title: 'ResentMessage' },
);

const GroupCounts = Type.Object(
  {
    entered: Type.Integer(),
    active: Type.Integer(),
    sent: Type.Integer(),
    responded: Type.Integer(),
    goalReached: Type.Integer(),
    retained: Type.Integer(),
  },
  { title: 'GroupCounts' },
);

const Rate = Type.Object(
  { count: Type.Integer(), successes: Type.Integer(), rate: Type.Number(), lower: Type.Number(), upper: Type.Number() },
  { title: 'Rate', description: 'a share with its 95 % Wilson interval' },
);

const Lift = Type.Object(
  {
    absolute: Type.Number(),
    relative: Nullable(Type.Number()),
    lower: Type.Number(),
    upper: Type.Number(),
    significant: Type.Boolean({ description: 'the 95 % interval excludes zero' }),
  },
  { title: 'Lift' },
);

const Comparison = Type.Union(
  [
    Type.Object({ treated: Rate, holdout: Rate, lift: Lift }),
    Type.Object({
      treated: Nullable(Type.Number()),
      holdout: Nullable(Type.Number()),
      lift: Type.Null(),
      note: Type.String({ description: 'why there is no lift yet' }),
    }),
  ],
  { title: 'Comparison' },
);

const RiskBandLift = Type.Object(
  {
    band: OneOf(riskBands, { description: "by the account's health score when the run entered" }),
    scores: Type.Object(
      { from: Nullable(Type.Integer()), below: Nullable(Type.Integer()) },
      { description: 'the scores the band holds, from ≤ score < below (null: open; both null: not scored yet)' },
    ),
    treated: GroupCounts,
    holdout: GroupCounts,
    retention: Nullable(
      Type.Object(
        {
          treated: Rate,
          holdout: Rate,
          lift: Lift,
          pValue: Type.Number({ description: 'two-sided, two-proportion test' }),
        },
        { description: 'retained shares and their lift; null while a group has no runs in the band' },
      ),
    ),
    verdict: OneOf(bandVerdicts, {
      description:
        `too-few-to-judge below ${minimumRunsPerGroup} runs in either group; ` +
        'otherwise helps or harms when the interval excludes zero, no-effect-shown when it does not',
    }),
    explanation: Type.String({ description: 'the verdict in a sentence, with the shares and the interval' }),
  },
  { title: 'RiskBandLift' },
);

const PlaybookTrigger = Type.Object(
  { kind: OneOf(['signal', 'event', 'segment', 'schedule'] as const) },
  { additionalProperties: true, description: 'the signal, event, segment or schedule that starts a run (open-ended)' },
);

export const PlaybookList = Type.Object(
  {
    folder: Text,
    playbooks: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        description: Type.String(),
        version: Type.Integer(),
        enabled: Type.Boolean(),
        trigger: PlaybookTrigger,
        holdout: Type.Number({ description: 'the share of subjects held out' }),
        results: Nullable(Type.Object({ treated: GroupCounts, holdout: GroupCounts })),
      }),
    ),
  },
  { title: 'PlaybookList' },
);

export const PlaybookResults = Type.Object(
  {
    id: Type.String(),
    name: Text,
    goal: Nullable(
      Type.Object({ event: Type.String(), within: Type.Object({ text: Type.String(), ms: Type.Number() }) }),
    ),
    holdoutShare: Nullable(Type.Number()),
    treated: GroupCounts,
    holdout: GroupCounts,
    goalReached: Comparison,
    responded: Comparison,
    retained: Comparison,
    byRiskBand: List(RiskBandLift, { description: 'retention lift per risk band, most at risk first' }),
  },
  { title: 'PlaybookResults' },
);

export const ContactConsents = Type.Object(
  {
    userId: Type.String(),
    consents: Type.Array(
      Type.Object({
        channel: Type.String(),
        status: OneOf(['opted-in', 'opted-out'] as const),
        at: Time,
        source: Type.String(),
      }),
    ),
  },
  { title: 'ContactConsents' },
);

export const DoNotContactList = Type.Object(
  { entries: Type.Array(Type.Object({ value: Type.String(), reason: Text, at: Time })) },
  { title: 'DoNotContactList' },
);

export const DoNotContactAdded = Type.Object({ value: Type.String() }, { title: 'DoNotContactAdded' });

/** A 204: nothing in the body. */
export const NoContent = Type.Unsafe<undefined>({ type: 'null', description: 'no content' });
