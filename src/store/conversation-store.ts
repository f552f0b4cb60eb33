// Writes of conversations: a customer's message lands in their one conversation (once per provider
// message, however often the provider posts it), and a person's reply is queued in the outbox beside its
// place in the thread, in one transaction.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { ConversationChannel } from '../domain/relationship/conversation.js';
import { retriedTransaction } from './contention-retry.js';
import { personalMessageRank } from '../domain/playbooks/message-priority.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';

/** A message a customer wrote, as a channel received it. */
export interface CustomerMessage {
  readonly contactId: string;
  readonly accountId: string | null;
  readonly channel: ConversationChannel;
  /** The provider's message (`email:<Message-ID>`, `twilio:<sid>`): a message is recorded once. */
  readonly reference: string;
  /** The address or number they wrote from. */
  readonly from: string;
  /** Where they wrote to: a thread address on the reply domain, or Tend's number. */
  readonly to: string | null;
  readonly subject: string | null;
  /** The e-mail's Message-ID header, which a reply names. */
  readonly messageId: string | null;
  readonly body: string;
  readonly at: Date;
}

/** A message new in its conversation, for what must happen with it in the same transaction. */
export interface AddedMessage extends CustomerMessage {
  readonly conversationId: string;
}

/** Bodies are kept up to this length: a thread shows what people write, not what they attach or quote. */
const bodyLength = 20_000;

/**
 * Adds the message to the contact's conversation (made with it when there is none); `added` is false
 * for a message already recorded (a provider retrying). The customer waits from their oldest message
 * not answered yet; a reply goes back on the channel and to the address they wrote from last. `whenAdded`
 * runs in the same transaction for a new message only (the owner told of it, exactly once).
 */
export async function recordCustomerMessage(
  database: Kysely<Database>,
  message: CustomerMessage,
  whenAdded: (trx: Transaction<Database>, added: AddedMessage) => Promise<void> = async () => undefined,
): Promise<{ readonly conversationId: string; readonly added: boolean }> {
  const { at } = message;
  const email = message.channel === 'email';
  return retriedTransaction(database, async (trx) => {
    // The no-op update returns the existing row's id and holds it until the message is in.
    const conversation = await trx
      .insertInto('conversations')
      .values({
        id: newId(at.getTime()),
        contact_id: message.contactId,
        account_id: message.accountId,
        channel: message.channel,
        customer_address: message.from,
        tend_address: message.to,
        subject: email ? message.subject : null,
        last_message_id: email ? message.messageId : null,
        waiting_since: at,
        answered_at: null,
        last_inbound_at: at,
        last_message_at: at,
        created_at: at,
      })
      .onConflict((conflict) => conflict.column('contact_id').doUpdateSet({ contact_id: message.contactId }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const added = await trx
      .insertInto('conversation_messages')
      .values({
        id: newId(at.getTime()),
        conversation_id: conversation.id,
        contact_id: message.contactId,
        account_id: message.accountId,
        direction: 'inbound',
        channel: message.channel,
        reference: message.reference.slice(0, 1100),
        sender: message.from,
        user_email: null,
        outbox_id: null,
        subject: message.subject,
        body: message.body.slice(0, bodyLength),
        at,
      })
      .onConflict((conflict) => conflict.column('reference').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (added === undefined) return { conversationId: conversation.id, added: false };
    // A message older than the latest (a provider's late post) does not change where a reply goes.
    const latest = sql<boolean>`${at}::timestamptz >= conversations.last_inbound_at`;
    await trx
      .updateTable('conversations')
      .set({
        account_id: sql`coalesce(${message.accountId}::text, conversations.account_id)`,
        channel: sql`case when ${latest} then ${message.channel}::text else conversations.channel end`,
        customer_address: sql`case when ${latest} then ${message.from}::text else conversations.customer_address end`,
        tend_address: sql`case when ${latest} then ${message.to}::text else conversations.tend_address end`,
        subject: email
          ? sql`case when ${latest} then ${message.subject}::text else conversations.subject end`
          : undefined,
        last_message_id:
          email && message.messageId !== null
            ? sql`case when ${latest} then ${message.messageId}::text else conversations.last_message_id end`
            : undefined,
        waiting_since: sql`least(conversations.waiting_since, ${at}::timestamptz)`,
        last_inbound_at: sql`greatest(conversations.last_inbound_at, ${at}::timestamptz)`,
        last_message_at: sql`greatest(conversations.last_message_at, ${at}::timestamptz)`,
      })
      .where('id', '=', conversation.id)
      .execute();
    await whenAdded(trx, { ...message, conversationId: conversation.id });
    return { conversationId: conversation.id, added: true };
  });
}

/** A person's reply, ready for the outbox: where it goes and what the dispatcher needs to send it. */
export interface QueuedReply {
  readonly conversationId: string;
  readonly contactId: string;
  readonly accountId: string | null;
  readonly channel: ConversationChannel;
  readonly recipient: string;
  readonly userEmail: string;
  readonly subject: string | null;
  readonly text: string;
  /** What the dispatcher reads (see engine/conversation-delivery.ts); the outbox id is added here. */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly at: Date;
}

/**
 * Queues the reply in the outbox (sent at once, on the conversation's channel) and shows it in the
 * thread; returns its outbox row's id and its message's. The conversation counts as answered once the
 * reply went out.
 */
export async function queueReply(
  database: Kysely<Database>,
  reply: QueuedReply,
): Promise<{ outboxId: string; messageId: string }> {
  const outboxId = newId(reply.at.getTime());
  const messageId = newId(reply.at.getTime());
  await retriedTransaction(database, async (trx) => {
    await trx
      .insertInto('outbox')
      .values({
        id: outboxId,
        idempotency_key: `conversation-reply:${outboxId}`,
        run_id: null,
        account_id: reply.accountId,
        contact_id: reply.contactId,
        channel: reply.channel,
        recipient: reply.recipient,
        // A person wrote it and the customer is waiting for it: not behind a campaign.
        priority: personalMessageRank,
        payload: JSON.stringify({ ...reply.payload, outboxId }),
        status: 'pending',
        reason: null,
        next_attempt_at: reply.at,
        provider_message_id: null,
        created_at: reply.at,
        sent_at: null,
      })
      .execute();
    await trx
      .insertInto('conversation_messages')
      .values({
        id: messageId,
        conversation_id: reply.conversationId,
        contact_id: reply.contactId,
        account_id: reply.accountId,
        direction: 'outbound',
        channel: reply.channel,
        reference: `outbox:${outboxId}`,
        sender: null,
        user_email: reply.userEmail,
        outbox_id: outboxId,
        subject: reply.subject,
        body: reply.text,
        at: reply.at,
      })
      .execute();
    await trx
      .updateTable('conversations')
      .set({ last_message_at: sql`greatest(conversations.last_message_at, ${reply.at}::timestamptz)` })
      .where('id', '=', reply.conversationId)
      .execute();
  });
  return { outboxId, messageId };
}
