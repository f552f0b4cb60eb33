// The embedded default when no SMTP server or SMS provider is configured: nothing leaves the machine;
// each message is handed to the caller's `record` (the engine keeps it in the outbox table, listed
// by GET /api/v1/outbox), so a newcomer sees exactly what Tend would have sent.
import { createHash } from 'node:crypto';
import type { Mailer, OutboundEmail, OutboundSms, SmsSender } from './channel-messages.js';

/** What the local mailbox hands over for keeping: the message as the engine built it. */
export type LocalMailboxMessage =
  | { readonly channel: 'email'; readonly providerMessageId: string; readonly email: OutboundEmail }
  | { readonly channel: 'sms'; readonly providerMessageId: string; readonly sms: OutboundSms };

export type RecordLocalMessage = (message: LocalMailboxMessage) => Promise<void> | void;

/**
 * A Mailer and an SmsSender that deliver nowhere and record each message; the id is derived from
 * the idempotency key, so recording a retried send twice is recognisably the same message.
 */
export function createLocalMailbox(record: RecordLocalMessage): { mailer: Mailer; smsSender: SmsSender } {
  return {
    mailer: {
      async send(email) {
        const providerMessageId = localMessageId('email', email.idempotencyKey);
        await record({ channel: 'email', providerMessageId, email });
        return { providerMessageId };
      },
    },
    smsSender: {
      async send(sms) {
        const providerMessageId = localMessageId('sms', sms.idempotencyKey);
        await record({ channel: 'sms', providerMessageId, sms });
        return { providerMessageId, status: 'delivered' };
      },
    },
  };
}

function localMessageId(channel: 'email' | 'sms', idempotencyKey: string): string {
  return `local-${channel}-${createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 32)}`;
}
