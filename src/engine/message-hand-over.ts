// Hands one claimed message to its channel at most once: the reasons not to send it are read again as it
// is marked handed over, and what the provider answered is classed as delivered, to retry, failed, or
// unconfirmed (it may have gone out, so it is never repeated).
import type { Kysely, Transaction } from 'kysely';
import { ChannelError } from '../channels/channel-messages.js';
import { pauseBounds } from '../domain/send-pace.js';
import type { SendPace } from './send-pace.js';
import type { Clock } from '../domain/clock.js';
import { decideSend, defaultSendPolicy, type SendPolicy } from '../domain/playbooks/send-policy.js';
import { retriedTransaction } from '../store/contention-retry.js';
import { type ClaimedMessage, markHandedOver } from '../store/outbox-store.js';
import type { Database } from '../store/schema.js';
import { loadSendContact } from '../store/send-contact.js';
import { staffReasonNotToSend } from '../store/staff-notice-store.js';
import type { WorkerPresence } from '../store/worker-presence.js';

/** The outcome of handing one message to its channel, before it is recorded. */
export type Delivery =
  | {
      readonly kind: 'delivered';
      readonly providerMessageId: string;
      readonly message: Record<string, unknown>;
      readonly local: boolean;
    }
  /** `afterMs`: when the provider said how long to wait (Retry-After); else the usual backoff. */
  | { readonly kind: 'retry'; readonly reason: string; readonly afterMs?: number }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'unconfirmed'; readonly reason: string }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'deferred'; readonly reason: string; readonly until: Date }
  /** The claim was settled by another worker before the hand-over: nothing to record. */
  | { readonly kind: 'claim-lost' };

/** What the hand-over reads: the database, the clock, this worker's presence, the send policy. */
export interface HandOverOptions {
  readonly database: Kysely<Database>;
  readonly clock: Clock;
  readonly worker: WorkerPresence;
  readonly sendPolicy?: SendPolicy;
}

/** Undoes the hand-over in its transaction: the last look found a reason not to send. */
class NotHandedOver extends Error {
  constructor(readonly delivery: Extract<Delivery, { kind: 'skipped' | 'deferred' }>) {
    super(delivery.reason);
  }
}

/**
 * Why the message must not go out now (consent, do-not-contact, quiet hours), or null when it may. A
 * notice to staff answers to none of a customer's rules, only to its person still being enabled.
 */
export async function reasonNotToSend(
  options: Pick<HandOverOptions, 'clock' | 'sendPolicy'>,
  executor: Kysely<Database> | Transaction<Database>,
  claimed: ClaimedMessage,
): Promise<Extract<Delivery, { kind: 'skipped' | 'deferred' }> | null> {
  if (claimed.channel === 'webhook') return null;
  if (claimed.payload.kind === 'staff-notice') {
    const reason = await staffReasonNotToSend(executor, String(claimed.payload.userEmail ?? claimed.recipient));
    return reason === null ? null : { kind: 'skipped', reason: `${reason} (checked again before sending)` };
  }
  const contact = await loadSendContact(executor, claimed.contactId, claimed.recipient);
  const decision = decideSend({
    channel: claimed.channel,
    fallback: null,
    ranking: [],
    contact,
    recentAutomatedSends: [],
    now: options.clock.now(),
    policy: options.sendPolicy ?? defaultSendPolicy,
  });
  if (decision.kind === 'skip')
    return { kind: 'skipped', reason: `${decision.reason}: ${decision.detail} (checked again before sending)` };
  if (decision.kind === 'defer')
    return { kind: 'deferred', reason: `${decision.reason}: ${decision.detail}`, until: decision.until };
  return null;
}

/**
 * Marks the message handed over, then reads consent and the do-not-contact list once more in the
 * same transaction (the person's row locked): an opt-out committed while the message was rendered
 * stops it, rather than the provider getting it after the opt-out was acknowledged. Null: hand it over.
 */
export async function handOver(
  options: HandOverOptions,
  claimed: ClaimedMessage,
  unsubscribeTokenHash: string | null,
  links: readonly { tokenHash: string; url: string }[],
): Promise<Exclude<Delivery, { kind: 'delivered' }> | null> {
  const { database, clock, worker } = options;
  try {
    return await retriedTransaction(database, async (trx) => {
      if (!(await markHandedOver(trx, claimed.id, worker.id, unsubscribeTokenHash, clock.now(), links)))
        return { kind: 'claim-lost' };
      // After the update: it reads what committed while the update waited for a lock.
      const stop = await reasonNotToSend(options, trx, claimed);
      if (stop !== null) throw new NotHandedOver(stop);
      return null;
    });
  } catch (error) {
    if (error instanceof NotHandedOver) return error.delivery;
    throw error;
  }
}

/** Calls the provider and classes its answer; only a failure that certainly left nothing there is retried. */
export async function handToChannel(
  send: () => Promise<{ providerMessageId: string }>,
  message: Record<string, unknown>,
  local: boolean,
  pace?: SendPace,
): Promise<Delivery> {
  try {
    const { providerMessageId } = await send();
    return { kind: 'delivered', providerMessageId, message, local };
  } catch (error) {
    if (!(error instanceof ChannelError))
      return {
        kind: 'unconfirmed',
        reason:
          'the channel failed unexpectedly while sending: ' +
          `${error instanceof Error ? error.message : String(error)}`,
      };
    if (error.outcomeUnknown) return { kind: 'unconfirmed', reason: error.message };
    if (!error.retryable) return { kind: 'failed', reason: `${error.failure}: ${error.message}` };
    // A provider that asks to slow down is asking of the whole channel, not of this message alone.
    if (error.failure === 'rate-limited' && error.retryAfterMs !== null) {
      pace?.pause(error.retryAfterMs);
      return {
        kind: 'retry',
        reason: error.message,
        afterMs: Math.min(pauseBounds.most, Math.max(pauseBounds.least, error.retryAfterMs)),
      };
    }
    if (error.failure === 'rate-limited') pace?.pause(1_000);
    return { kind: 'retry', reason: error.message };
  }
}
