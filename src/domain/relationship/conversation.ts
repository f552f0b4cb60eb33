// A conversation with a customer in the business's words: whether it waits for us and how long the customer
// has waited, what a person's reply may be, and why one must not go. A reply by a person answers to the
// person's own wishes (erased, do-not-contact, STOP by text), never to what only holds automation back.
import type { SendContact } from '../playbooks/send-policy.js';

export type ConversationChannel = 'email' | 'sms';
export const conversationChannels: readonly ConversationChannel[] = ['email', 'sms'];

/** `open`: the customer waits for us; `answered`: a person answered their latest message. */
export type ConversationStatus = 'open' | 'answered';
export const conversationStatuses: readonly ConversationStatus[] = ['open', 'answered'];

export function conversationStatus(waitingSince: Date | null): ConversationStatus {
  return waitingSince === null ? 'answered' : 'open';
}

/** Whole minutes the customer has waited for an answer at `now`; null when nothing waits. */
export function minutesWaited(waitingSince: Date | null, now: Date): number | null {
  if (waitingSince === null) return null;
  return Math.max(0, Math.floor((now.getTime() - waitingSince.getTime()) / 60_000));
}

/** The longest reply: a long e-mail, or what Twilio sends as one text message (split into parts on the way). */
export const replyLimits: Readonly<Record<ConversationChannel, number>> = { email: 20_000, sms: 1_600 };

/** What is wrong with a reply's text for its channel, or null when it may go. */
export function replyTextProblem(text: string, channel: ConversationChannel): string | null {
  if (text.trim() === '') return 'is empty: write the answer to send';
  const limit = replyLimits[channel];
  if (text.length > limit) {
    const why = channel === 'sms' ? 'the longest text message Tend sends' : 'the longest e-mail reply Tend sends';
    return `is ${text.length} characters long; ${limit} is ${why}`;
  }
  return null;
}

/** The subject of a reply to an e-mail: "Re: " and theirs, once (their own "Re:" or "AW:" kept). */
export function replySubject(subject: string | null): string {
  const theirs = (subject ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
  if (theirs === '') return 'Re: your message';
  return /^(re|aw|sv|antw|r)\s*:/i.test(theirs) ? theirs : `Re: ${theirs}`;
}

/** Why a person's reply must not go, in words that say what to do instead. */
export type ReplyRefusal =
  | { readonly kind: 'erased'; readonly message: string }
  | { readonly kind: 'do-not-contact'; readonly message: string }
  | { readonly kind: 'opted-out'; readonly message: string };

const nothingSent = 'Nothing was sent.';

/**
 * A reply refused: the person was erased, is on the do-not-contact list, or texted STOP (for a text; the
 * reply goes to the address they wrote from). An unsubscribe from e-mail does not stop it: it stops automated e-mail,
 * and a person answering the customer's own message is not that. Quiet hours, caps and the pause after
 * a reply are automation's rules and do not apply either.
 */
export function replyRefusal(contact: SendContact, channel: ConversationChannel, who: string): ReplyRefusal | null {
  if (contact.erased) {
    const must = "Tend must not write to them again, a person's reply included";
    const message = `${who} asked to be erased: ${must}. ${nothingSent}`;
    return { kind: 'erased', message };
  }
  if (contact.doNotContact) {
    const message =
      `${who} is on the do-not-contact list, which stops every message from Tend, a person's reply included. ` +
      `${nothingSent} If they asked to hear from you, an admin can take them off the list ` +
      '(DELETE /api/v1/do-not-contact/{value}); otherwise answer them another way they agreed to.';
    return { kind: 'do-not-contact', message };
  }
  if (channel === 'sms' && contact.consent.sms === 'opted-out') {
    const message =
      `${who} opted out of text messages (they sent STOP), so no text may go to them. ${nothingSent} ` +
      'Answer by e-mail or call them; they opt in again by texting START.';
    return { kind: 'opted-out', message };
  }
  return null;
}

/**
 * A customer's Message-ID as a reply names it (`<id@host>`): brackets added when a mail service passed it
 * without; null for what is no Message-ID (a service's own message number), which a reply cannot name.
 */
export function threadMessageId(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  const bare = trimmed.startsWith('<') && trimmed.endsWith('>') ? trimmed.slice(1, -1) : trimmed;
  return /^[^<>\s@]{1,450}@[^<>\s@]{1,450}$/.test(bare) ? `<${bare}>` : null;
}
