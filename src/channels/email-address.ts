// Reading and checking e-mail addresses as they appear in settings and messages: `Name <a@b.c>` or
// `a@b.c`; and spotting "no-reply" mailboxes, which Tend refuses because every message can be answered.

export interface Mailbox {
  readonly address: string;
  readonly name?: string;
}

const addressPattern = /^[^\s@<>()",;:\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const hostnamePattern = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** True for a bare address like `anna@example.com` (no display name, no spaces, a dotted domain). */
export function isEmailAddress(value: string): boolean {
  return addressPattern.test(value);
}

/** True for a dotted host name such as `reply.example.com`, as TEND_REPLY_DOMAIN must be. */
export function isHostname(value: string): boolean {
  return hostnamePattern.test(value) && value.length <= 253;
}

/** Reads `Name <a@b.c>`, `"Name" <a@b.c>` or `a@b.c`; null when it is neither. */
export function parseMailbox(value: string): Mailbox | null {
  const trimmed = value.trim();
  if (/[\r\n]/.test(trimmed)) return null;
  const named = /^(.*?)\s*<([^<>]+)>$/.exec(trimmed);
  if (named) {
    const address = named[2]!.trim();
    const name = named[1]!.trim().replace(/^"(.*)"$/, '$1');
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
export const replyAddress = (outboxId: string, replyDomain: string) => `reply+${outboxId.replace(/-/g, '')}@${replyDomain}`;

/** The outbox id a thread address names (`reply+<32 hex>@…`), or null. */
export function outboxIdOfReplyAddress(address: string): string | null {
  const hex = /reply\+([0-9a-f]{32})@/i.exec(address)?.[1]?.toLowerCase();
  return hex === undefined ? null : `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
