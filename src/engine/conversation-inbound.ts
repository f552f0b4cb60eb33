// A customer's message, however it came (an e-mail reply to a thread, an e-mail from a known contact, a
// text): it lands in their conversation, where a person answers it, and becomes the Message Replied event
// that journeys and signals read. Both are recorded once per provider message, so a retried post adds nothing.
import type { Kysely } from 'kysely';
import type { InboundSms } from '../channels/twilio-webhooks.js';
import type { Clock } from '../domain/clock.js';
import type { TrackingMessage } from '../domain/tracking-message.js';
import type { Ingest } from '../ingest/ingest-batch.js';
import { type CustomerMessage, recordCustomerMessage } from '../store/conversation-store.js';
import type { Database } from '../store/schema.js';

export interface CustomerMessageDependencies {
  readonly database: Kysely<Database>;
  /** Stores the Message Replied event, in its own transaction (ingest-batch.ts). */
  readonly ingest: Ingest;
  /** Wakes the engine after a message is recorded (signals, journeys waiting for a reply). */
  readonly afterCommit: () => void;
}

/**
 * Puts the message in the contact's conversation, then records its Message Replied (with `properties`,
 * and the conversation). The conversation goes first: a failure between the two is mended by the
 * provider's retry, which finds the message there and records the event.
 */
export async function receiveCustomerMessage(
  dependencies: CustomerMessageDependencies,
  message: CustomerMessage,
  properties: Readonly<Record<string, unknown>>,
): Promise<void> {
  // The one place a new message is known, in its own transaction: here its owner is to hear of it (staff
  // notices, kind 'reply'), passed as recordCustomerMessage's `whenAdded`, so exactly once per message.
  const { conversationId, added } = await recordCustomerMessage(dependencies.database, message);
  const event: TrackingMessage = {
    type: 'track',
    event: 'Message Replied',
    messageId: message.reference,
    userId: message.contactId,
    anonymousId: null,
    timestamp: message.at,
    context: { channel: message.channel },
    properties: {
      ...properties,
      conversationId,
      ...(message.accountId === null ? {} : { accountId: message.accountId }),
    },
  };
  const outcome = await dependencies.ingest.record([event], message.at);
  if (added || outcome.stored > 0) dependencies.afterCommit();
}

/**
 * A text that is no keyword: from a known contact (by phone number), a message in their conversation,
 * answered by text from the number it was sent to; from an unknown number, only the event.
 */
export async function recordInboundSms(
  dependencies: CustomerMessageDependencies & { readonly clock: Clock },
  inbound: InboundSms,
): Promise<void> {
  const now = dependencies.clock.now();
  const contact = await dependencies.database
    .selectFrom('contacts')
    .select(['id', 'account_id'])
    .where('phone', '=', inbound.from)
    .where('merged_into', 'is', null)
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
  const properties = { channel: 'sms', direction: 'inbound', from: inbound.from, to: inbound.to, body: inbound.body };
  const reference = `twilio:${inbound.messageSid}`;
  if (contact === undefined) {
    const event: TrackingMessage = {
      type: 'track',
      event: 'Message Replied',
      messageId: reference,
      userId: null,
      anonymousId: `phone:${inbound.from}`,
      timestamp: now,
      context: { channel: 'sms' },
      properties,
    };
    await dependencies.ingest.record([event], now);
    dependencies.afterCommit();
    return;
  }
  const message: CustomerMessage = {
    contactId: contact.id,
    accountId: contact.account_id,
    channel: 'sms',
    reference,
    from: inbound.from,
    to: inbound.to,
    subject: null,
    messageId: null,
    body: inbound.body,
    at: now,
  };
  await receiveCustomerMessage(dependencies, message, properties);
}
