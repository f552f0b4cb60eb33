// Where an inbound e-mail goes, however it arrived (Tend's SMTP listener or a mail service's webhook): a
// delivery report to bounce handling, a rep's copy to the log address to capture, anything else to the
// conversations; automatic answers (out-of-office, loops) nowhere.

/** The address reps BCC or forward their own e-mails to: `log@` the reply domain. */
export const captureLocalPart = 'log';

/** What the router needs to know of a message. */
export interface InboundMailTraits {
  /** Every address it was sent to (envelope and headers), lower-cased. */
  readonly recipients: readonly string[];
  /** A delivery status notification (multipart/report; report-type=delivery-status). */
  readonly deliveryReport: boolean;
  /** Written by a machine (Auto-Submitted, an auto-reply header, a null sender). */
  readonly automatic: boolean;
}

export type InboundRoute =
  | { readonly kind: 'bounce' }
  | { readonly kind: 'capture' }
  | { readonly kind: 'conversation' }
  | { readonly kind: 'ignore'; readonly why: string };

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** Decides the route of one message; `replyDomain` is TEND_REPLY_DOMAIN (lower-case). */
export function routeOfInboundMail(mail: InboundMailTraits, replyDomain: string): InboundRoute {
  if (mail.deliveryReport) return { kind: 'bounce' };
  const ours = mail.recipients.map((address) => address.toLowerCase()).filter((a) => domainOf(a) === replyDomain);
  if (mail.automatic) {
    // An out-of-office answers a message; it is neither the customer's voice nor a rep's e-mail.
    return { kind: 'ignore', why: 'written by a machine (Auto-Submitted or an auto-reply header)' };
  }
  if (ours.includes(`${captureLocalPart}@${replyDomain}`)) return { kind: 'capture' };
  if (ours.length > 0 && ours.every((address) => address.startsWith('bounce+'))) {
    return { kind: 'ignore', why: 'sent to a return path without a delivery report' };
  }
  return { kind: 'conversation' };
}
