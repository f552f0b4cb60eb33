// Reads a delivery status notification (RFC 3464, and its SMTPUTF8 form, RFC 6533): for each recipient,
// what the reporting server did (Action) and why (Status), and the Message-ID of the message it returns,
// so that Tend knows which message bounced, for whom, and whether for good.

/** The parts of a multipart/report that say what happened, as text. */
export interface DeliveryReportParts {
  /** The message/delivery-status (or message/global-delivery-status) part. */
  readonly deliveryStatus: string;
  /** The returned message's headers (text/rfc822-headers, or the head of message/rfc822), when sent back. */
  readonly returnedHeaders: string | null;
}

/** Hard: the address will not take mail (failed, 5.x.x); soft: it may later (delayed, or a 4.x.x failure). */
export type BounceKind = 'hard' | 'soft';

export interface RecipientStatus {
  /** Final-Recipient, else Original-Recipient: the address the report is about, lower-cased. */
  readonly recipient: string;
  readonly originalRecipient: string | null;
  /** failed, delayed, delivered, relayed or expanded (lower-cased; empty when missing). */
  readonly action: string;
  /** The enhanced status code (RFC 3463), e.g. 5.1.1; empty when missing. */
  readonly status: string;
  /** What the remote server said (Diagnostic-Code), when given. */
  readonly diagnostic: string | null;
  /** Null: not a bounce (delivered, relayed, expanded). */
  readonly bounce: BounceKind | null;
}

export interface DeliveryStatusReport {
  readonly recipients: readonly RecipientStatus[];
  /** The returned message's Message-ID (its headers, else the report's X-Original-Message-ID). */
  readonly originalMessageId: string | null;
}

/** Reports come from outside: nothing past these sizes is read. */
const maximumReportLength = 100_000;
const maximumRecipients = 100;

type Fields = ReadonlyMap<string, string>;

/** Header-style fields of one block: folded lines joined, names lower-cased, the first of each name kept. */
function fieldsOf(block: string): Fields {
  const fields = new Map<string, string>();
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[a-z0-9-]+$/.test(name) || fields.has(name)) continue;
    fields.set(name, line.slice(colon + 1).trim());
  }
  return fields;
}

/** `rfc822; Anna@Example.com` (or `utf-8; …`, or a bare address in brackets) → `anna@example.com`. */
function addressOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  const semicolon = value.indexOf(';');
  const address = (semicolon >= 0 ? value.slice(semicolon + 1) : value).trim().replace(/^<|>$/g, '').trim();
  return address.includes('@') && !/\s/.test(address) ? address.toLowerCase() : null;
}

/** Hard, soft or no bounce, from Action and the status code's class (2, 4 or 5). */
export function bounceKindOf(action: string, status: string): BounceKind | null {
  const statusClass = status.charAt(0);
  switch (action) {
    case 'failed':
      return statusClass === '4' ? 'soft' : 'hard';
    case 'delayed':
      return 'soft';
    case 'delivered':
    case 'relayed':
    case 'expanded':
      return null;
    default:
      // No Action (against the RFC): the status class alone decides.
      return statusClass === '5' ? 'hard' : statusClass === '4' ? 'soft' : null;
  }
}

/** The Message-ID in a block of headers, unfolded. */
function messageIdIn(headers: string): string | null {
  const value = fieldsOf(headers.slice(0, maximumReportLength)).get('message-id');
  const id = value === undefined ? null : /<[^<>\s]{1,900}>/.exec(value)?.[0];
  return id ?? null;
}

/** Every recipient the report speaks of, and the returned message's id; an unreadable report yields none. */
export function readDeliveryStatus(parts: DeliveryReportParts): DeliveryStatusReport {
  const blocks = parts.deliveryStatus
    .slice(0, maximumReportLength)
    .split(/\r?\n(?:[ \t]*\r?\n)+/)
    .map(fieldsOf)
    .filter((fields) => fields.size > 0);
  const recipients: RecipientStatus[] = [];
  let perMessage: Fields | null = null;
  for (const fields of blocks) {
    const recipient = addressOf(fields.get('final-recipient')) ?? addressOf(fields.get('original-recipient'));
    if (recipient === null) {
      perMessage ??= fields;
      continue;
    }
    if (recipients.length >= maximumRecipients) break;
    const action = (fields.get('action') ?? '').toLowerCase().split(/[\s(]/)[0] ?? '';
    const status = /\b[245]\.\d{1,3}\.\d{1,3}\b/.exec(fields.get('status') ?? '')?.[0] ?? '';
    const diagnostic = fields.get('diagnostic-code')?.slice(0, 1000) ?? null;
    const originalRecipient = addressOf(fields.get('original-recipient'));
    recipients.push({ recipient, originalRecipient, action, status, diagnostic, bounce: bounceKindOf(action, status) });
  }
  const reported = perMessage?.get('x-original-message-id');
  const originalMessageId =
    (parts.returnedHeaders === null ? null : messageIdIn(parts.returnedHeaders)) ??
    (reported === undefined ? null : (/<[^<>\s]{1,900}>/.exec(reported)?.[0] ?? null));
  return { recipients, originalMessageId };
}
