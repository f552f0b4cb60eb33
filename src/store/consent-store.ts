// Consent as people express it: a one-click unsubscribe from an e-mail, STOP or START by text; and
// what providers report back about a message (delivered, bounced). Each change is an event of Tend's
// own, recorded once, so journeys and reports see it; the journey engine reads consent before every send.
// Every change of consent or of the do-not-contact list is in the audit log, in its transaction.
// An opt-out answers only once no message to the person is in a provider's hands (see lockPeople).
import type { Kysely, Transaction } from 'kysely';
import type { AuditActor } from '../domain/audit.js';
import type { Book } from '../domain/viewer.js';
import { accountInBook, wholeBook } from './book-scope.js';
import { recordAuditEntry } from './audit-log.js';
import { firstReceipt } from './inbound-receipts.js';
import { recordOwnEventOnce } from './own-events.js';
import { untilNothingInHand } from './outbox-store.js';
import type { Database } from './schema.js';
import { retriedTransaction } from './contention-retry.js';

export interface UnsubscribeTarget {
  readonly outboxId: string;
  readonly contactId: string | null;
  readonly recipient: string | null;
}

export async function unsubscribeTarget(
  database: Kysely<Database>,
  tokenHash: string,
): Promise<UnsubscribeTarget | null> {
  const row = await database
    .selectFrom('outbox')
    .select(['id', 'contact_id', 'recipient'])
    .where('unsubscribe_token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row ? { outboxId: row.id, contactId: row.contact_id, recipient: row.recipient } : null;
}

/**
 * Records the opt-out from e-mail of the message's recipient; null when the token is unknown. Repeating it
 * changes nothing.
 */
export async function unsubscribeByToken(
  database: Kysely<Database>,
  tokenHash: string,
  now: Date,
): Promise<UnsubscribeTarget | null> {
  const target = await retriedTransaction(database, async (trx) => {
    const row = await trx
      .selectFrom('outbox')
      .select(['id', 'contact_id', 'account_id', 'recipient'])
      .where('unsubscribe_token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row) return null;
    if (row.contact_id !== null) await lockPeople(trx, row.contact_id);
    const actor: AuditActor = { kind: 'system', reason: 'one-click unsubscribe from an e-mail' };
    if (row.contact_id !== null) {
      await trx
        .insertInto('consents')
        .values({
          contact_id: row.contact_id,
          channel: 'email',
          status: 'opted-out',
          at: now,
          source: 'one-click unsubscribe',
        })
        .onConflict((conflict) =>
          conflict
            .columns(['contact_id', 'channel'])
            .doUpdateSet({ status: 'opted-out', at: now, source: 'one-click unsubscribe' }),
        )
        .execute();
    } else if (row.recipient !== null) {
      const entry = { value: row.recipient.toLowerCase(), reason: 'one-click unsubscribe' };
      await addDoNotContactOnce(trx, entry, actor, now);
    }
    const properties = { channel: 'email', outboxId: row.id, source: 'one-click' };
    const key = `unsubscribe:${row.id}`;
    const first = await recordOwnEventOnce(trx, 'Unsubscribed', key, row.account_id, row.contact_id, properties, now);
    if (first && row.contact_id !== null) {
      const change = { channel: 'email', status: 'opted-out', source: 'one-click unsubscribe' };
      await recordAuditEntry(trx, { actor, action: 'consent.recorded', subject: row.contact_id, details: change }, now);
    }
    return { outboxId: row.id, contactId: row.contact_id, recipient: row.recipient };
  });
  if (target !== null)
    await untilNothingInHand(database, {
      contactIds: target.contactId === null ? [] : [target.contactId],
      recipients: target.recipient === null ? [] : [target.recipient],
    });
  return target;
}

/**
 * STOP / START by text from a number: the consent of every contact with that number; an unknown number
 * goes on the do-not-contact list.
 */
export async function recordContactConsent(
  database: Kysely<Database>,
  change: { phone: string; channel: 'sms'; status: 'opted-in' | 'opted-out'; source: string; reference: string },
  now: Date,
): Promise<number> {
  const actor: AuditActor = { kind: 'system', reason: `${change.source} by text message` };
  let people: string[] = [];
  const changed = await retriedTransaction(database, async (trx) => {
    // Acted on once per provider message: a replayed START must not opt someone back in after a later STOP.
    if (!(await firstReceipt(trx, change.channel, change.reference, now))) return 0;
    // Locked: see lockPeople.
    const contacts = await trx
      .selectFrom('contacts')
      .select(['id', 'account_id'])
      .where('phone', '=', change.phone)
      .where('merged_into', 'is', null)
      .orderBy('id')
      .forUpdate()
      .execute();
    people = contacts.map((contact) => contact.id);
    for (const contact of contacts) {
      await trx
        .insertInto('consents')
        .values({
          contact_id: contact.id,
          channel: change.channel,
          status: change.status,
          at: now,
          source: change.source,
        })
        .onConflict((conflict) =>
          conflict
            .columns(['contact_id', 'channel'])
            .doUpdateSet({ status: change.status, at: now, source: change.source }),
        )
        .execute();
      // Keyed by the provider's message id: a repeated callback records nothing new.
      await recordOwnEventOnce(
        trx,
        'Consent Changed',
        `consent:${contact.id}:${change.channel}:${change.reference}`,
        contact.account_id,
        contact.id,
        { channel: change.channel, status: change.status, source: change.source },
        now,
      );
      const details = { channel: change.channel, status: change.status, source: change.source };
      await recordAuditEntry(trx, { actor, action: 'consent.recorded', subject: contact.id, details }, now);
    }
    if (change.status === 'opted-out' && contacts.length === 0) {
      await addDoNotContactOnce(trx, { value: change.phone, reason: change.source }, actor, now);
    }
    if (change.status === 'opted-in') {
      const removed = await trx
        .deleteFrom('do_not_contact')
        .where('value', '=', change.phone)
        .where('reason', 'like', 'sms %')
        .executeTakeFirst();
      const details = { source: change.source };
      if (Number(removed.numDeletedRows) > 0) {
        await recordAuditEntry(trx, { actor, action: 'do-not-contact.removed', subject: change.phone, details }, now);
      }
    }
    return contacts.length;
  });
  if (change.status === 'opted-out')
    await untilNothingInHand(database, { contactIds: people, recipients: [change.phone] });
  return changed;
}

export interface DeliveryReport {
  /** The outbox row named in the callback URL, when the provider calls back with it. */
  readonly outboxId: string | null;
  readonly providerMessageId: string;
  readonly outcome: string;
  readonly eventName: 'Message Delivered' | 'Message Bounced' | null;
  readonly detail: number | null;
}

/**
 * Records what the provider says became of a message. A report for a message left unconfirmed by a
 * crashed worker settles it: the provider had it after all.
 */
export async function recordDeliveryOutcome(
  database: Kysely<Database>,
  report: DeliveryReport,
  now: Date,
): Promise<boolean> {
  return retriedTransaction(database, async (trx) => {
    let query = trx
      .selectFrom('outbox')
      .select(['id', 'status', 'account_id', 'contact_id', 'channel', 'run_id'])
      .forUpdate();
    query =
      report.outboxId !== null &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(report.outboxId)
        ? query.where('id', '=', report.outboxId)
        : query.where('provider_message_id', '=', report.providerMessageId);
    const row = await query.executeTakeFirst();
    if (!row) return false;
    const failed = report.eventName === 'Message Bounced';
    // Only a message left unconfirmed is settled here; one still 'sending' belongs to a live worker,
    // which records it itself (with its Message Sent event) when the provider answers.
    const settled = row.status === 'unconfirmed' ? (failed ? 'failed' : 'sent') : row.status;
    await trx
      .updateTable('outbox')
      .set({
        status: settled,
        outcome: report.outcome,
        provider_message_id: report.providerMessageId,
        ...(report.eventName === 'Message Delivered' ? { delivered_at: now } : {}),
        ...(settled !== row.status
          ? { reason: `settled by the provider's report: ${report.outcome}`, sent_at: now }
          : {}),
      })
      .where('id', '=', row.id)
      .execute();
    if (report.eventName === null) return true;
    await recordOwnEventOnce(
      trx,
      report.eventName,
      `delivery:${report.providerMessageId}:${report.eventName}`,
      row.account_id,
      row.contact_id,
      {
        channel: row.channel,
        outboxId: row.id,
        runId: row.run_id,
        outcome: report.outcome,
        ...(report.detail === null ? {} : { errorCode: report.detail }),
      },
      now,
    );
    return true;
  });
}

/**
 * Sets a contact's consent for a channel (an admin, a rep for their customer, a CRM sync, a sign-up
 * form); false when the contact is unknown or outside the book.
 */
export async function setContactConsent(
  database: Kysely<Database>,
  change: { contactId: string; channel: string; status: 'opted-in' | 'opted-out'; source: string },
  actor: AuditActor,
  now: Date,
  book: Book = wholeBook,
): Promise<boolean> {
  const known = await retriedTransaction(database, async (trx) => {
    // Locked: see lockPeople.
    const contact = await trx
      .selectFrom('contacts')
      .select(['id', 'account_id'])
      .where('id', '=', change.contactId)
      .where(accountInBook(book, 'contacts.account_id'))
      .forUpdate()
      .executeTakeFirst();
    if (!contact) return false;
    await trx
      .insertInto('consents')
      .values({
        contact_id: contact.id,
        channel: change.channel,
        status: change.status,
        at: now,
        source: change.source,
      })
      .onConflict((conflict) =>
        conflict
          .columns(['contact_id', 'channel'])
          .doUpdateSet({ status: change.status, at: now, source: change.source }),
      )
      .execute();
    await recordOwnEventOnce(
      trx,
      'Consent Changed',
      `consent:${contact.id}:${change.channel}:${change.status}:${now.toISOString()}`,
      contact.account_id,
      contact.id,
      { channel: change.channel, status: change.status, source: change.source },
      now,
    );
    const details = { channel: change.channel, status: change.status, source: change.source };
    await recordAuditEntry(trx, { actor, action: 'consent.recorded', subject: contact.id, details }, now);
    return true;
  });
  if (known && change.status === 'opted-out')
    await untilNothingInHand(database, { contactIds: [change.contactId], recipients: [] });
  return known;
}

/**
 * Whether the contact exists and its account is in the book (consent and tasks name contacts by id;
 * outside the book a contact is as unknown as a wrong id).
 */
export async function isContactInBook(database: Kysely<Database>, contactId: string, book: Book): Promise<boolean> {
  const found = await database
    .selectFrom('contacts')
    .select('id')
    .where('id', '=', contactId)
    .where(accountInBook(book, 'contacts.account_id'))
    .executeTakeFirst();
  return found !== undefined;
}

export async function contactConsents(database: Kysely<Database>, contactId: string) {
  const rows = await database
    .selectFrom('consents')
    .selectAll()
    .where('contact_id', '=', contactId)
    .orderBy('channel')
    .execute();
  return rows.map((row) => ({
    channel: row.channel,
    status: row.status,
    at: row.at.toISOString(),
    source: row.source,
  }));
}

/** Puts an address, a phone number or a contact id on the global do-not-contact list (all channels, all playbooks). */
export async function addDoNotContact(
  database: Kysely<Database>,
  value: string,
  reason: string,
  actor: AuditActor,
  now: Date,
): Promise<void> {
  const people = await retriedTransaction(database, async (trx) => {
    const locked = await lockPeople(trx, value);
    await trx
      .insertInto('do_not_contact')
      .values({ value, reason, at: now })
      .onConflict((conflict) => conflict.column('value').doUpdateSet({ reason, at: now }))
      .execute();
    await recordAuditEntry(trx, { actor, action: 'do-not-contact.added', subject: value, details: { reason } }, now);
    return locked;
  });
  await untilNothingInHand(database, { contactIds: people, recipients: [value] });
}

/**
 * Locks the people an opt-out is about (by id, e-mail address or phone number) in its transaction. The
 * dispatcher locks the person when it hands a message over and reads consent after that, so the
 * message either sees the opt-out or is in the provider's hands when the opt-out commits, and then the
 * opt-out waits for it (untilNothingInHand) before it is acknowledged.
 */
async function lockPeople(trx: Transaction<Database>, value: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('contacts')
    .select('id')
    .where((eb) =>
      eb.or([eb('id', '=', value), eb(eb.fn('lower', ['email']), '=', value.toLowerCase()), eb('phone', '=', value)]),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((row) => row.id);
}

/** An entry added by Tend itself (an unsubscribe, a STOP from an unknown number); audited when it is new. */
async function addDoNotContactOnce(
  trx: Transaction<Database>,
  entry: { value: string; reason: string },
  actor: AuditActor,
  now: Date,
): Promise<void> {
  const added = await trx
    .insertInto('do_not_contact')
    .values({ ...entry, at: now })
    .onConflict((conflict) => conflict.column('value').doNothing())
    .executeTakeFirst();
  if (Number(added.numInsertedOrUpdatedRows ?? 0) === 0) return;
  const details = { reason: entry.reason };
  await recordAuditEntry(trx, { actor, action: 'do-not-contact.added', subject: entry.value, details }, now);
}

export async function removeDoNotContact(
  database: Kysely<Database>,
  value: string,
  actor: AuditActor,
  now: Date,
): Promise<boolean> {
  const normal = value.includes('@') ? value.trim().toLowerCase() : value.trim();
  return retriedTransaction(database, async (trx) => {
    const removed = await trx.deleteFrom('do_not_contact').where('value', '=', normal).executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) return false;
    await recordAuditEntry(trx, { actor, action: 'do-not-contact.removed', subject: normal }, now);
    return true;
  });
}

export async function listDoNotContact(database: Kysely<Database>, limit: number) {
  const rows = await database.selectFrom('do_not_contact').selectAll().orderBy('at', 'desc').limit(limit).execute();
  return rows.map((row) => ({ value: row.value, reason: row.reason, at: row.at.toISOString() }));
}
