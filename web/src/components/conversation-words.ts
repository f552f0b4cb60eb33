// How a conversation reads to a rep: who is waiting and how long, how they wrote, and where a message stands.
import type { Reply } from '../api/types';
import { wait } from './format';

export type ConversationSummary = Reply<'/api/v1/conversations'>['conversations'][number];
export type ThreadMessage = Reply<'/api/v1/conversations/{id}'>['messages'][number];

/** "Anna Muster", else the address they wrote from. */
export function customerName(conversation: ConversationSummary): string {
  return conversation.contactName ?? conversation.customerAddress;
}

/** "Waiting 3 h" or "Answered": the tag beside a conversation. */
export function statusWords(conversation: ConversationSummary): string {
  return conversation.status === 'open' ? `Waiting ${wait(conversation.waitedMinutes)}` : 'Answered';
}

/** A day without an answer is late (the slow-response signal's default). */
export function isLate(conversation: ConversationSummary): boolean {
  return conversation.status === 'open' && (conversation.waitedMinutes ?? 0) >= 24 * 60;
}

/** "by e-mail from anna@kunde.example" or "by text from +41 79…". */
export function channelWords(conversation: ConversationSummary): string {
  const how = conversation.channel === 'sms' ? 'by text' : 'by e-mail';
  return `${how} from ${conversation.customerAddress}`;
}

const outboundStates: Record<NonNullable<ThreadMessage['status']>, string> = {
  pending: 'Waiting to be sent',
  sending: 'Being sent',
  sent: 'Sent',
  'delivered-locally': 'In the local mailbox (no provider set up)',
  skipped: 'Not sent',
  failed: 'Could not be sent',
  unconfirmed: 'May have been sent (unconfirmed)',
};

/** Where an outbound message stands; null for the customer's own. */
export function messageState(message: ThreadMessage): string | null {
  if (message.status === null) return null;
  const state = outboundStates[message.status];
  return message.reason === null || message.status === 'sent' ? state : `${state}: ${message.reason}`;
}
