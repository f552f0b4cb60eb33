// Sends a notice to staff from the outbox: by e-mail through the configured mailer (SMTP, or the local
// mailbox) or to a Slack incoming webhook, with the same hand-over as a customer's message, so that each
// goes out at most once and a failure is retried only when it certainly left nothing at the provider.
import type { Mailer, StaffMailer } from '../channels/channel-messages.js';
import { createSlackSender, type SlackSender, slackWebhookHost } from '../channels/slack-webhook.js';
import { staffNoticeEmail, staffNoticeSlack } from '../domain/staff-notice-message.js';
import type { StaffNoticePayload } from '../domain/staff-notices.js';
import type { ClaimedMessage } from '../store/outbox-store.js';
import { staffDeliveryFacts } from '../store/staff-notice-store.js';
import type { Delivery, HandOverOptions } from './message-hand-over.js';
import { handOver, handToChannel } from './message-hand-over.js';
import type { SendPace } from './send-pace.js';
import type { SendSlots } from './send-slots.js';

export interface StaffDeliveryOptions extends HandOverOptions {
  /** The e-mail channel customers' messages use (DeliveryChannels). */
  readonly channels: {
    readonly email: {
      readonly mailer: Mailer;
      readonly local: boolean;
      readonly from: string;
      readonly pace: SendPace;
    };
  };
  readonly publicUrl: () => string;
  /** Slack's incoming webhooks; by default over fetch. */
  readonly slack?: SlackSender;
}

const defaultSlack = createSlackSender();

/** Delivers one claimed staff row of the outbox (channel `staff-email` or `slack`). */
export async function deliverStaffNotice(
  options: StaffDeliveryOptions,
  claimed: ClaimedMessage,
  payload: StaffNoticePayload,
  emailSlots: SendSlots,
): Promise<Delivery> {
  const facts = await staffDeliveryFacts(options.database, payload.userEmail, payload.accountId);
  if (facts === null) return { kind: 'skipped', reason: `${payload.userEmail} is no longer a user of Tend` };
  if (!facts.enabled) return { kind: 'skipped', reason: `${payload.userEmail} is disabled` };
  const wording = {
    payload,
    accountName: facts.accountName,
    baseUrl: options.publicUrl().replace(/\/+$/, ''),
  };
  const channel = claimed.channel as string;
  switch (channel) {
    case 'staff-email': {
      const { channels } = options;
      const written = staffNoticeEmail(wording);
      const email = {
        idempotencyKey: claimed.idempotencyKey,
        to: { address: payload.userEmail, ...(facts.name === null ? {} : { name: facts.name }) },
        from: channels.email.from,
        subject: written.subject,
        text: written.text,
        html: written.html,
      };
      const record = { to: email.to, from: email.from, subject: email.subject, text: email.text, html: email.html };
      if (channels.email.local)
        return { kind: 'delivered', providerMessageId: `local-staff-${claimed.id}`, message: record, local: true };
      const mailer = channels.email.mailer as Mailer & Partial<StaffMailer>;
      return emailSlots.use(async () => {
        await channels.email.pace.take();
        const stopped = await handOver(options, claimed, null, []);
        if (stopped !== null) return stopped;
        return handToChannel(
          () =>
            mailer.sendToStaff !== undefined
              ? mailer.sendToStaff(email)
              : // A mailer without a staff path: the link to turn notices off stands in for an unsubscribe.
                mailer.send({
                  ...email,
                  replyTo: email.from,
                  unsubscribeUrl: `${wording.baseUrl}/notifications`,
                }),
          record,
          false,
          channels.email.pace,
        );
      });
    }
    case 'slack': {
      const url = facts.slackWebhookUrl;
      if (url === null) return { kind: 'skipped', reason: `no Slack webhook applies to ${payload.userEmail} any more` };
      const written = staffNoticeSlack(wording);
      // The URL is a secret: the record names only its host.
      const record = { host: slackWebhookHost(url), text: written.text, blocks: written.blocks };
      const stopped = await handOver(options, claimed, null, []);
      if (stopped !== null) return stopped;
      const slack = options.slack ?? defaultSlack;
      return handToChannel(
        () => slack.send({ idempotencyKey: claimed.idempotencyKey, url, text: written.text, blocks: written.blocks }),
        record,
        false,
      );
    }
    default:
      return { kind: 'failed', reason: `a notice to staff cannot go out on the channel "${channel}"` };
  }
}
