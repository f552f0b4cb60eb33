// What the conversations API answers: the list, one conversation with its thread, and a reply queued, as
// TypeBox schemas. Fastify serializes with them (a field not declared is not sent) and /docs documents them;
// the titles name them for the app's generated types.
import { Type } from '@fastify/type-provider-typebox';
import { conversationChannels, conversationStatuses } from '../domain/relationship/conversation.js';
import type { OutboxStatus } from '../store/schema.js';
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

export const ConversationSummary = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    status: OneOf(conversationStatuses, {
      description: 'open: the customer waits for an answer; answered: a person answered their latest message',
    }),
    waitingSince: Nullable(
      Type.String({ format: 'date-time', description: "the customer's oldest message not answered yet" }),
    ),
    waitedMinutes: Nullable(Type.Integer({ description: 'how long the customer has waited so far; null: answered' })),
    channel: OneOf(conversationChannels, { description: 'how the customer last wrote: a reply goes the same way' }),
    contactId: Type.String(),
    contactName: Text,
    customerAddress: Type.String({ description: 'the e-mail address or phone number they last wrote from' }),
    accountId: Text,
    accountName: Text,
    owner: Nullable(
      Type.Object(
        { email: Type.String(), name: Text },
        { description: "the account's owner, who owns the conversation (it follows the account's owner)" },
      ),
    ),
    subject: Nullable(Type.String({ description: 'the subject of their latest e-mail' })),
    preview: Nullable(Type.String({ description: 'the start of their latest message' })),
    lastInboundAt: Time,
    lastMessageAt: Time,
    answeredAt: OptionalTime,
  },
  { title: 'ConversationSummary' },
);

export const ConversationList = Type.Object(
  {
    conversations: List(ConversationSummary),
    next: Nullable(Type.String({ description: 'send as `cursor` for the next page; null on the last page' })),
  },
  { title: 'ConversationList' },
);

export const ConversationMessage = Type.Object(
  {
    id: Type.String(),
    author: OneOf(['customer', 'person', 'automated'] as const, {
      description: "customer: they wrote it; person: someone answered from Tend; automated: a playbook's message",
    }),
    channel: Type.String({ description: 'email or sms' }),
    subject: Text,
    text: Nullable(Type.String({ description: "what was written (an automated message's text once it went out)" })),
    by: Nullable(Type.String({ description: "the writer's e-mail, for a person's reply" })),
    byName: Text,
    template: Nullable(Type.String({ description: "an automated message's template" })),
    at: Time,
    status: Nullable(
      OneOf(outboxStatuses, { description: "an outbound message's state in the outbox; null for the customer's" }),
    ),
    reason: Nullable(Type.String({ description: 'why it waits or did not go' })),
    nextAttemptAt: Nullable(Type.String({ format: 'date-time', description: 'when a waiting message goes' })),
  },
  { title: 'ConversationMessage' },
);

export const ConversationThread = Type.Object(
  {
    conversation: ConversationSummary,
    automationPausedUntil: Nullable(
      Type.String({
        format: 'date-time',
        description: 'automated messages to this customer wait until then, because they wrote (null: no pause)',
      }),
    ),
    messages: List(ConversationMessage, { description: 'oldest first' }),
    olderNotShown: Type.Boolean({ description: 'true when the thread is longer than the latest messages shown' }),
  },
  { title: 'ConversationThread' },
);

export const QueuedConversationReply = Type.Object(
  {
    conversationId: Type.String({ format: 'uuid' }),
    message: ConversationMessage,
  },
  { title: 'QueuedConversationReply' },
);
