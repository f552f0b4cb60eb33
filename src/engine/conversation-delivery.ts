// Sends a person's reply in a conversation, for the outbox dispatcher: the text as written (no template),
// by e-mail in the customer's thread (In-Reply-To and References, the writer's name, a thread address to
// answer to) or by text from the number the customer wrote to. Exactly once, as every outbox message.
import { randomBytes } from 'node:crypto';
import { parseMailbox, replyAddress } from '../channels/email-address.js';
import { hashMessageToken } from '../channels/link-tracking.js';
import { replyRefusal } from '../domain/relationship/conversation.js';
import { assertNever } from '../domain/tracking-message.js';
import { retriedTransaction } from '../store/contention-retry.js';
import { type ClaimedMessage, markHandedOver } from '../store/outbox-store.js';
import { loadSendContact } from '../store/send-contact.js';
import type { DeliveryChannels } from './delivery-channels.js';
import { type Delivery, type HandOverOptions, handToChannel } from './message-hand-over.js';
import type { SendSlots } from './send-slots.js';

/** What a reply's delivery needs of the dispatcher: its channels and where Tend is reachable. */
export interface ReplyDeliveryOptions extends HandOverOptions {
  readonly channels: Pick<DeliveryChannels, 'email' | 'sms'>;
  readonly publicUrl: () => string;
}

/** A reply's payload in the outbox, as engine/conversation-replies.ts writes it. */
interface ReplyPayload {
  readonly text: string;
  readonly writerName: string | null;
  readonly writerEmail: string | null;
  readonly contactName: string | null;
  readonly subject: string;
  readonly inReplyTo: string | null;
  readonly references: string | null;
  readonly tendAddress: string | null;
}

function readPayload(payload: Readonly<Record<string, unknown>>): ReplyPayload | null {
  const text = (key: string) => (typeof payload[key] === 'string' && payload[key] !== '' ? payload[key] : null);
  const written = text('text');
  if (written === null) return null;
  return {
    text: written,
    writerName: text('writerName'),
    writerEmail: text('rep'),
    contactName: text('contactName'),
    subject: text('subject') ?? 'Re: your message',
    inReplyTo: text('inReplyTo'),
    references: text('references'),
    tendAddress: text('tendAddress'),
  };
}

/** The sender: the writer's name before Tend's own address (TEND_EMAIL_FROM), which the domain signs for. */
function senderOf(from: string, writerName: string | null): string {
  const mailbox = parseMailbox(from);
  const name = writerName?.replace(/["<>\\\r\n]/g, '').trim();
  if (mailbox === null || name === undefined || name === '') return from;
  return `"${name}" <${mailbox.address}>`;
}

/** Stops the hand-over in its transaction: the person may no longer be written to. */
class Refused extends Error {}

/**
 * Marks the reply handed over and reads once more, in the same transaction, what stops a person's
 * reply: erased, do-not-contact, STOP to texts (see domain/relationship/conversation.ts). Quiet hours,
 * caps and the pause after a reply are automation's and do not hold it. Null: hand it over.
 */
async function handReplyOver(
  options: ReplyDeliveryOptions,
  claimed: ClaimedMessage,
  unsubscribeTokenHash: string | null,
): Promise<Exclude<Delivery, { kind: 'delivered' }> | null> {
  const { database, clock, worker } = options;
  const channel = claimed.channel === 'sms' ? 'sms' : 'email';
  try {
    return await retriedTransaction(database, async (trx) => {
      if (!(await markHandedOver(trx, claimed.id, worker.id, unsubscribeTokenHash, clock.now())))
        return { kind: 'claim-lost' };
      const contact = await loadSendContact(trx, claimed.contactId, claimed.recipient);
      const refusal = replyRefusal(contact, channel, 'The person');
      if (refusal !== null) throw new Refused(`${refusal.kind}: ${refusal.message} (checked again before sending)`);
      return null;
    });
  } catch (error) {
    if (error instanceof Refused) return { kind: 'skipped', reason: error.message };
    throw error;
  }
}

/** Sends the reply the dispatcher claimed; what happened is recorded by the dispatcher as for any message. */
export async function deliverConversationReply(
  options: ReplyDeliveryOptions,
  claimed: ClaimedMessage,
  emailSlots: SendSlots,
): Promise<Delivery> {
  const { channels } = options;
  const reply = readPayload(claimed.payload);
  if (reply === null) return { kind: 'failed', reason: 'the reply has no text' };
  if (claimed.recipient === null) return { kind: 'failed', reason: 'the reply has no address to go to' };
  const base = options.publicUrl().replace(/\/+$/, '');
  switch (claimed.channel) {
    case 'email': {
      const token = randomBytes(24).toString('base64url');
      const from = senderOf(channels.email.from, reply.writerName);
      const email = {
        idempotencyKey: claimed.idempotencyKey,
        to: { address: claimed.recipient, ...(reply.contactName === null ? {} : { name: reply.contactName }) },
        from,
        // The reply's own thread address: the customer's answer finds this conversation again.
        replyTo: channels.email.threadReplies
          ? replyAddress(claimed.id, channels.email.replyDomain)
          : (reply.writerEmail ?? channels.email.from),
        subject: reply.subject,
        text: reply.text,
        unsubscribeUrl: `${base}/unsubscribe/${token}`,
        ...(reply.inReplyTo === null ? {} : { inReplyTo: reply.inReplyTo }),
        ...(reply.references === null ? {} : { references: reply.references }),
      };
      const { unsubscribeUrl: _capability, idempotencyKey: _key, ...record } = email;
      return emailSlots.use(async () => {
        await channels.email.pace.take();
        const stopped = await handReplyOver(options, claimed, hashMessageToken(token));
        if (stopped !== null) return stopped;
        return handToChannel(
          () => channels.email.mailer.send(email),
          record,
          channels.email.local,
          channels.email.pace,
        );
      });
    }
    case 'sms': {
      const sms = {
        idempotencyKey: claimed.idempotencyKey,
        to: claimed.recipient,
        // From the number the customer wrote to, so the thread stays one on their phone.
        from: reply.tendAddress ?? channels.sms.from,
        body: reply.text,
        ...(channels.sms.statusCallbacks
          ? { statusCallbackUrl: `${base}/webhooks/twilio/status?outbox=${claimed.id}` }
          : {}),
      };
      await channels.sms.pace.take();
      const stopped = await handReplyOver(options, claimed, null);
      if (stopped !== null) return stopped;
      return handToChannel(
        () => channels.sms.sender.send(sms),
        { to: sms.to, from: sms.from, body: sms.body },
        channels.sms.local,
        channels.sms.pace,
      );
    }
    case 'webhook':
      return { kind: 'failed', reason: 'a reply goes by e-mail or text, not to a webhook' };
    default:
      return assertNever(claimed.channel);
  }
}
