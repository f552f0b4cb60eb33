// What the app's account reads answer: the account list, the top of an account's page, its timeline and
// its people, as TypeBox schemas (Fastify serializes with them; /docs and the app's types come from them).
import { Type } from '@fastify/type-provider-typebox';
import { timelineKinds } from '../domain/relationship/timeline-entry.js';
import { type SignalKind, signalKinds } from '../domain/relationship/signal.js';
import { List, Nullable, OneOf, OptionalTime, Text, Time } from './relationship-schemas.js';

const SignalKindSchema = OneOf<SignalKind>(signalKinds);
const Money = (description: string) =>
  Nullable(Type.Number({ description: `${description}, in the account's currency (major units)` }));

/** `next`: the cursor of the following page, null on the last page. */
const Next = Nullable(
  Type.String({ description: 'send it as `cursor` for the next page; null: this was the last page' }),
);

const ValueFields = {
  revenue: Money('yearly revenue as given (traits, import)'),
  profit: Money('yearly profit contribution as given'),
  value: Money('what tiers rank by (profit or revenue, tend.config.yaml); null before the first evaluation'),
  currency: Text,
};

const StandingFields = {
  healthScore: Nullable(
    Type.Integer({ minimum: 0, maximum: 100, description: 'at the last evaluation; null before it' }),
  ),
  lastContactAt: Nullable(Time),
  daysSinceContact: Nullable(
    Type.Integer({ description: 'whole days since the last substantive two-way human contact; null: none known' }),
  ),
};

export const AccountListItem = Type.Object(
  {
    id: Type.String(),
    name: Text,
    tier: Text,
    lifecycleStage: Text,
    ...ValueFields,
    owner: Nullable(Type.Object({ email: Type.String(), name: Text })),
    ...StandingFields,
    openSignals: List(SignalKindSchema, { description: 'the kinds of its open signals' }),
  },
  { title: 'AccountListItem' },
);

export const AccountPage = Type.Object({ items: List(AccountListItem), next: Next }, { title: 'AccountPage' });

export const AccountSummary = Type.Object(
  {
    id: Type.String(),
    name: Text,
    plan: Text,
    tier: Text,
    lifecycleStage: Text,
    ...ValueFields,
    owner: Nullable(
      Type.Object({
        email: Type.String(),
        name: Text,
        known: Type.Boolean({ description: 'false: the owner trait names someone who is not a Tend user' }),
      }),
    ),
    ...StandingFields,
    createdAt: Time,
    openSignals: List(
      Type.Object({
        id: Type.String(),
        kind: SignalKindSchema,
        contactId: Nullable(Type.String({ description: 'the person it is about; null: the account' })),
        severity: Type.Integer({ minimum: 0, maximum: 100 }),
        valueAtStake: Type.Number({ description: "in the account's currency (major units)" }),
        reasons: List(Type.String()),
        owner: Text,
        raisedAt: Time,
        deadlineAt: OptionalTime,
      }),
      { description: 'most severe first' },
    ),
  },
  { title: 'AccountSummary' },
);

export const TimelineEntry = Type.Object(
  {
    id: Type.String(),
    at: Time,
    kind: OneOf(timelineKinds),
    name: Type.String({ description: "the event's name, or the touch's kind (Phone call, Meeting, …)" }),
    summary: Nullable(Type.String({ description: 'what it said, on one line' })),
    person: Nullable(Type.Object({ id: Type.String(), name: Text, email: Text })),
    by: Nullable(Type.String({ description: "who acted: a rep's e-mail, tend, system or customer" })),
    channel: Text,
    direction: Text,
  },
  { title: 'TimelineEntry' },
);

export const TimelinePage = Type.Object({ items: List(TimelineEntry), next: Next }, { title: 'TimelinePage' });

const consentStatuses = ['opted-in', 'opted-out', 'unknown'] as const;

export const AccountPerson = Type.Object(
  {
    id: Type.String(),
    name: Text,
    email: Text,
    phone: Text,
    language: Text,
    timezone: Text,
    since: Time,
    consents: List(
      Type.Object({ channel: Type.String(), status: OneOf(consentStatuses), at: OptionalTime, source: Text }),
      { description: 'e-mail and SMS always, and any other channel recorded' },
    ),
    doNotContact: Type.Boolean({ description: 'their id, e-mail or phone is on the do-not-contact list' }),
    channelPreference: Type.Object({
      best: Type.String({ description: 'the channel likeliest to be answered: what a `best` send tries first' }),
      channels: List(
        Type.Object({
          channel: Type.String(),
          sends: Type.Integer(),
          responses: Type.Integer(),
          expectedResponse: Type.Number({ description: 'the chance of an answer Tend believes in, 0–1' }),
        }),
        { description: 'likeliest first' },
      ),
    }),
  },
  { title: 'AccountPerson' },
);

export const PeoplePage = Type.Object({ items: List(AccountPerson), next: Next }, { title: 'PeoplePage' });
