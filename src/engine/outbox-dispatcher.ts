// Delivers the outbox: claims due messages (SKIP LOCKED), renders each in the contact's language and the
// step's tone, hands it to its channel (SMTP, Twilio, a webhook, or the local mailbox; see
// message-hand-over.ts), and records what happened.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { replyAddress } from '../channels/email-address.js';
import { hashMessageToken, trackLinks, writtenLinks } from '../channels/link-tracking.js';
import {
  MessageTemplateError,
  type RenderedMessage,
  renderMessage,
  renderVariables,
} from '../channels/message-templates.js';
import type { Clock } from '../domain/clock.js';
import { assertNever } from '../domain/tracking-message.js';
import type { SendPolicy } from '../domain/playbooks/send-policy.js';
import { loadMessageContext } from '../store/message-context.js';
import {
  type ClaimedMessage,
  claimPendingMessages,
  markMessageFailed,
  markMessageDeferred,
  markMessageRetry,
  markMessageSent,
  markMessageSkipped,
  markMessageUnconfirmed,
  nextMessageDue,
  requeueMessage,
  sendingElsewhere,
} from '../store/outbox-store.js';
import type { Database } from '../store/schema.js';
import type { WorkerPresence } from '../store/worker-presence.js';
import type { LoadedTemplates } from '../config/template-library.js';
import { conversationReplyKind } from '../store/conversation-answers.js';
import { deliverConversationReply } from './conversation-delivery.js';
import type { DeliveryChannels } from './delivery-channels.js';
import type { LaneWork } from './due-work.js';
import { type Delivery, handOver, handToChannel, reasonNotToSend } from './message-hand-over.js';
import { SendSlots } from './send-slots.js';
import { staffNoticePayload } from '../domain/staff-notices.js';
import { deliverStaffNotice } from './staff-notice-delivery.js';
import type { LaneState } from './work-lane.js';

export interface OutboxDispatcherOptions {
  readonly database: Kysely<Database>;
  readonly clock: Clock;
  readonly channels: DeliveryChannels;
  readonly templates: LoadedTemplates;
  readonly worker: WorkerPresence;
  /** Where this Tend is reachable from outside (unsubscribe links, Twilio callbacks). */
  readonly publicUrl: () => string;
  readonly batchSize?: number;
  readonly maximumAttempts?: number;
  readonly sendPolicy?: SendPolicy;
  /** How many days before its date a promise is due soon (signals.promiseDueDays), for templates. */
  readonly promiseDueDays?: number;
  readonly onError?: (error: unknown, messageId: string) => void;
}

/**
 * The scheduler has due messages sent on the outbox's own lane, so that a slow provider never holds up
 * the evaluation of signals or the runs; a stop waits for the sends in progress to be recorded.
 * Exactly once: a row is claimed before the provider is called and marked handed over just before; a
 * failure that certainly left nothing at the provider is retried with backoff; one that may have
 * delivered is recorded as unconfirmed and never repeated; a worker that died mid-send is recognised by
 * the next one (worker presence) and its messages are settled the same way.
 */
export class OutboxDispatcher implements LaneWork<number> {
  private readonly emailSlots: SendSlots;

  constructor(private readonly options: OutboxDispatcherOptions) {
    this.emailSlots = new SendSlots(options.channels.email.mailer.connections ?? null);
  }

  roundFailed(error: unknown): void {
    this.options.onError?.(error, '(dispatch)');
  }

  /** When the next message waiting (a retry, a deferral) falls due. */
  nextDue(now: Date, until: Date): Promise<Date | null> {
    return nextMessageDue(this.options.database, now, until);
  }

  /**
   * Settles messages left mid-send by workers that are gone, then sends everything due; returns how many
   * were handled.
   */
  async runDue(lane: LaneState): Promise<number> {
    await this.settleOrphans();
    const { database, clock, worker } = this.options;
    let total = 0;
    for (let round = 0; round < 100_000 && !lane.stopping; round++) {
      // A worker whose presence lapsed may already be taken for dead, its claims settled by others.
      if (!(await worker.stillPresent()))
        throw new Error(
          'This worker lost its presence lock (its database session ended); it stops sending until it is ' +
            'restarted, so that no message goes out twice.',
        );
      const claimed = await claimPendingMessages(database, worker.id, clock.now(), this.options.batchSize ?? 20);
      if (claimed.length === 0) break;
      await Promise.all(claimed.map((message) => this.deliverOne(message)));
      total += claimed.length;
    }
    return total;
  }

  private async settleOrphans(): Promise<void> {
    const { database, clock, worker } = this.options;
    for (const orphan of await sendingElsewhere(database, worker.id)) {
      if (orphan.workerId !== null && (await worker.isAlive(orphan.workerId))) continue;
      // Never handed over: certainly not sent. A webhook receiver drops a repeated webhook-id (Standard Webhooks).
      if (!orphan.handedOver || orphan.channel === 'webhook') {
        await requeueMessage(
          database,
          orphan.id,
          orphan.workerId,
          'the worker sending it stopped before the provider had it; sent again',
          clock.now(),
        );
      } else {
        await markMessageUnconfirmed(
          database,
          orphan.id,
          orphan.workerId,
          `the worker sending it stopped while the ${orphan.channel} provider had it; ` +
            'it may have gone out, so it is not sent again',
        );
      }
    }
  }

  private async deliverOne(claimed: ClaimedMessage): Promise<void> {
    const { database, clock, worker } = this.options;
    let delivery: Delivery;
    try {
      delivery = await this.deliver(claimed);
    } catch (error) {
      // Unexpected (a bug, the database away before the hand-over): the provider never saw it.
      this.options.onError?.(error, claimed.id);
      delivery = {
        kind: 'retry',
        reason: `could not be prepared: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    switch (delivery.kind) {
      case 'delivered':
        await markMessageSent(database, claimed, worker.id, delivery, clock.now());
        return;
      case 'retry': {
        const attempts = claimed.attempts;
        // A provider asking to slow down is no fault of the message: it gets more attempts before giving up.
        const allowed = (this.options.maximumAttempts ?? 8) * (delivery.afterMs === undefined ? 1 : 3);
        if (attempts >= allowed) {
          await markMessageFailed(
            database,
            claimed.id,
            worker.id,
            `gave up after ${attempts} attempts; last: ${delivery.reason}`,
          );
          return;
        }
        // As long as the provider asked; else 30 s, 1 min, 2 min … at most an hour between attempts.
        const wait = delivery.afterMs ?? Math.min(3_600_000, 30_000 * 2 ** (attempts - 1));
        await markMessageRetry(
          database,
          claimed.id,
          worker.id,
          delivery.reason,
          new Date(clock.now().getTime() + wait),
        );
        return;
      }
      case 'failed':
        await markMessageFailed(database, claimed.id, worker.id, delivery.reason);
        return;
      case 'unconfirmed':
        await markMessageUnconfirmed(database, claimed.id, worker.id, delivery.reason);
        return;
      case 'skipped':
        await markMessageSkipped(database, claimed.id, worker.id, delivery.reason);
        return;
      case 'deferred':
        await markMessageDeferred(database, claimed.id, worker.id, delivery.reason, delivery.until);
        return;
      case 'claim-lost':
        return;
      default:
        assertNever(delivery);
    }
  }

  private async deliver(claimed: ClaimedMessage): Promise<Delivery> {
    const staffNotice = staffNoticePayload(claimed.payload);
    if (staffNotice !== null) return deliverStaffNotice(this.options, claimed, staffNotice, this.emailSlots);
    // A person's reply in a conversation: their own text, no template (conversation-delivery.ts).
    if (claimed.payload.kind === conversationReplyKind)
      return deliverConversationReply(this.options, claimed, this.emailSlots);
    const { database, channels, templates } = this.options;
    const templateKey = String(claimed.payload.template ?? '');
    const template = templates.templates.get(templateKey);
    if (template === undefined)
      return {
        kind: 'failed',
        reason: `the template "${templateKey}" is not in ${templates.folder ?? 'the template folder'}`,
      };
    // Consent, do-not-contact and quiet hours again: the message may have waited (retries, downtime).
    const stop = await reasonNotToSend(this.options, database, claimed);
    if (stop !== null) return stop;
    const context = await loadMessageContext(database, claimed, this.options.clock.now(), this.options.promiseDueDays);
    let rendered: RenderedMessage;
    try {
      const variables = await renderVariables(
        templateKey,
        (claimed.payload.variables ?? {}) as Record<string, unknown>,
        { ...context },
      );
      rendered = await renderMessage(template, {
        language: context.contact.language,
        paymentTrouble: claimed.payload.tone === 'empathetic' || context.paymentTrouble,
        variables: { ...context, ...variables },
      });
    } catch (error) {
      if (error instanceof MessageTemplateError) return { kind: 'failed', reason: error.message };
      throw error;
    }
    const base = this.options.publicUrl().replace(/\/+$/, '');
    switch (claimed.channel) {
      case 'email': {
        if (claimed.recipient === null) return { kind: 'failed', reason: 'the contact has no e-mail address' };
        const token = randomBytes(24).toString('base64url');
        const unsubscribeUrl = `${base}/unsubscribe/${token}`;
        // Links the business wrote (the template, the step's own variables) are tracked; links from
        // customer data are not.
        const stepVariables = Object.values((claimed.payload.variables ?? {}) as Record<string, unknown>).filter(
          (value): value is string => typeof value === 'string',
        );
        const written = [...rendered.writtenLinks, ...writtenLinks(stepVariables)];
        const tracked = trackLinks({ text: rendered.text, html: rendered.html }, base, [unsubscribeUrl], written);
        const email = {
          idempotencyKey: claimed.idempotencyKey,
          to: { address: claimed.recipient, ...(context.contact.name === null ? {} : { name: context.contact.name }) },
          from: channels.email.from,
          // Never "no-reply": the thread address, or the owner (a person), or at least the sender.
          replyTo: channels.email.threadReplies
            ? replyAddress(claimed.id, channels.email.replyDomain)
            : (context.owner.email ?? channels.email.from),
          subject: rendered.subject,
          text: tracked.text,
          ...(tracked.html === null ? {} : { html: tracked.html }),
          unsubscribeUrl,
        };
        // The record shows the message as written (original links): the tokens are capabilities, kept only hashed.
        const record = {
          to: email.to,
          from: email.from,
          replyTo: email.replyTo,
          subject: email.subject,
          text: rendered.text,
          html: rendered.html,
          links: tracked.links.map((link) => link.url),
          locale: rendered.locale,
          tone: rendered.tone,
        };
        // Handed over only when a connection is free to take it (see SendSlots).
        // At the provider's pace, before the hand-over: a message waiting for its slot is certainly unsent.
        return this.emailSlots.use(async () => {
          await channels.email.pace.take();
          const stopped = await handOver(this.options, claimed, hashMessageToken(token), tracked.links);
          if (stopped !== null) return stopped;
          return handToChannel(
            () => channels.email.mailer.send(email),
            record,
            channels.email.local,
            channels.email.pace,
          );
        });
      }
      case 'sms': {
        if (claimed.recipient === null) return { kind: 'failed', reason: 'the contact has no phone number' };
        const sms = {
          idempotencyKey: claimed.idempotencyKey,
          to: claimed.recipient,
          from: channels.sms.from,
          body: rendered.text,
          ...(channels.sms.statusCallbacks
            ? { statusCallbackUrl: `${base}/webhooks/twilio/status?outbox=${claimed.id}` }
            : {}),
        };
        await channels.sms.pace.take();
        const stopped = await handOver(this.options, claimed, null, []);
        if (stopped !== null) return stopped;
        return handToChannel(
          () => channels.sms.sender.send(sms),
          { to: sms.to, from: sms.from, body: sms.body, locale: rendered.locale, tone: rendered.tone },
          channels.sms.local,
          channels.sms.pace,
        );
      }
      case 'webhook': {
        const payload = {
          outboxId: claimed.id,
          template: templateKey,
          subject: rendered.subject,
          text: rendered.text,
          account: context.account,
          contact: { id: context.contact.id, name: context.contact.name, email: context.contact.email },
          owner: context.owner,
        };
        const record = { eventType: 'tend.message', payload };
        if (channels.webhook === null)
          return { kind: 'delivered', providerMessageId: `local-webhook-${claimed.id}`, message: record, local: true };
        const webhook = channels.webhook;
        await webhook.pace.take();
        const stopped = await handOver(this.options, claimed, null, []);
        if (stopped !== null) return stopped;
        return handToChannel(
          async () => {
            await webhook.sender.send({
              idempotencyKey: claimed.idempotencyKey,
              url: webhook.url,
              secret: webhook.secret,
              eventType: 'tend.message',
              payload,
            });
            return { providerMessageId: claimed.idempotencyKey };
          },
          { ...record, url: webhook.url },
          false,
          webhook.pace,
        );
      }
      default:
        return assertNever(claimed.channel);
    }
  }
}
