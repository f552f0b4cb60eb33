// When a conversation counts as answered: a person's reply from Tend went out, or a rep reached out to the
// account some other way (a call logged, their own e-mail), as the slow-response signal counts it. Either
// way the customer's messages up to then are answered, and the wait starts again from any that came later.
import { sql, type Transaction } from 'kysely';
import { touchRecord } from '../domain/relationship/ingest-plan.js';
import { markAccountsDue } from './account-event-queue.js';
import { waitAfter } from './conversation-waits.js';
import { newId } from './ids.js';
import { ownEvent, tendSourceId } from './own-events.js';
import type { Database } from './schema.js';

/** The payload kind of a person's reply in the outbox (see engine/conversation-delivery.ts). */
export const conversationReplyKind = 'conversation-reply';

/** The outbox row of a reply that went out (a claimed message, as outbox-store.ts holds it). */
interface SentReply {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly accountId: string | null;
  readonly contactId: string | null;
  readonly channel: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * Records a person's reply that went out, in the transaction that marks it sent: the rep's two-way touch
 * (an Email Sent, or a Message Sent by a person for a text), which clears neglect as a call would and
 * answers the customer; the conversation answered up to when the reply was written; the account queued
 * for evaluation, so its signals follow at once.
 */
export async function recordReplySent(trx: Transaction<Database>, claimed: SentReply, now: Date): Promise<void> {
  const payload = claimed.payload;
  const rep = typeof payload.rep === 'string' ? payload.rep : null;
  const conversationId = typeof payload.conversationId === 'string' ? payload.conversationId : null;
  const writtenAt = typeof payload.writtenAt === 'string' ? new Date(payload.writtenAt) : now;
  const messageId = `outbox:${claimed.idempotencyKey}`;
  const name = claimed.channel === 'email' ? 'Email Sent' : 'Message Sent';
  const properties = {
    channel: claimed.channel,
    rep,
    twoWay: true,
    automated: false,
    summary: typeof payload.subject === 'string' ? payload.subject : 'Text message',
    conversationId,
    outboxId: claimed.id,
  };
  await trx
    .insertInto('events')
    .values(ownEvent(name, messageId, claimed.accountId, claimed.contactId, properties, now))
    .execute();
  const stored = { sourceId: tendSourceId, messageId, name, occurredAt: now, properties };
  const touch = touchRecord({ ...stored, accountId: claimed.accountId, contactId: claimed.contactId }, now, newId);
  if (touch)
    await trx
      .insertInto('interactions')
      .values(touch)
      .onConflict((conflict) => conflict.column('external_id').doNothing())
      .execute();
  if (conversationId !== null) {
    const written = sql`${writtenAt}::timestamptz`;
    await trx
      .updateTable('conversations')
      .set({ answered_at: now, waiting_since: waitAfter(sql`conversations.id`, written) })
      .where('id', '=', conversationId)
      .where(sql<boolean>`waiting_since <= ${written}`)
      .execute();
  }
  if (claimed.accountId !== null) await markAccountsDue(trx, [claimed.accountId], now);
}
