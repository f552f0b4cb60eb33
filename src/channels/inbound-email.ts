// Inbound e-mail as mail services post it: Postmark's JSON, Mailgun's and SendGrid's forms, or Tend's
// own small JSON ({from, to, subject, text, messageId}) from a relay; read into one shape. And the two
// ways such a post proves where it comes from: Tend's own secret (HTTP Basic password or a bearer), and
// Mailgun's signature (HMAC-SHA256 of timestamp and token with the webhook signing key).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A posted e-mail: the sender's address and every recipient address, lower-cased. */
export interface InboundMail {
  readonly from: string;
  readonly recipients: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** The Message-ID header, when the service passes it on. */
  readonly messageId: string | null;
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
function addressesIn(value: string): string[] {
  const found = value.slice(0, 20_000).matchAll(addressPattern);
  return [...found].map(([address]) => address.toLowerCase().replace(/\.+$/, ''));
}

/** The one address of a From header: the one in angle brackets, else the first. */
function senderAddress(value: string): string | null {
  const bracketed = /<([^<>]{3,320})>/.exec(value.slice(0, 2000))?.[1];
  return addressesIn(bracketed ?? value)[0] ?? null;
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

/** The Message-ID in a raw header block (SendGrid's `headers`) or a header list (Postmark's `Headers`). */
function messageIdIn(headers: unknown): string | null {
  if (typeof headers === 'string') {
    return /^message-id:[ \t]*(<[^>\r\n]{1,900}>)/im.exec(headers.slice(0, 100_000))?.[1] ?? null;
  }
  for (const header of listOf(headers).slice(0, 500)) {
    if (typeof header !== 'object' || header === null) continue;
    const { Name, Value } = header as { Name?: unknown; Value?: unknown };
    if (typeof Name === 'string' && Name.toLowerCase() === 'message-id' && typeof Value === 'string') return Value;
  }
  return null;
}

/** Reads the post of any of the supported services; says which field is missing or wrong otherwise. */
export function readInboundMail(fields: Fields): InboundMailReading {
  const invalid = (field: string, problem: string): InboundMailReading => ({ kind: 'invalid', field, problem });
  const postmark = 'FromFull' in fields || 'TextBody' in fields || 'OriginalRecipient' in fields;
  const mailgun = 'body-plain' in fields || 'stripped-text' in fields || 'recipient' in fields;
  const sendgrid = 'envelope' in fields;
  let fromValue: string | null;
  const recipientValues: string[] = [];
  let subject: string | null;
  let body: string | null;
  let messageId: string | null;
  if (postmark) {
    const full = fields.FromFull as { Email?: unknown } | undefined;
    fromValue = typeof full?.Email === 'string' ? full.Email : text(fields, 'From');
    for (const name of ['ToFull', 'CcFull', 'BccFull']) {
      for (const entry of listOf(fields[name]).slice(0, 50)) {
        const email = (entry as { Email?: unknown } | null)?.Email;
        if (typeof email === 'string') recipientValues.push(email);
      }
    }
    recipientValues.push(text(fields, 'OriginalRecipient', 'To') ?? '');
    subject = text(fields, 'Subject');
    body = text(fields, 'StrippedTextReply', 'TextBody');
    messageId = messageIdIn(fields.Headers) ?? text(fields, 'MessageID');
  } else {
    fromValue = text(fields, 'from', 'From');
    for (const name of ['recipient', 'to', 'To', 'cc', 'Cc']) recipientValues.push(text(fields, name) ?? '');
    for (const value of listOf(fields.to).slice(1, 50)) if (typeof value === 'string') recipientValues.push(value);
    if (sendgrid) {
      try {
        const envelope = JSON.parse(String(fields.envelope).slice(0, 20_000)) as { to?: unknown };
        const to = listOf(envelope.to).slice(0, 50);
        for (const value of to) if (typeof value === 'string') recipientValues.push(value);
      } catch {
        return invalid('envelope', 'is not JSON: SendGrid\'s Inbound Parse sends {"to":[…],"from":…}');
      }
    }
    subject = text(fields, 'subject', 'Subject');
    body = mailgun ? text(fields, 'stripped-text', 'body-plain') : text(fields, 'text', 'Text');
    messageId = text(fields, 'messageId', 'Message-Id', 'Message-ID') ?? messageIdIn(fields.headers);
  }
  if (fromValue === null) return invalid('from', 'is missing: the sender of the e-mail');
  const from = senderAddress(fromValue);
  if (from === null) return invalid('from', 'holds no e-mail address');
  const recipients = [...new Set(recipientValues.flatMap(addressesIn))].slice(0, 100);
  if (recipients.length === 0) return invalid('to', 'holds no e-mail address: the address the e-mail was sent to');
  const id = messageId?.trim().slice(0, 1000) || null;
  return { kind: 'mail', mail: { from, recipients, subject: subject ?? '', text: body ?? '', messageId: id } };
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
