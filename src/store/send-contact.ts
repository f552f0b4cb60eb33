// What a send decision needs to know about the person, read in one place for the journey engine (when
// the step runs) and the dispatcher (again right before the provider is called: an opt-out or a
// do-not-contact entry that arrived meanwhile must stop the message, and so must a message from the person,
// after which automation pauses).
import { type Kysely, sql, type Transaction } from 'kysely';
import { isErasedIdentity } from './erasure-suppression.js';
import type { Database } from './schema.js';

export interface SendContact {
  readonly email: string | null;
  readonly phone: string | null;
  readonly timezone: string | null;
  readonly name: string | null;
  readonly consent: Readonly<Record<string, 'opted-in' | 'opted-out'>>;
  readonly doNotContact: boolean;
  readonly erased: boolean;
  /** Why their e-mail address (or the one a message is about to go to) takes no mail; null: it does. */
  readonly emailUndeliverable: string | null;
  /** Their latest message in their conversation (null: none), after which automated messages pause. */
  readonly lastReplyAt: Date | null;
}

/**
 * The contact's addresses, consent per channel, and whether any of their identities (id, e-mail,
 * phone, or the address a message is about to go to) is on the do-not-contact list or belongs to an
 * erased person (kept hashed). The contact row is locked, so that two workers deciding about one
 * person (caps) take turns.
 */
export async function loadSendContact(
  executor: Kysely<Database> | Transaction<Database>,
  contactId: string | null,
  recipient: string | null = null,
): Promise<SendContact> {
  const contact =
    contactId === null
      ? undefined
      : await executor
          .selectFrom('contacts')
          .select(['email', 'phone', 'timezone', 'name'])
          // Read with the row, not in a query of its own: an address that bounced for good (by its index).
          .select((eb) =>
            eb
              .selectFrom('undeliverable_addresses')
              .select('reason')
              .where('address', 'in', [
                sql<string>`lower(${eb.ref('contacts.email')})`,
                recipient?.includes('@') ? recipient.toLowerCase() : '',
              ])
              .limit(1)
              .as('email_undeliverable'),
          )
          // In the same statement: the hand-over reads this on every message.
          .select((eb) =>
            eb
              .selectFrom('conversations')
              .select('last_inbound_at')
              .whereRef('conversations.contact_id', '=', 'contacts.id')
              .as('last_reply_at'),
          )
          .where('id', '=', contactId)
          .forUpdate()
          .executeTakeFirst();
  const consents =
    contactId === null
      ? []
      : await executor
          .selectFrom('consents')
          .select(['channel', 'status'])
          .where('contact_id', '=', contactId)
          .execute();
  const identities = [
    contactId,
    contact?.email?.toLowerCase(),
    contact?.phone,
    recipient?.includes('@') ? recipient.toLowerCase() : recipient,
  ].filter((value): value is string => Boolean(value));
  const blocked =
    identities.length === 0
      ? undefined
      : await executor.selectFrom('do_not_contact').select('value').where('value', 'in', identities).executeTakeFirst();
  const addresses = { email: contact?.email ?? null, phone: contact?.phone ?? null };
  return {
    email: contact?.email ?? null,
    phone: contact?.phone ?? null,
    timezone: contact?.timezone ?? null,
    name: contact?.name ?? null,
    consent: Object.fromEntries(consents.map((row) => [row.channel, row.status])),
    doNotContact: blocked !== undefined,
    erased: await isErasedIdentity(executor, { contactId, recipient, ...addresses }),
    emailUndeliverable: contact?.email_undeliverable ?? null,
    lastReplyAt: contact?.last_reply_at ?? null,
  };
}
