// Reading and checking e-mail addresses as they appear in settings and messages: `Name <a@b.c>` or
// `a@b.c`; and spotting "no-reply" mailboxes, which Tend refuses because every message can be answered.

import { isEmailAddress } from '../domain/email-syntax.js';

export { isEmailAddress, isHostname } from '../domain/email-syntax.js';

export interface Mailbox {
  readonly address: string;
  readonly name?: string;
}

/** A header line's limit (RFC 5322): longer values come from outside and are not read at all. */
const maximumMailboxLength = 998;

/**
 * Reads `Name <a@b.c>`, `"Name" <a@b.c>` or `a@b.c`; null when it is neither. Found by index, not by
 * a regular expression: the value may be an owner trait anyone with a write key set.
 */
export function parseMailbox(value: string): Mailbox | null {
  if (value.length > maximumMailboxLength) return null;
  const trimmed = value.trim();
  if (/[\r\n]/.test(trimmed)) return null;
  const open = trimmed.lastIndexOf('<');
  if (open >= 0 && trimmed.indexOf('>', open) === trimmed.length - 1) {
    const address = trimmed.slice(open + 1, -1).trim();
    let name = trimmed.slice(0, open).trim();
    if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1);
    if (!isEmailAddress(address)) return null;
    return name === '' ? { address } : { address, name };
  }
  return isEmailAddress(trimmed) ? { address: trimmed } : null;
}

/** The domain part of an address, lower-cased. */
export function addressDomain(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * True for mailboxes that announce nobody reads them (no-reply, noreply, do-not-reply, donotreply,
 * no_reply…): Tend never uses one as a Reply-To, because every message it sends can be answered.
 */
export function isNoReplyAddress(address: string): boolean {
  const local = address.slice(0, address.lastIndexOf('@')).toLowerCase();
  const squeezed = local.replace(/[^a-z]/g, '');
  return /^(no|donot|dont)reply/.test(squeezed) || /(^|[^a-z])(no|do[-_.]?not)[-_.]?reply($|[^a-z])/.test(local);
}

/** The Reply-To of a message: its own thread address on the reply domain, so an answer finds its thread. */
export const replyAddress = (outboxId: string, replyDomain: string) =>
  `reply+${outboxId.replace(/-/g, '')}@${replyDomain}`;

/** The outbox id a thread address names (`reply+<32 hex>@…`), or null. */
export const outboxIdOfReplyAddress = (address: string): string | null => outboxIdAfter('reply', address);

/**
 * A message's own return path (VERP): the envelope sender its bounces come back to, naming the message,
 * so a delivery report finds it even when it quotes nothing of the message.
 */
export const bounceAddress = (outboxId: string, replyDomain: string) =>
  `bounce+${outboxId.replace(/-/g, '')}@${replyDomain}`;

/** The outbox id a return path names (`bounce+<32 hex>@…`), or null. */
export const outboxIdOfBounceAddress = (address: string): string | null => outboxIdAfter('bounce', address);

function outboxIdAfter(prefix: 'reply' | 'bounce', address: string): string | null {
  const hex = new RegExp(`^${prefix}\\+([0-9a-f]{32})@`, 'i').exec(address.trim())?.[1]?.toLowerCase();
  return hex === undefined
    ? null
    : `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
