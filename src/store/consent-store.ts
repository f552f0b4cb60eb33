// Consent as people express it: a one-click unsubscribe from an e-mail, STOP or START by text; and
// what providers report back about a message (delivered, bounced). Each change is an event of Tend's
// own, recorded once, so journeys and reports see it; the journey engine reads consent before every send.
// Clicks on tracked links are recorded here too: the provider-independent outcome of an e-mail.
import type { Kysely } from 'kysely';
import { firstReceipt } from './inbound-receipts.js';
import { wakeRunsAwaiting } from './journey-store.js';
import { recordOwnEventOnce } from './own-events.js';
import type { Database } from './schema.js';
import { retriedTransaction } from './contention-retry.js';

export interface UnsubscribeTarget {
  readonly outboxId: string;
  readonly contactId: string | null;
  readonly recipient: string | null;
}

export async function unsubscribeTarget(database: Kysely<Database>, tokenHash: string): Promise<UnsubscribeTarget | null> {
  const row = await database.selectFrom('outbox').select(['id', 'contact_id', 'recipient']).where('unsubscribe_token_hash', '=', tokenHash).executeTakeFirst();
  return row ? { outboxId: row.id, contactId: row.contact_id, recipient: row.recipient } : null;
}

/** Records the opt-out from e-mail of the message's recipient; null when the token is unknown. Repeating it changes nothing. */
export async function unsubscribeByToken(database: Kysely<Database>, tokenHash: string, now: Date): Promise<UnsubscribeTarget | null> {
  return retriedTransaction(database, async (trx) => {
    const row = await trx.selectFrom('outbox').select(['id', 'contact_id', 'account_id', 'recipient']).where('unsubscribe_token_hash', '=', tokenHash).executeTakeFirst();
    if (!row) return null;
    if (row.contact_id !== null) {
      await trx
        .insertInto('consents')
        .values({ contact_id: row.contact_id, channel: 'email', status: 'opted-out', at: now, source: 'one-click unsubscribe' })
        .onConflict((conflict) => conflict.columns(['contact_id', 'channel']).doUpdateSet({ status: 'opted-out', at: now, source: 'one-click unsubscribe' }))
        .execute();
    } else if (row.recipient !== null) {
      await trx.insertInto('do_not_contact').values({ value: row.recipient.toLowerCase(), reason: 'one-click unsubscribe', at: now }).onConflict((conflict) => conflict.column('value').doNothing()).execute();
    }
    await recordOwnEventOnce(trx, 'Unsubscribed', `unsubscribe:${row.id}`, row.account_id, row.contact_id, { channel: 'email', outboxId: row.id, source: 'one-click' }, now);
    return { outboxId: row.id, contactId: row.contact_id, recipient: row.recipient };
  });
}

/** STOP / START by text from a number: the consent of every contact with that number; an unknown number goes on the do-not-contact list. */
export async function recordContactConsent(database: Kysely<Database>, change: { phone: string; channel: 'sms'; status: 'opted-in' | 'opted-out'; source: string; reference: string }, now: Date): Promise<number> {
  return retriedTransaction(database, async (trx) => {
    // Acted on once per provider message: a replayed START must not opt someone back in after a later STOP.
    if (!(await firstReceipt(trx, change.channel, change.reference, now))) return 0;
    const contacts = await trx.selectFrom('contacts').select(['id', 'account_id']).where('phone', '=', change.phone).where('merged_into', 'is', null).execute();
    for (const contact of contacts) {
      await trx
        .insertInto('consents')
        .values({ contact_id: contact.id, channel: change.channel, status: change.status, at: now, source: change.source })
        .onConflict((conflict) => conflict.columns(['contact_id', 'channel']).doUpdateSet({ status: change.status, at: now, source: change.source }))
        .execute();
      // Keyed by the provider's message id: a repeated callback records nothing new.
      await recordOwnEventOnce(trx, 'Consent Changed', `consent:${contact.id}:${change.channel}:${change.reference}`, contact.account_id, contact.id, { channel: change.channel, status: change.status, source: change.source }, now);
    }
    if (change.status === 'opted-out' && contacts.length === 0) {
      await trx.insertInto('do_not_contact').values({ value: change.phone, reason: change.source, at: now }).onConflict((conflict) => conflict.column('value').doNothing()).execute();
    }
    if (change.status === 'opted-in') await trx.deleteFrom('do_not_contact').where('value', '=', change.phone).where('reason', 'like', 'sms %').execute();
    return contacts.length;
  });
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
export async function recordDeliveryOutcome(database: Kysely<Database>, report: DeliveryReport, now: Date): Promise<boolean> {
  return retriedTransaction(database, async (trx) => {
    let query = trx.selectFrom('outbox').select(['id', 'status', 'account_id', 'contact_id', 'channel', 'run_id']).forUpdate();
    query = report.outboxId !== null && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(report.outboxId) ? query.where('id', '=', report.outboxId) : query.where('provider_message_id', '=', report.providerMessageId);
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
        ...(settled !== row.status ? { reason: `settled by the provider's report: ${report.outcome}`, sent_at: now } : {}),
      })
      .where('id', '=', row.id)
      .execute();
    if (report.eventName === null) return true;
    await recordOwnEventOnce(trx, report.eventName, `delivery:${report.providerMessageId}:${report.eventName}`, row.account_id, row.contact_id, { channel: row.channel, outboxId: row.id, runId: row.run_id, outcome: report.outcome, ...(report.detail === null ? {} : { errorCode: report.detail }) }, now);
    return true;
  });
}

/** Sets a contact's consent for a channel (an admin, a CRM sync, a sign-up form); false when the contact is unknown. */
export async function setContactConsent(database: Kysely<Database>, change: { contactId: string; channel: string; status: 'opted-in' | 'opted-out'; source: string }, now: Date): Promise<boolean> {
  return retriedTransaction(database, async (trx) => {
    const contact = await trx.selectFrom('contacts').select(['id', 'account_id']).where('id', '=', change.contactId).executeTakeFirst();
    if (!contact) return false;
    await trx
      .insertInto('consents')
      .values({ contact_id: contact.id, channel: change.channel, status: change.status, at: now, source: change.source })
      .onConflict((conflict) => conflict.columns(['contact_id', 'channel']).doUpdateSet({ status: change.status, at: now, source: change.source }))
      .execute();
    await recordOwnEventOnce(trx, 'Consent Changed', `consent:${contact.id}:${change.channel}:${change.status}:${now.toISOString()}`, contact.account_id, contact.id, { channel: change.channel, status: change.status, source: change.source }, now);
    return true;
  });
}

export async function contactConsents(database: Kysely<Database>, contactId: string) {
  const rows = await database.selectFrom('consents').selectAll().where('contact_id', '=', contactId).orderBy('channel').execute();
  return rows.map((row) => ({ channel: row.channel, status: row.status, at: row.at.toISOString(), source: row.source }));
}

/** Puts an address, a phone number or a contact id on the global do-not-contact list (all channels, all playbooks). */
export async function addDoNotContact(database: Kysely<Database>, value: string, reason: string, now: Date): Promise<void> {
  await database.insertInto('do_not_contact').values({ value, reason, at: now }).onConflict((conflict) => conflict.column('value').doUpdateSet({ reason, at: now })).execute();
}

export async function removeDoNotContact(database: Kysely<Database>, value: string): Promise<boolean> {
  const removed = await database.deleteFrom('do_not_contact').where('value', '=', value.includes('@') ? value.trim().toLowerCase() : value.trim()).executeTakeFirst();
  return Number(removed.numDeletedRows) > 0;
}

export async function listDoNotContact(database: Kysely<Database>, limit: number) {
  const rows = await database.selectFrom('do_not_contact').selectAll().orderBy('at', 'desc').limit(limit).execute();
  return rows.map((row) => ({ value: row.value, reason: row.reason, at: row.at.toISOString() }));
}

/** Where a tracked link leads, without recording anything; null when the token is unknown. */
export async function linkTarget(database: Kysely<Database>, tokenHash: string): Promise<string | null> {
  const link = await database.selectFrom('message_links').select('url').where('token_hash', '=', tokenHash).executeTakeFirst();
  return link?.url ?? null;
}

/**
 * A click on a tracked link: where it leads, after recording Message Clicked (once per link) and
 * waking the runs that wait for a response; null when the token is unknown.
 */
export async function recordLinkClick(database: Kysely<Database>, tokenHash: string, now: Date): Promise<string | null> {
  return retriedTransaction(database, async (trx) => {
    const link = await trx
      .selectFrom('message_links')
      .innerJoin('outbox', 'outbox.id', 'message_links.outbox_id')
      .select(['message_links.url', 'outbox.id', 'outbox.account_id', 'outbox.contact_id', 'outbox.channel', 'outbox.run_id'])
      .where('message_links.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!link) return null;
    const first = await recordOwnEventOnce(trx, 'Message Clicked', `click:${tokenHash}`, link.account_id, link.contact_id, { channel: link.channel, outboxId: link.id, runId: link.run_id, url: link.url }, now);
    if (first && link.account_id !== null) await wakeRunsAwaiting(trx, [link.account_id], ['Message Clicked'], now);
    return link.url;
  });
}
