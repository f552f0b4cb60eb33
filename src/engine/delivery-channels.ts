// Builds the outbound channels from the validated channel settings: SMTP or the local mailbox for
// e-mail, Twilio or the local mailbox for SMS, a signed webhook receiver or the local mailbox.
import type { ChannelSettings } from '../channels/channel-settings.js';
import { createLocalMailbox } from '../channels/local-mailbox.js';
import { createSmtpMailer } from '../channels/smtp-mailer.js';
import { type SmtpServer, smtpTransportSecurity } from '../channels/smtp-url.js';
import { createTwilioSmsSender } from '../channels/twilio-sms.js';
import { createWebhookSender } from '../channels/webhook-sender.js';
import type { Clock } from '../domain/clock.js';
import { assertNever } from '../domain/tracking-message.js';
import type { InvitationMail } from './invitations.js';
import { SendPace } from './send-pace.js';
import type { Mailer, SmsSender, WebhookSender } from '../channels/channel-messages.js';

/** The channels as configured: real providers, or the local mailbox (nothing leaves the machine). */
export interface DeliveryChannels {
  /**
   * `threadReplies`: Reply-To is the message's own address on `replyDomain` (inbound mail posted back);
   * else the owner's mailbox.
   */
  readonly email: {
    readonly mailer: Mailer;
    readonly local: boolean;
    readonly from: string;
    readonly replyDomain: string;
    readonly threadReplies: boolean;
    /** The provider's pace (TEND_SMTP_MAX_PER_SECOND), shared by every e-mail this process sends. */
    readonly pace: SendPace;
  };
  readonly sms: {
    readonly sender: SmsSender;
    readonly local: boolean;
    readonly from: string;
    readonly statusCallbacks: boolean;
    readonly pace: SendPace;
  };
  /** Null: no receiver configured (TEND_WEBHOOK_URL); webhook steps are then kept in the local mailbox. */
  readonly webhook: {
    readonly sender: WebhookSender;
    readonly url: string;
    readonly secret: string;
    readonly pace: SendPace;
  } | null;
}

export interface OpenChannels {
  readonly channels: DeliveryChannels;
  /** Invitations (sign-in links e-mailed to people of the business) share the SMTP server, if there is one. */
  readonly invitations: InvitationMail;
  /** A line per channel for the start-up message: where messages go. */
  readonly description: readonly string[];
  close(): void;
}

/** `processClock` dates webhook signatures: receivers check them against their own real time. */
export function openChannels(settings: ChannelSettings, processClock: Clock): OpenChannels {
  // The dispatcher keeps every message in the outbox itself; the local mailbox only has to accept it.
  const local = createLocalMailbox(() => undefined);
  const email = settings.email;
  const smtp =
    email.kind === 'smtp' ? createSmtpMailer({ smtpUrl: email.smtpUrl, allowPlaintext: email.allowPlaintext }) : null;
  const sms =
    settings.sms.kind === 'twilio'
      ? createTwilioSmsSender({
          accountSid: settings.sms.accountSid,
          authToken: settings.sms.authToken,
          baseUrl: settings.sms.baseUrl,
        })
      : null;
  const channels: DeliveryChannels = {
    email: {
      mailer: smtp ?? local.mailer,
      local: smtp === null,
      from: settings.email.from,
      replyDomain: settings.email.replyDomain,
      threadReplies: settings.email.threadReplies,
      // The local mailbox has no provider to spare: only a real one is held to a pace.
      pace: new SendPace(smtp === null ? null : settings.paces.email),
    },
    sms: {
      sender: sms ?? local.smsSender,
      local: sms === null,
      from: settings.sms.from,
      statusCallbacks: sms !== null,
      pace: new SendPace(sms === null ? null : settings.paces.sms),
    },
    webhook:
      settings.webhook.kind === 'receiver'
        ? {
            sender: createWebhookSender({ clock: processClock }),
            url: settings.webhook.url,
            secret: settings.webhook.secret,
            pace: new SendPace(settings.paces.webhook),
          }
        : null,
  };
  const description = [
    email.kind === 'smtp'
      ? `e-mail: SMTP ${email.server.host}:${email.server.port}${smtpSecurityNote(email.server, email.allowPlaintext)}`
      : 'e-mail: local mailbox (GET /api/v1/outbox; set TEND_SMTP_URL to send)',
    settings.sms.kind === 'twilio'
      ? `SMS: Twilio (${settings.sms.baseUrl})`
      : 'SMS: local mailbox (set TEND_TWILIO_* to send)',
    settings.webhook.kind === 'receiver'
      ? `webhooks: ${new URL(settings.webhook.url).origin}`
      : 'webhooks: local mailbox (set TEND_WEBHOOK_URL to send)',
  ];
  const invitations: InvitationMail =
    smtp === null ? { kind: 'not-configured' } : { kind: 'smtp', mailer: smtp, from: email.from };
  return { channels, invitations, description, close: () => smtp?.close() };
}

function smtpSecurityNote(server: SmtpServer, allowPlaintext: boolean): string {
  const security = smtpTransportSecurity(server, allowPlaintext);
  switch (security.kind) {
    case 'implicit-tls':
      return ' (TLS)';
    case 'starttls-required':
      return ' (STARTTLS required)';
    case 'plaintext-allowed':
      if (security.because === 'loopback') return ' (this machine: STARTTLS if offered)';
      return ' (STARTTLS if offered, else UNENCRYPTED: TEND_SMTP_ALLOW_PLAINTEXT)';
    default:
      return assertNever(security);
  }
}
