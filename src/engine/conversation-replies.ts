// A person answers a customer from Tend: the reply is checked (its text, and whether the customer may be
// written to at all) and queued in the outbox to go at once, in the same thread and on the channel the
// customer last wrote on. The dispatcher sends it (conversation-delivery.ts).
import type { Kysely } from 'kysely';
import { TendError } from '../domain/errors.js';
import { replyRefusal, replySubject, replyTextProblem, threadMessageId } from '../domain/relationship/conversation.js';
import type { SignedInUser } from '../domain/viewer.js';
import { conversationReplyKind } from '../store/conversation-answers.js';
import { type ConversationRow, threadReferences } from '../store/conversation-reads.js';
import { queueReply } from '../store/conversation-store.js';
import type { Database } from '../store/schema.js';
import { loadSendContact } from '../store/send-contact.js';

export interface ReplyRequest {
  readonly conversation: ConversationRow;
  readonly writer: SignedInUser;
  readonly text: string;
  readonly at: Date;
}

/**
 * Queues the reply and returns it (its outbox id, its message in the thread); refuses, naming why and
 * what to do instead, a text that is empty or too long for the channel (400, `body.text`), and a customer
 * who must not be written to (409: erased, on the do-not-contact list, STOP to texts).
 */
export async function replyInConversation(
  database: Kysely<Database>,
  request: ReplyRequest,
): Promise<{ outboxId: string; messageId: string; subject: string | null; text: string }> {
  const { conversation, writer, at } = request;
  const channel = conversation.channel;
  const problem = replyTextProblem(request.text, channel);
  if (problem !== null)
    throw new TendError('invalid_request', `The reply's text ${problem}.`, [{ field: 'body.text', message: problem }]);
  const who = conversation.contactName ?? conversation.customerAddress;
  const contact = await loadSendContact(database, conversation.contactId, conversation.customerAddress);
  const refusal = replyRefusal(contact, channel, who);
  if (refusal !== null)
    throw new TendError('conflict', refusal.message, [{ field: 'contact', message: `is ${refusal.kind}` }]);
  const text = request.text.replace(/\r\n?/g, '\n').trim();
  const subject = channel === 'email' ? replySubject(conversation.subject) : null;
  const answered = threadMessageId(conversation.lastMessageId);
  // The whole thread, ending with the message answered, so every mail client files the answer with it.
  const earlier = channel === 'email' ? await threadReferences(database, conversation) : [];
  const references = answered === null ? null : [...earlier.filter((id) => id !== answered), answered].join(' ');
  const payload = {
    kind: conversationReplyKind,
    conversationId: conversation.id,
    rep: writer.email,
    writerName: writer.name,
    contactName: conversation.contactName,
    subject,
    text,
    inReplyTo: channel === 'email' ? answered : null,
    references: channel === 'email' ? references : null,
    tendAddress: channel === 'sms' ? conversation.tendAddress : null,
    writtenAt: at.toISOString(),
  };
  const queued = await queueReply(database, {
    conversationId: conversation.id,
    contactId: conversation.contactId,
    accountId: conversation.accountId,
    channel,
    recipient: conversation.customerAddress,
    userEmail: writer.email,
    subject,
    text,
    payload,
    at,
  });
  return { ...queued, subject, text };
}
