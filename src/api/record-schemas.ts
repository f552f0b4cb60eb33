// What the read API answers for the records themselves: a contact, an account, events. Traits and
// properties are open-ended (whatever the business sent), the rest is declared field by field.
import { Type } from '@fastify/type-provider-typebox';
import { JsonObject, List, Nullable, Text, Time } from './relationship-schemas.js';

const Event = Type.Object(
  {
    id: Type.String(),
    type: Type.String({ description: 'identify, track, page, screen, group or alias' }),
    name: Text,
    userId: Text,
    anonymousId: Text,
    accountId: Text,
    occurredAt: Time,
    receivedAt: Time,
    properties: JsonObject,
    context: JsonObject,
  },
  { title: 'Event' },
);

export const EventList = Type.Object({ events: List(Event) }, { title: 'EventList' });

/** The owner an account's `owner` trait names: a Tend user, or an address Tend does not know. */
const AccountOwner = Type.Union(
  [
    Type.Object({ email: Type.String(), known: Type.Literal(true), name: Text }),
    Type.Object({ email: Type.String(), known: Type.Literal(false), note: Type.String() }),
  ],
  { title: 'AccountOwner' },
);

export const Contact = Type.Object(
  {
    userId: Type.String(),
    requestedAs: Type.Optional(Type.String({ description: 'the id asked for, when it was merged into this one' })),
    email: Text,
    phone: Text,
    name: Text,
    language: Text,
    timezone: Text,
    traits: JsonObject,
    knownAs: Type.Object({ userIds: List(Type.String()), anonymousIds: List(Type.String()) }),
    account: Nullable(Type.Object({ id: Type.String(), name: Text, plan: Text, owner: Nullable(AccountOwner) })),
    accounts: List(Type.Object({ id: Type.String(), name: Text, since: Time }), {
      description: 'the accounts the person belongs to, newest first',
    }),
    createdAt: Time,
    updatedAt: Time,
    lastEvents: List(Event),
  },
  { title: 'Contact' },
);

export const Account = Type.Object(
  {
    id: Type.String(),
    name: Text,
    plan: Text,
    lifecycleStage: Text,
    revenue: Nullable(Type.Number()),
    profit: Nullable(Type.Number()),
    currency: Text,
    owner: Nullable(AccountOwner),
    traits: JsonObject,
    contacts: List(Type.Object({ userId: Type.String(), name: Text, email: Text, phone: Text, since: Time })),
    events: Type.Object({ count: Type.Integer(), lastAt: Nullable(Time) }),
    createdAt: Time,
    updatedAt: Time,
  },
  { title: 'Account' },
);
