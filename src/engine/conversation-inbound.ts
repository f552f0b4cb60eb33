// A customer's message, however it came (an e-mail reply to a thread, an e-mail from a known contact, a
// text): it lands in their conversation, where a person answers it, and becomes the Message Replied event
// that journeys and signals read. Both are recorded once per provider message, so a retried post adds nothing.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { InboundSms } from '../channels/twilio-webhooks.js';
import type { Clock } from '../domain/clock.js';
import type { TrackingMessage } from '../domain/tracking-message.js';
import type { Ingest } from '../ingest/ingest-batch.js';
import { type AddedMessage, type CustomerMessage, recordCustomerMessage } from '../store/conversation-store.js';
import type { Database } from '../store/schema.js';
import { notifyStaff } from './staff-notices.js';

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
  // The one place a new message is known, in its own transaction: its owner hears of it there, exactly once.
  const { conversationId, added } = await recordCustomerMessage(dependencies.database, message, tellTheOwner);
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

/** The account's owner hears that the customer wrote (as they chose for replies), with the way to the thread. */
async function tellTheOwner(trx: Transaction<Database>, added: AddedMessage): Promise<void> {
  if (added.accountId === null) return;
  const found = await trx
    .selectFrom('accounts')
    .leftJoin('contacts', (join) => join.on('contacts.id', '=', added.contactId))
    .select(['accounts.owner_email', 'contacts.name as contact_name'])
    .where('accounts.id', '=', added.accountId)
    .executeTakeFirst();
  if (!found?.owner_email) return;
  const who = found.contact_name ?? added.from;
  const by = added.channel === 'email' ? 'e-mail' : 'text';
  const said = added.body.replace(/\s+/g, ' ').trim();
  await notifyStaff(
    trx,
    {
      kind: 'reply',
      userEmail: found.owner_email,
      accountId: added.accountId,
      title: `${who} wrote${added.subject ? ` about "${added.subject.slice(0, 120)}"` : ''}`,
      reason:
        `${who} wrote by ${by} and is waiting for an answer from a person` +
        (said === '' ? '.' : `: "${said.length > 300 ? `${said.slice(0, 300)}…` : said}"`),
      path: `/conversations/${encodeURIComponent(added.conversationId)}`,
      // The provider's reference can be long (a Message-ID): its digest keys the notice.
      idempotencyKey: `reply:${createHash('sha256').update(added.reference).digest('base64url')}`,
    },
    added.at,
  );
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
