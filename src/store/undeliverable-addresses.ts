// E-mail addresses that bounced for good, and the message a delivery report is about: found by its return
// path (the outbox id), else by the returned Message-ID, else as the latest e-mail to the address. Every
// lookup goes through an index (the outbox's id, its provider message id, a contact's messages by time).
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** An e-mail Tend sent that a delivery report speaks of. */
export interface ReportedMessage {
  readonly id: string;
  readonly recipient: string;
  readonly providerMessageId: string | null;
}

export interface ReportedMessageClues {
  /** From the return path the report was sent to (bounce+{id}@…). */
  readonly outboxId: string | null;
  /** The returned message's Message-ID. */
  readonly messageId: string | null;
  /** The address the report is about, lower-cased. */
  readonly recipient: string;
}

/** How far back a report without other clues is matched to the latest e-mail to its address. */
const recipientWindowMs = 30 * 86_400_000;

/** The message the report is about; null when none of the clues names an e-mail Tend sent. */
export async function findReportedMessage(
  database: Kysely<Database>,
  clues: ReportedMessageClues,
  now: Date,
): Promise<{ message: ReportedMessage; by: 'return-path' | 'message-id' | 'recipient' } | null> {
  const emails = database
    .selectFrom('outbox')
    .select(['outbox.id', 'outbox.recipient', 'outbox.provider_message_id'])
    .where('outbox.channel', '=', 'email')
    .where('outbox.recipient', 'is not', null);
  const found = (row: { id: string; recipient: string | null; provider_message_id: string | null } | undefined) =>
    row === undefined || row.recipient === null
      ? null
      : { id: row.id, recipient: row.recipient, providerMessageId: row.provider_message_id };
  if (clues.outboxId !== null) {
    // A return path that names no message Tend sent is a forgery or a stale one: nothing else is tried.
    const message = found(await emails.where('outbox.id', '=', clues.outboxId).executeTakeFirst());
    return message === null ? null : { message, by: 'return-path' };
  }
  if (clues.messageId !== null) {
    const row = await emails.where('outbox.provider_message_id', '=', clues.messageId).executeTakeFirst();
    const message = found(row);
    if (message !== null && message.recipient.toLowerCase() === clues.recipient) return { message, by: 'message-id' };
  }
  const since = new Date(now.getTime() - recipientWindowMs);
  const row = await emails
    .innerJoin('contacts', 'contacts.id', 'outbox.contact_id')
    .where((eb) => eb(eb.fn('lower', ['contacts.email']), '=', clues.recipient))
    .where((eb) => eb(eb.fn('lower', ['outbox.recipient']), '=', clues.recipient))
    .where('outbox.created_at', '>=', since)
    .orderBy('outbox.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const message = found(row);
  return message === null ? null : { message, by: 'recipient' };
}

/** Marks the address undeliverable (the first report that said so is kept); true when it is new. */
export async function markUndeliverable(
  database: Kysely<Database>,
  bounce: { address: string; status: string; reason: string; outboxId: string | null },
  now: Date,
): Promise<boolean> {
  const inserted = await database
    .insertInto('undeliverable_addresses')
    .values({
      address: bounce.address.toLowerCase(),
      status: bounce.status,
      reason: bounce.reason.slice(0, 1000),
      outbox_id: bounce.outboxId,
      marked_at: now,
    })
    .onConflict((conflict) => conflict.column('address').doNothing())
    .returning('address')
    .executeTakeFirst();
  return inserted !== undefined;
}
