// What a delivery status notification sent back to a message's return path changes: a hard bounce marks the
// address undeliverable (no e-mail goes to it again; `channel: best` picks another channel) and records
// Message Bounced, as a provider's report does; a soft bounce is recorded on the message and changes nothing.
import type { Kysely } from 'kysely';
import { outboxIdOfBounceAddress } from '../channels/email-address.js';
import type { InboundMail } from '../channels/inbound-email.js';
import type { Clock } from '../domain/clock.js';
import { readDeliveryStatus, type RecipientStatus } from '../domain/mail/delivery-status.js';
import { recordDeliveryOutcome } from '../store/consent-store.js';
import type { Database } from '../store/schema.js';
import { findReportedMessage, markUndeliverable } from '../store/undeliverable-addresses.js';

export interface BounceDependencies {
  readonly database: Kysely<Database>;
  /** The business clock: stamps the bounce. */
  readonly clock: Clock;
  /** Wakes evaluation after a bounce is recorded (journeys may wait for Message Bounced). */
  readonly afterCommit: () => void;
}

/** What the report said of one recipient, in words for the outbox and the event. */
const detailOf = (status: RecipientStatus) =>
  `${status.status || 'no status'}${status.diagnostic === null ? '' : ` (${status.diagnostic})`}`;

/**
 * Records what the report says of each message it names. A report that names no message Tend sent (a
 * forged one, or about mail sent elsewhere) changes nothing; a repeated report changes nothing again.
 */
export async function recordBounces(dependencies: BounceDependencies, mail: InboundMail): Promise<void> {
  if (mail.deliveryReport === null) return;
  const { database } = dependencies;
  const report = readDeliveryStatus(mail.deliveryReport);
  const returnPathId = mail.recipients.map(outboxIdOfBounceAddress).find((id) => id !== null) ?? null;
  let recorded = false;
  for (const status of report.recipients) {
    if (status.bounce === null) continue;
    const now = dependencies.clock.now();
    const clues = { outboxId: returnPathId, messageId: report.originalMessageId, recipient: status.recipient };
    const found = await findReportedMessage(database, clues, now);
    if (found === null) continue;
    const { message } = found;
    const address = message.recipient.toLowerCase();
    // One message, one recipient: a report about several names the others' outcomes, not this one's.
    const aboutIt = status.recipient === address || status.originalRecipient === address;
    if (!aboutIt && (found.by !== 'return-path' || report.recipients.some((other) => other.recipient === address))) {
      continue;
    }
    const detail = detailOf(status);
    if (status.bounce === 'hard') {
      await markUndeliverable(database, { address, status: status.status, reason: detail, outboxId: message.id }, now);
    }
    const outcome = `${status.bounce === 'hard' ? 'bounced' : 'delayed'}: ${detail}`.slice(0, 1000);
    const eventName = status.bounce === 'hard' ? 'Message Bounced' : null;
    const providerMessageId = message.providerMessageId ?? `email:${message.id}`;
    await recordDeliveryOutcome(
      database,
      { outboxId: message.id, providerMessageId, outcome, eventName, detail: null },
      now,
    );
    recorded = true;
  }
  if (recorded) dependencies.afterCommit();
}
