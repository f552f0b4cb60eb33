// The seams between the journey engine and the outbound channels: what a message to send looks like,
// what a channel promises back, and the one error a channel throws when a send does not go through.

/** An e-mail the engine wants sent; every field is decided before the channel sees it. */
export interface OutboundEmail {
  /** Deterministic per (run, step, recipient): a retried send carries the same key. */
  readonly idempotencyKey: string;
  readonly to: { readonly address: string; readonly name?: string };
  /** The sender, e.g. `Tend <hello@example.com>` (TEND_EMAIL_FROM). */
  readonly from: string;
  /** A real, answered mailbox (e.g. on TEND_REPLY_DOMAIN); never a "no-reply" address. */
  readonly replyTo: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** The HTTPS one-click unsubscribe address (RFC 8058). */
  readonly unsubscribeUrl: string;
  readonly unsubscribeMailto?: string;
  /** A reply in a thread: the Message-ID it answers (`<…>`), so the customer's mail client threads it. */
  readonly inReplyTo?: string;
  /** The thread's Message-IDs, oldest first, separated by spaces (RFC 5322 References). */
  readonly references?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The envelope sender (MAIL FROM) that bounces go back to. Unset: the message's own return path on the
   * reply domain when the Reply-To is its thread address (see email-address.ts), else the sender.
   */
  readonly returnPath?: string;
}

/**
 * An e-mail to a person of the business (an invitation with a sign-in link), not to a customer: it
 * carries no unsubscribe headers and no tracking, and never goes through the outbox.
 */
export interface StaffEmail {
  /** Only names the message (its Message-ID); a staff e-mail is sent once, on request. */
  readonly idempotencyKey: string;
  readonly to: { readonly address: string; readonly name?: string };
  readonly from: string;
  /** Where an answer goes: the person who asked for the e-mail, when one did. */
  readonly replyTo?: string;
  readonly subject: string;
  readonly text: string;
  /** A small HTML version (a notice to staff); the text part is always sent. */
  readonly html?: string;
}

export interface StaffMailer {
  sendToStaff(email: StaffEmail): Promise<{ providerMessageId: string }>;
}

export interface Mailer {
  send(email: OutboundEmail): Promise<{ providerMessageId: string }>;
  /**
   * How many messages it sends at once (its pooled connections); the dispatcher hands no more over at
   * a time, so that a message marked handed over is on the wire, not waiting in the mailer's queue.
   */
  readonly connections?: number;
}

/** A text message the engine wants sent. */
export interface OutboundSms {
  readonly idempotencyKey: string;
  /** E.164, e.g. +41791234567. */
  readonly to: string;
  /** An E.164 number, an alphanumeric sender or a messaging service id (MG…). */
  readonly from: string;
  readonly body: string;
  /** Where the provider reports delivery (sent, delivered, failed…). */
  readonly statusCallbackUrl?: string;
}

export interface SmsSender {
  send(sms: OutboundSms): Promise<{ providerMessageId: string; status: string }>;
}

/** A signed HTTP notification to another system (Slack relay, a CRM, the customer's own backend). */
export interface OutboundWebhook {
  /** Sent as `webhook-id`, so the receiver can drop a retried delivery. */
  readonly idempotencyKey: string;
  readonly url: string;
  /** A Standard Webhooks secret: `whsec_` followed by base64. */
  readonly secret: string;
  readonly eventType: string;
  readonly payload: unknown;
}

export interface WebhookSender {
  send(webhook: OutboundWebhook): Promise<{ status: number }>;
}

export type ChannelName = 'email' | 'sms' | 'webhook' | 'slack';

/**
 * Why a send failed, from a closed list the engine can act on: retry later, stop and tell an admin,
 * or record that the recipient refused.
 */
export type ChannelFailure =
  | 'misconfigured' // credentials, URLs, sender: an admin must fix the settings
  | 'unreachable' // network, DNS, timeouts: try again later
  | 'rate-limited' // the provider asked us to slow down
  | 'provider-error' // the provider failed on its side (5xx, 4xx SMTP replies)
  | 'rejected' // the provider refused this message for good (bad address, policy)
  | 'recipient-opted-out' // the recipient told the provider to stop (e.g. SMS STOP)
  | 'invalid-message'; // the message itself is malformed (a no-reply Reply-To, a bad unsubscribe URL)

/**
 * The one error a channel throws: `retryable` says whether sending the same message again may work;
 * `outcomeUnknown` that the provider may have taken the message before the failure (the connection
 * broke after the message was handed over), so sending it again could deliver it twice.
 */
export class ChannelError extends Error {
  readonly outcomeUnknown: boolean;
  /** How long the provider asked to wait before the next send (Retry-After), when it said. */
  readonly retryAfterMs: number | null;

  constructor(
    readonly channel: ChannelName,
    readonly failure: ChannelFailure,
    readonly retryable: boolean,
    message: string,
    options?: { cause?: unknown; outcomeUnknown?: boolean; retryAfterMs?: number | null },
  ) {
    super(message, options);
    this.name = 'ChannelError';
    this.outcomeUnknown = options?.outcomeUnknown ?? false;
    this.retryAfterMs = options?.retryAfterMs ?? null;
  }
}
