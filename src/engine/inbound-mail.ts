// What Tend does with an inbound e-mail, however it arrived (a mail service's webhook, or Tend's own SMTP
// listener): a reply to a message's thread address from the person that message went to, or any mail from
// a known contact (a proven From address) to an address on the reply domain, lands in that person's
// conversation and becomes a Message Replied, so a person answers it, its wait is measured and journeys see it.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { InboundEmailSettings } from '../channels/channel-settings.js';
import { addressDomain, outboxIdOfReplyAddress } from '../channels/email-address.js';
import type { InboundMail } from '../channels/inbound-email.js';
import type { Clock } from '../domain/clock.js';
import type { Ingest } from '../ingest/ingest-batch.js';
import type { Database } from '../store/schema.js';
import { receiveCustomerMessage } from './conversation-inbound.js';

export interface InboundMailDependencies {
  readonly database: Kysely<Database>;
  /** The business clock: stamps the reply. */
  readonly clock: Clock;
  /** Stores a reply as an event, in its own transaction (ingest-batch.ts). */
  readonly ingest: Ingest;
  readonly settings: InboundEmailSettings;
  /** Wakes evaluation after a reply is recorded. */
  readonly afterCommit: () => void;
}

/** Whose mail it is: the contact, their account, and the message of Tend's it answers (if it names one). */
interface Sender {
  readonly contactId: string;
  readonly accountId: string | null;
  readonly outboxId: string | null;
  /** The reply-domain address it was sent to. */
  readonly to: string;
}

/**
 * Records the mail when it is a customer's: sent to an address on the reply domain, either a thread
 * address of a message that went to the sender, or any address from a known contact's e-mail address
 * when that address is proven (`senderVerified`: anyone can write a From header, not a thread address).
 * Anything else (a stranger, another domain, a forged thread) records nothing. True when it was recorded.
 */
export async function recordInboundMail(
  dependencies: InboundMailDependencies,
  mail: InboundMail,
  { senderVerified }: { readonly senderVerified: boolean },
): Promise<boolean> {
  const { database, settings } = dependencies;
  if (settings.kind === 'disabled') return false;
  const onReplyDomain = mail.recipients.filter((address) => addressDomain(address) === settings.replyDomain);
  const to = onReplyDomain[0];
  if (to === undefined) return false;
  const sender =
    (await threadSender(database, onReplyDomain, mail.from)) ??
    (senderVerified ? await knownSender(database, mail, to) : null);
  if (sender === null) return false;
  const content = `${mail.from}\u0000${mail.recipients.join(',')}\u0000${mail.subject}\u0000${mail.text}`;
  const messageId = mail.messageId ?? createHash('sha256').update(content).digest('hex');
  const message = {
    contactId: sender.contactId,
    accountId: sender.accountId,
    channel: 'email' as const,
    reference: `email:${messageId}`,
    from: mail.from,
    to: sender.to,
    subject: mail.subject,
    messageId: mail.messageId,
    body: mail.text,
    at: dependencies.clock.now(),
  };
  const properties = {
    channel: 'email',
    direction: 'inbound',
    from: mail.from,
    summary: mail.subject.slice(0, 200),
    body: mail.text.slice(0, 5000),
    ...(sender.outboxId === null ? {} : { outboxId: sender.outboxId }),
    // Landed by its thread address alone: the From address is unproven.
    ...(senderVerified ? {} : { senderVerified: false }),
  };
  await receiveCustomerMessage(dependencies, message, properties);
  return true;
}

/** The message a thread address names, when it went to this sender (Tend's own messages, and people's replies). */
async function threadSender(
  database: Kysely<Database>,
  addresses: readonly string[],
  from: string,
): Promise<Sender | null> {
  const threads = addresses
    .map((address) => ({ address, id: outboxIdOfReplyAddress(address) }))
    .filter((thread): thread is { address: string; id: string } => thread.id !== null);
  if (threads.length === 0) return null;
  const original = await database
    .selectFrom('outbox')
    .select(['id', 'contact_id', 'account_id', 'recipient'])
    .where(
      'id',
      'in',
      threads.slice(0, 10).map((thread) => thread.id),
    )
    .where('channel', '=', 'email')
    .execute();
  const thread = original.find((row) => row.contact_id !== null && row.recipient?.toLowerCase() === from);
  if (thread === undefined || thread.contact_id === null) return null;
  const to = threads.find((candidate) => candidate.id === thread.id)?.address ?? threads[0]!.address;
  return { contactId: thread.contact_id, accountId: thread.account_id, outboxId: thread.id, to };
}

/** The contact the sender's address belongs to (the one updated last, when several share it), or null. */
async function knownSender(database: Kysely<Database>, mail: InboundMail, to: string): Promise<Sender | null> {
  const contact = await database
    .selectFrom('contacts')
    .select(['id', 'account_id'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', mail.from))
    .where('merged_into', 'is', null)
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
  return contact === undefined ? null : { contactId: contact.id, accountId: contact.account_id, outboxId: null, to };
}
