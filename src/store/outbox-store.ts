// The outbox as a delivery queue. A message moves pending → sending → sent (or delivered-locally);
// a send that failed before the provider took it goes back to pending with a later attempt time; one
// the provider refused for good is failed; one whose worker died while the provider had it is
// unconfirmed, and is never repeated on a guess (a second e-mail or SMS cannot be taken back).
import { type Kysely, type Transaction, sql } from 'kysely';
import type { MessageChannel } from '../domain/playbooks/playbook-definition.js';
import { ownEvent, tendSourceId } from './own-events.js';
import { touchRecord } from '../domain/relationship/ingest-plan.js';
import { newId } from './ids.js';
import type { Database, OutboxStatus } from './schema.js';
import { retriedTransaction } from './contention-retry.js';
import { conversationReplyKind, recordReplySent } from './conversation-answers.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** A claimed message, as the dispatcher needs it to build and send. */
export interface ClaimedMessage {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly runId: string | null;
  readonly accountId: string | null;
  readonly contactId: string | null;
  readonly channel: MessageChannel;
  readonly recipient: string | null;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly attempts: number;
}

/** Statuses that count towards a person's frequency cap: everything on its way or gone. */
export const cappedStatuses: readonly OutboxStatus[] = [
  'pending',
  'sending',
  'sent',
  'delivered-locally',
  'unconfirmed',
];

/**
 * Claims up to `limit` due pending messages for this worker (SKIP LOCKED: two workers never claim
 * the same row), marking them sending before any provider is called. The highest priority goes first,
 * then the longest due, along outbox_claim: an incident notice is not queued behind a marketing batch.
 */
export async function claimPendingMessages(
  database: Kysely<Database>,
  workerId: string,
  now: Date,
  limit: number,
): Promise<ClaimedMessage[]> {
  const result = await sql<{
    id: string;
    idempotency_key: string;
    run_id: string | null;
    account_id: string | null;
    contact_id: string | null;
    channel: string;
    recipient: string | null;
    payload: Record<string, unknown>;
    attempts: number;
  }>`
    update outbox set status = 'sending', worker_id = ${workerId}, attempts = outbox.attempts + 1, handed_over_at = null
    where id in (
      select id from outbox
      where status = 'pending' and (next_attempt_at is null or next_attempt_at <= ${now})
      order by priority desc, next_attempt_at
      limit ${limit}
      for update skip locked)
    returning id, idempotency_key, run_id, account_id, contact_id, channel, recipient, payload, attempts`.execute(
    database,
  );
  return result.rows.map((row) => ({
    id: row.id,
    idempotencyKey: row.idempotency_key,
    runId: row.run_id,
    accountId: row.account_id,
    contactId: row.contact_id,
    channel: row.channel as MessageChannel,
    recipient: row.recipient,
    payload: row.payload,
    attempts: Number(row.attempts),
  }));
}

/**
 * Notes that the message is about to be handed to the provider (with the hash of its one-click
 * unsubscribe token and its tracked links, which must work from the moment the message exists): from here on, a crash
 * leaves its fate unknown.
 */
export async function markHandedOver(
  database: Executor,
  id: string,
  workerId: string,
  unsubscribeTokenHash: string | null,
  now: Date,
  links: readonly { tokenHash: string; url: string }[] = [],
): Promise<boolean> {
  if (links.length > 0) {
    await database
      .insertInto('message_links')
      .values(links.map((link) => ({ token_hash: link.tokenHash, outbox_id: id, url: link.url })))
      .onConflict((conflict) => conflict.column('token_hash').doNothing())
      .execute();
  }
  const updated = await database
    .updateTable('outbox')
    .set({
      handed_over_at: now,
      ...(unsubscribeTokenHash === null ? {} : { unsubscribe_token_hash: unsubscribeTokenHash }),
    })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('worker_id', '=', workerId)
    .executeTakeFirst();
  // False: the claim is no longer this worker's (another settled it); the message must not be sent.
  return Number(updated.numUpdatedRows) === 1;
}

export interface DeliveredMessage {
  readonly providerMessageId: string;
  /** What went out (subject, text, to, reply-to…), kept for the record and the outbox API. */
  readonly message: Record<string, unknown>;
  /** True for the local mailbox: nothing left the machine. */
  readonly local: boolean;
}

/**
 * Records a send the provider accepted, and the `Message Sent` event journeys and reports read; only
 * over this worker's claim, so a message is never recorded twice.
 */
export async function markMessageSent(
  database: Kysely<Database>,
  claimed: ClaimedMessage,
  workerId: string,
  delivered: DeliveredMessage,
  now: Date,
): Promise<boolean> {
  return retriedTransaction(database, async (trx) => {
    const updated = await trx
      .updateTable('outbox')
      .set({
        status: delivered.local ? 'delivered-locally' : 'sent',
        provider_message_id: delivered.providerMessageId,
        message: JSON.stringify(delivered.message),
        sent_at: now,
        reason: null,
        next_attempt_at: null,
      })
      .where('id', '=', claimed.id)
      .where('status', '=', 'sending')
      .where('worker_id', '=', workerId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    // A notice to staff is no touch with a customer: no event, no interaction.
    if (claimed.payload.kind === 'staff-notice') return true;
    // A person's reply in a conversation is their own two-way touch, not an automated one.
    if (claimed.payload.kind === conversationReplyKind) {
      await recordReplySent(trx, claimed, now);
      return true;
    }
    const messageId = `outbox:${claimed.idempotencyKey}`;
    const properties = {
      channel: claimed.channel,
      template: claimed.payload.template ?? null,
      runId: claimed.runId,
      outboxId: claimed.id,
      automated: true,
    };
    await trx
      .insertInto('events')
      .values(ownEvent('Message Sent', messageId, claimed.accountId, claimed.contactId, properties, now))
      .execute();
    // Tend's own e-mail or SMS is an automated touch, as another tool's Message Sent sent to the
    // Tracking API is: the contact audit counts it, and it never clears neglect (no conversation). A
    // webhook reaches a system, not the customer.
    const touch =
      claimed.channel === 'webhook'
        ? null
        : touchRecord(
            {
              sourceId: tendSourceId,
              messageId,
              name: 'Message Sent',
              accountId: claimed.accountId,
              contactId: claimed.contactId,
              occurredAt: now,
              properties,
            },
            now,
            newId,
          );
    if (touch)
      await trx
        .insertInto('interactions')
        .values(touch)
        .onConflict((conflict) => conflict.column('external_id').doNothing())
        .execute();
    return true;
  });
}

/** A send that certainly did not reach the provider: try again at `retryAt`. */
export async function markMessageRetry(
  database: Executor,
  id: string,
  workerId: string,
  reason: string,
  retryAt: Date,
): Promise<void> {
  await database
    .updateTable('outbox')
    .set({ status: 'pending', worker_id: null, reason, next_attempt_at: retryAt })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('worker_id', '=', workerId)
    .execute();
}

/** A message stopped right before sending (an opt-out or do-not-contact entry that came meanwhile): why. */
export async function markMessageSkipped(
  database: Executor,
  id: string,
  workerId: string,
  reason: string,
): Promise<void> {
  await database
    .updateTable('outbox')
    .set({ status: 'skipped', reason, next_attempt_at: null })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('worker_id', '=', workerId)
    .execute();
}

/** A message held back (quiet hours came while it waited): pending again, the attempt not counted. */
export async function markMessageDeferred(
  database: Executor,
  id: string,
  workerId: string,
  reason: string,
  until: Date,
): Promise<void> {
  await database
    .updateTable('outbox')
    .set((eb) => ({
      status: 'pending',
      worker_id: null,
      reason,
      next_attempt_at: until,
      attempts: eb('attempts', '-', 1),
    }))
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('worker_id', '=', workerId)
    .execute();
}

/** A message that will not be sent (refused for good, misconfigured, too many attempts): why. */
export async function markMessageFailed(
  database: Executor,
  id: string,
  workerId: string,
  reason: string,
): Promise<void> {
  await database
    .updateTable('outbox')
    .set({ status: 'failed', reason, next_attempt_at: null })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('worker_id', '=', workerId)
    .execute();
}

/**
 * A message the provider may or may not have taken: recorded as such, and not repeated. Only over
 * the claim of `workerId` (the worker itself, or the dead one whose message is being settled).
 */
export async function markMessageUnconfirmed(
  database: Executor,
  id: string,
  workerId: string | null,
  reason: string,
): Promise<void> {
  // The provider's status callback can arrive before its answer to the send (and the worker die in
  // between): a message it already reported on is settled by that report, as recordDeliveryOutcome
  // settles an unconfirmed one.
  const settled = `settled by the provider's report: `;
  await database
    .updateTable('outbox')
    .set({
      status: sql`case when outcome is null then 'unconfirmed'
        when outcome in ('undelivered', 'failed') then 'failed' else 'sent' end`,
      reason: sql`case when outcome is null then ${reason}::text else ${settled}::text || outcome end`,
      sent_at: sql`case when outcome is null then sent_at else coalesce(sent_at, delivered_at, handed_over_at) end`,
      next_attempt_at: null,
    })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where((eb) => (workerId === null ? eb('worker_id', 'is', null) : eb('worker_id', '=', workerId)))
    .execute();
}

/**
 * Resolves once no message to these people or addresses is in a provider's hands (handed over, the
 * provider's answer not yet recorded), true; or false after `patienceMilliseconds`. An opt-out is
 * acknowledged only then, so nothing reaches the person after Tend said they are opted out; a
 * provider that hangs is ended by the channel's own timeout (at most 30 s).
 */
export async function untilNothingInHand(
  database: Kysely<Database>,
  people: { contactIds: readonly string[]; recipients: readonly string[] },
  patienceMilliseconds = 35_000,
): Promise<boolean> {
  if (people.contactIds.length === 0 && people.recipients.length === 0) return true;
  const giveUpAt = Date.now() + patienceMilliseconds;
  for (;;) {
    const inHand = await database
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'sending')
      .where('handed_over_at', 'is not', null)
      .where((eb) =>
        eb.or([
          ...(people.contactIds.length > 0 ? [eb('contact_id', 'in', [...people.contactIds])] : []),
          ...(people.recipients.length > 0 ? [eb('recipient', 'in', [...people.recipients])] : []),
        ]),
      )
      .limit(1)
      .executeTakeFirst();
    if (inHand === undefined) return true;
    if (Date.now() > giveUpAt) return false;
    await new Promise((resume) => setTimeout(resume, 20));
  }
}

/** Messages claimed by workers other than this one, with the worker that holds each. */
export async function sendingElsewhere(
  database: Executor,
  workerId: string,
): Promise<{ id: string; workerId: string | null; channel: MessageChannel; handedOver: boolean }[]> {
  const rows = await database
    .selectFrom('outbox')
    .select(['id', 'worker_id', 'channel', 'handed_over_at'])
    .where('status', '=', 'sending')
    .where((eb) => eb.or([eb('worker_id', 'is', null), eb('worker_id', '!=', workerId)]))
    .execute();
  return rows.map((row) => ({
    id: row.id,
    workerId: row.worker_id,
    channel: row.channel as MessageChannel,
    handedOver: row.handed_over_at !== null,
  }));
}

/**
 * Puts a message whose worker (`deadWorkerId`) died before handing it over back in the queue; only over
 * that worker's claim.
 */
export async function requeueMessage(
  database: Executor,
  id: string,
  deadWorkerId: string | null,
  reason: string,
  now: Date,
): Promise<void> {
  await database
    .updateTable('outbox')
    .set({ status: 'pending', worker_id: null, reason, next_attempt_at: now })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where((eb) => (deadWorkerId === null ? eb('worker_id', 'is', null) : eb('worker_id', '=', deadWorkerId)))
    .execute();
}

/** The earliest time a pending message becomes due after `after` (for the manual clock). */
export async function nextMessageDue(database: Executor, after: Date, until: Date): Promise<Date | null> {
  const row = await database
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'pending')
    .where('next_attempt_at', '>', after)
    .where('next_attempt_at', '<=', until)
    .executeTakeFirst();
  return row?.at ? new Date(row.at as Date) : null;
}
