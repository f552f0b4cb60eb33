// Inbound e-mail as mail services post it: Postmark's JSON, Mailgun's and SendGrid's forms, or Tend's
// own small JSON ({from, to, subject, text, messageId}) from a relay; read into one shape. And the two
// ways such a post proves where it comes from: Tend's own secret (HTTP Basic password or a bearer), and
// Mailgun's signature (HMAC-SHA256 of timestamp and token with the webhook signing key).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { DeliveryReportParts } from '../domain/mail/delivery-status.js';

/** An inbound e-mail, posted or received by SMTP: the sender's address and every recipient, lower-cased. */
export interface InboundMail {
  readonly from: string;
  /** Every address it was sent to: the envelope's (a BCC shows only there), To and Cc. */
  readonly recipients: readonly string[];
  /** The To and Cc headers' addresses. */
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** The Message-ID header, when the service passes it on. */
  readonly messageId: string | null;
  /** The message it answers (In-Reply-To), and its thread (References), oldest first. */
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  /** The parts of a delivery status notification (RFC 3464), when the mail is one. */
  readonly deliveryReport: DeliveryReportParts | null;
  /** Written by a machine: Auto-Submitted (other than "no"), an auto-reply header, or a null sender. */
  readonly automatic: boolean;
}

type InboundMailReading =
  | { readonly kind: 'mail'; readonly mail: InboundMail }
  | { readonly kind: 'invalid'; readonly field: string; readonly problem: string };

/** Mailgun's proof of origin, sent in the body beside the message. */
export interface MailgunSignature {
  readonly timestamp: string;
  readonly token: string;
  readonly signature: string;
}

type Fields = Readonly<Record<string, unknown>>;

// Plain character classes, no nesting: linear on any input.
const addressPattern = /[^\s<>()",;:[\]\\@]{1,200}@[A-Za-z0-9.-]{1,253}/g;

/** Every address in a header value such as `"Anna" <anna@x.example>, bob@y.example`, lower-cased. */
export function addressesIn(value: string): string[] {
  const found = value.slice(0, 20_000).matchAll(addressPattern);
  return [...found].map(([address]) => address.toLowerCase().replace(/\.+$/, ''));
}

/** The one address of a From header: the one in angle brackets, else the first. */
export function senderAddress(value: string): string | null {
  const bracketed = /<([^<>]{3,320})>/.exec(value.slice(0, 2000))?.[1];
  return addressesIn(bracketed ?? value)[0] ?? null;
}

/** The message ids (`<…>`) in an In-Reply-To or References header, in order. */
export function messageIdsIn(value: string | null): string[] {
  if (value === null) return [];
  return [...value.slice(0, 20_000).matchAll(/<[^<>\s]{1,900}>/g)].map(([id]) => id).slice(-100);
}

/** Whether a machine wrote the message (RFC 3834's Auto-Submitted, and the headers auto-responders set). */
export function isAutomatic(header: (name: string) => string | null): boolean {
  const submitted = header('Auto-Submitted')?.trim().toLowerCase();
  if (submitted !== undefined && submitted !== '' && !submitted.startsWith('no')) return true;
  if (header('X-Autoreply') !== null || header('X-Autorespond') !== null) return true;
  return /^\s*auto_reply\b/i.test(header('Precedence') ?? '');
}

/** The first of the named fields that holds text (an empty text counts as none). */
const text = (fields: Fields, ...names: string[]): string | null => {
  for (const name of names) {
    const value = fields[name];
    if (typeof value === 'string' && value !== '') return value;
    if (Array.isArray(value) && typeof value[0] === 'string' && value[0] !== '') return value[0];
  }
  return null;
};

const listOf = (value: unknown): unknown[] => {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
};

/**
 * A header's value wherever the service put it: a field of its own, Mailgun's `message-headers` (JSON pairs),
 * Postmark's `Headers` ({Name, Value}), or SendGrid's raw `headers` block.
 */
function headerOf(fields: Fields, name: string): string | null {
  const lower = name.toLowerCase();
  const own = text(fields, name, lower);
  if (own !== null) return own;
  const pairs = fields['message-headers'];
  if (typeof pairs === 'string') {
    try {
      for (const pair of listOf(JSON.parse(pairs.slice(0, 200_000))).slice(0, 500)) {
        if (Array.isArray(pair) && String(pair[0]).toLowerCase() === lower && typeof pair[1] === 'string')
          return pair[1];
      }
    } catch {
      // Not JSON: the other places are looked at.
    }
  }
  for (const header of listOf(fields.Headers).slice(0, 500)) {
    if (typeof header !== 'object' || header === null) continue;
    const { Name, Value } = header as { Name?: unknown; Value?: unknown };
    if (typeof Name === 'string' && Name.toLowerCase() === lower && typeof Value === 'string') return Value;
  }
  if (typeof fields.headers !== 'string') return null;
  const block = fields.headers.slice(0, 100_000).replace(/\r?\n[ \t]+/g, ' ');
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === lower) return line.slice(colon + 1).trim();
  }
  return null;
}

/** Reads the post of any of the supported services; says which field is missing or wrong otherwise. */
export function readInboundMail(fields: Fields): InboundMailReading {
  const invalid = (field: string, problem: string): InboundMailReading => ({ kind: 'invalid', field, problem });
  const postmark = 'FromFull' in fields || 'TextBody' in fields || 'OriginalRecipient' in fields;
  const mailgun = 'body-plain' in fields || 'stripped-text' in fields || 'recipient' in fields;
  const sendgrid = 'envelope' in fields;
  const header = (name: string) => headerOf(fields, name);
  let fromValue: string | null;
  const recipientValues: string[] = [];
  let to: string[];
  let cc: string[];
  let subject: string | null;
  let body: string | null;
  let messageId: string | null;
  if (postmark) {
    const full = fields.FromFull as { Email?: unknown } | undefined;
    fromValue = typeof full?.Email === 'string' ? full.Email : text(fields, 'From');
    const emails = (name: string) =>
      listOf(fields[name])
        .slice(0, 50)
        .map((entry) => (entry as { Email?: unknown } | null)?.Email)
        .filter((email): email is string => typeof email === 'string');
    to = emails('ToFull').flatMap(addressesIn);
    cc = emails('CcFull').flatMap(addressesIn);
    recipientValues.push(...emails('ToFull'), ...emails('CcFull'), ...emails('BccFull'));
    recipientValues.push(text(fields, 'OriginalRecipient', 'To') ?? '');
    subject = text(fields, 'Subject');
    body = text(fields, 'StrippedTextReply', 'TextBody');
    messageId = header('Message-ID') ?? text(fields, 'MessageID');
  } else {
    fromValue = text(fields, 'from', 'From');
    // Tend's own JSON may list several; the services send one header value.
    const values = (name: string) => [header(name) ?? '', ...listOf(fields[name.toLowerCase()]).slice(1, 50)];
    to = values('To').flatMap((value) => (typeof value === 'string' ? addressesIn(value) : []));
    cc = values('Cc').flatMap((value) => (typeof value === 'string' ? addressesIn(value) : []));
    recipientValues.push(text(fields, 'recipient') ?? '', ...to, ...cc);
    if (sendgrid) {
      try {
        const envelope = JSON.parse(String(fields.envelope).slice(0, 20_000)) as { to?: unknown };
        const envelopeTo = listOf(envelope.to).slice(0, 50);
        for (const value of envelopeTo) if (typeof value === 'string') recipientValues.push(value);
      } catch {
        return invalid('envelope', 'is not JSON: SendGrid\'s Inbound Parse sends {"to":[…],"from":…}');
      }
    }
    subject = text(fields, 'subject', 'Subject');
    body = mailgun ? text(fields, 'stripped-text', 'body-plain') : text(fields, 'text', 'Text');
    messageId = text(fields, 'messageId', 'Message-Id', 'Message-ID') ?? header('Message-ID');
  }
  if (fromValue === null) return invalid('from', 'is missing: the sender of the e-mail');
  const from = senderAddress(fromValue);
  if (from === null) return invalid('from', 'holds no e-mail address');
  const recipients = [...new Set(recipientValues.flatMap(addressesIn))].slice(0, 100);
  if (recipients.length === 0) return invalid('to', 'holds no e-mail address: the address the e-mail was sent to');
  const id = messageId?.trim().slice(0, 1000) || null;
  const mail: InboundMail = {
    from,
    recipients,
    to: [...new Set(to)].slice(0, 100),
    cc: [...new Set(cc)].slice(0, 100),
    subject: subject ?? '',
    text: body ?? '',
    messageId: id,
    inReplyTo: messageIdsIn(text(fields, 'inReplyTo') ?? header('In-Reply-To'))[0] ?? null,
    references: messageIdsIn(text(fields, 'references') ?? header('References')),
    deliveryReport: null,
    automatic: isAutomatic(header),
  };
  return { kind: 'mail', mail };
}

/** Mailgun's signature fields, when the post carries them. */
export function mailgunSignatureOf(fields: Fields): MailgunSignature | null {
  const timestamp = text(fields, 'timestamp');
  const token = text(fields, 'token');
  const signature = text(fields, 'signature');
  return timestamp === null || token === null || signature === null ? null : { timestamp, token, signature };
}

/** How far a Mailgun timestamp may be from now: Mailgun signs when it posts. */
const mailgunTolerance = 15 * 60 * 1000;

/** Why a Mailgun signature is not accepted, or null when it is (correct and fresh). */
export function mailgunSignatureProblem(signingKey: string, signed: MailgunSignature, now: Date): string | null {
  const expected = createHmac('sha256', signingKey).update(`${signed.timestamp}${signed.token}`).digest('hex');
  const given = signed.signature.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given) || !timingSafeEqual(Buffer.from(expected), Buffer.from(given))) {
    return 'does not match: the post was not signed by Mailgun with TEND_MAILGUN_SIGNING_KEY (its webhook signing key)';
  }
  const at = Number(signed.timestamp) * 1000;
  if (!Number.isFinite(at) || Math.abs(now.getTime() - at) > mailgunTolerance) {
    return 'is more than 15 minutes from now (a replayed post, or a wrong clock)';
  }
  return null;
}

/** The secret a request presents: the password of HTTP Basic (any user name), or a bearer token. */
export function presentedSecret(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const [scheme, value] = authorization.trim().split(/\s+/, 2);
  if (value === undefined) return null;
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() !== 'basic') return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : null;
}

/** Compares in constant time (hashes first, so the length of the secret does not show either). */
export function sameSecret(presented: string, secret: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(secret));
}
