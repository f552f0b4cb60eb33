// What Tend does with an inbound e-mail, however it arrived (a mail service's webhook, or Tend's own SMTP
// listener): a reply to a message's thread address, from the person that message went to, becomes a
// Message Replied in that thread, so the answer's speed is measured and journeys see it.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { InboundEmailSettings } from '../channels/channel-settings.js';
import { addressDomain, outboxIdOfReplyAddress } from '../channels/email-address.js';
import type { InboundMail } from '../channels/inbound-email.js';
import type { Clock } from '../domain/clock.js';
import type { TrackingMessage } from '../domain/tracking-message.js';
import type { Ingest } from '../ingest/ingest-batch.js';
import type { Database } from '../store/schema.js';

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

/**
 * Records the reply when it is one: sent to a thread address on the reply domain, from the person that
 * message went to. Anything else (a stranger, a forged sender, an unknown thread) records nothing.
 */
export async function recordInboundMail(dependencies: InboundMailDependencies, mail: InboundMail): Promise<void> {
  const { database, settings } = dependencies;
  if (settings.kind === 'disabled') return;
  const threads = mail.recipients
    .filter((address) => addressDomain(address) === settings.replyDomain)
    .map(outboxIdOfReplyAddress)
    .filter((id): id is string => id !== null);
  if (threads.length === 0) return;
  const original = await database
    .selectFrom('outbox')
    .select(['id', 'contact_id', 'account_id', 'recipient'])
    .where('id', 'in', threads.slice(0, 10))
    .where('channel', '=', 'email')
    .execute();
  const thread = original.find((row) => row.contact_id !== null && row.recipient?.toLowerCase() === mail.from);
  if (thread === undefined || thread.contact_id === null) return;
  const now = dependencies.clock.now();
  const content = `${mail.from}\u0000${mail.recipients.join(',')}\u0000${mail.subject}\u0000${mail.text}`;
  const messageId = mail.messageId ?? createHash('sha256').update(content).digest('hex');
  const message: TrackingMessage = {
    type: 'track',
    event: 'Message Replied',
    messageId: `email:${messageId}`,
    userId: thread.contact_id,
    anonymousId: null,
    timestamp: now,
    context: { channel: 'email' },
    properties: {
      channel: 'email',
      direction: 'inbound',
      from: mail.from,
      summary: mail.subject.slice(0, 200),
      body: mail.text.slice(0, 5000),
      outboxId: thread.id,
      ...(thread.account_id ? { accountId: thread.account_id } : {}),
    },
  };
  const outcome = await dependencies.ingest.record([message], now);
  if (outcome.stored > 0) dependencies.afterCommit();
}
