// Reads a whole e-mail, as it arrives over SMTP (or as a mail service posts it raw), into the one shape
// inbound mail has: the envelope's recipients beside the headers' (a BCC shows only in the envelope), the
// text, the thread headers, and the parts of a delivery status notification (RFC 3464).
import { type AddressObject, simpleParser } from 'mailparser';
import type { DeliveryReportParts } from '../domain/mail/delivery-status.js';
import { textFromHtml } from './html-to-text.js';
import { addressesIn, type InboundMail, isAutomatic, messageIdsIn } from './inbound-email.js';

/** What the sending server said before the message: whom it is for, and whether the sender was `<>`. */
export interface Envelope {
  readonly recipients: readonly string[];
  /** MAIL FROM:<>, as delivery reports and other automatic answers are sent. */
  readonly nullSender: boolean;
}

const statusTypes = new Set(['message/delivery-status', 'message/global-delivery-status']);
const headerTypes = new Set(['text/rfc822-headers', 'message/global-headers']);
const returnedTypes = new Set(['message/rfc822', 'message/global']);

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  const found: string[] = [];
  for (const entry of objects.flatMap((object) => object.value).slice(0, 200)) {
    for (const member of [entry, ...(entry.group ?? [])]) {
      if (member.address) found.push(...addressesIn(member.address));
    }
  }
  return found;
}

/** Parses the message; anything it cannot read becomes an empty part rather than a failure. */
export async function readMimeMail(raw: Buffer | string, envelope: Envelope): Promise<InboundMail> {
  const parsed = await simpleParser(raw, {
    keepDeliveryStatus: true,
    skipImageLinks: true,
    skipTextLinks: true,
    skipTextToHtml: true,
  });
  const header = (name: string) => {
    const value = parsed.headers.get(name.toLowerCase());
    return typeof value === 'string' ? value : null;
  };
  const to = addressesOf(parsed.to);
  const cc = addressesOf(parsed.cc);
  const envelopeRecipients = envelope.recipients.flatMap(addressesIn);
  const attachments = parsed.attachments.slice(0, 50);
  const part = (types: ReadonlySet<string>) =>
    attachments.find((attachment) => types.has(attachment.contentType.toLowerCase()))?.content.toString('utf8');
  const deliveryStatus = part(statusTypes);
  const returned = part(headerTypes) ?? part(returnedTypes)?.split(/\r?\n\r?\n/, 1)[0];
  const deliveryReport: DeliveryReportParts | null =
    deliveryStatus === undefined ? null : { deliveryStatus, returnedHeaders: returned ?? null };
  const references = [parsed.references ?? []].flat().join(' ');
  const html = typeof parsed.html === 'string' ? parsed.html : null;
  return {
    from: addressesOf(parsed.from)[0] ?? '',
    recipients: [...new Set([...envelopeRecipients, ...to, ...cc])].slice(0, 100),
    to: [...new Set(to)].slice(0, 100),
    cc: [...new Set(cc)].slice(0, 100),
    subject: (parsed.subject ?? '').slice(0, 1000),
    text: (parsed.text ?? (html === null ? '' : textFromHtml(html))).slice(0, 200_000).trimEnd(),
    messageId: parsed.messageId?.trim().slice(0, 1000) || null,
    inReplyTo: messageIdsIn(parsed.inReplyTo ?? null)[0] ?? null,
    references: messageIdsIn(references),
    deliveryReport,
    automatic: envelope.nullSender || isAutomatic(header),
  };
}
