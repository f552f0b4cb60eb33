// What Twilio posts back to Tend: its signature check (X-Twilio-Signature), delivery status
// callbacks as typed outcomes, and inbound texts sorted into opt-out (STOP…), opt-in (START…),
// help (HELP…) or an ordinary reply.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { TendError } from '../domain/errors.js';

/** The POST parameters of a form-encoded Twilio request; a repeated name carries all its values. */
export type TwilioParameters = Readonly<Record<string, string | readonly string[]>>;

/**
 * Twilio's request signature: HMAC-SHA1 with the auth token over the full URL followed by every POST
 * parameter name and value, sorted by name (a repeated name: its distinct values, sorted), base64.
 */
export function twilioSignature(authToken: string, url: string, parameters: TwilioParameters): string {
  let signed = url;
  for (const name of Object.keys(parameters).sort()) {
    const value = parameters[name]!;
    const values = typeof value === 'string' ? [value] : [...new Set(value)].sort();
    for (const one of values) signed += name + one;
  }
  return createHmac('sha1', authToken).update(signed, 'utf8').digest('base64');
}

/**
 * True when X-Twilio-Signature matches the request, compared in constant time. Like Twilio's own
 * libraries it also accepts the URL with the default port added or removed, since proxies differ.
 */
export function isValidTwilioSignature(request: {
  readonly authToken: string;
  readonly url: string;
  readonly parameters: TwilioParameters;
  readonly signature: string | undefined;
}): boolean {
  if (request.signature === undefined || request.signature === '') return false;
  const presented = Buffer.from(request.signature, 'utf8');
  return urlVariants(request.url).some((url) => {
    const expected = Buffer.from(twilioSignature(request.authToken, url, request.parameters), 'utf8');
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  });
}

function urlVariants(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [url];
  }
  const defaultPort = parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : null;
  if (defaultPort === null) return [url];
  const withPort = url.replace(/^(\w+:\/\/[^/?#:]+)(?=[/?#]|$)/, `$1:${defaultPort}`);
  const withoutPort = url.replace(new RegExp(`^(\\w+://[^/?#:]+):${defaultPort}(?=[/?#]|$)`), '$1');
  return [...new Set([url, withPort, withoutPort])];
}

/** Where a text message got to, as Twilio reports it. */
export type SmsDeliveryOutcome =
  | { readonly kind: 'pending'; readonly status: 'accepted' | 'scheduled' | 'queued' | 'sending' }
  | { readonly kind: 'sent' }
  | { readonly kind: 'delivered' }
  | { readonly kind: 'read' }
  | { readonly kind: 'undelivered'; readonly errorCode: number | null }
  | { readonly kind: 'failed'; readonly errorCode: number | null }
  | { readonly kind: 'canceled' }
  | { readonly kind: 'unrecognised'; readonly status: string };

export interface SmsStatusReport {
  readonly messageSid: string;
  readonly to: string | null;
  readonly from: string | null;
  readonly outcome: SmsDeliveryOutcome;
}

/** Reads a status callback (MessageSid, MessageStatus, ErrorCode…); call only after the signature checks. */
export function readSmsStatusCallback(parameters: TwilioParameters): SmsStatusReport {
  const messageSid = required(parameters, 'MessageSid', 'SmsSid');
  const status = required(parameters, 'MessageStatus', 'SmsStatus').toLowerCase();
  const code = single(parameters, 'ErrorCode');
  const errorCode = code === null || !/^\d+$/.test(code) ? null : Number(code);
  return {
    messageSid,
    to: single(parameters, 'To'),
    from: single(parameters, 'From'),
    outcome: outcomeOf(status, errorCode),
  };
}

function outcomeOf(status: string, errorCode: number | null): SmsDeliveryOutcome {
  switch (status) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
      return { kind: 'pending', status };
    case 'sent':
      return { kind: 'sent' };
    case 'delivered':
      return { kind: 'delivered' };
    case 'read':
      return { kind: 'read' };
    case 'undelivered':
      return { kind: 'undelivered', errorCode };
    case 'failed':
      return { kind: 'failed', errorCode };
    case 'canceled':
      return { kind: 'canceled' };
    default:
      return { kind: 'unrecognised', status };
  }
}

/** The event Tend records for a delivery outcome, or null when the outcome is not final news. */
export function deliveryEventName(outcome: SmsDeliveryOutcome): 'Message Delivered' | 'Message Bounced' | null {
  switch (outcome.kind) {
    case 'delivered':
    case 'read':
      return 'Message Delivered';
    case 'undelivered':
    case 'failed':
      return 'Message Bounced';
    case 'pending':
    case 'sent':
    case 'canceled':
    case 'unrecognised':
      return null;
  }
}

/** An inbound text: a consent keyword (which Tend records) or a reply for a person to read. */
export type InboundSms =
  | (InboundSmsBase & { readonly kind: 'opt-out'; readonly keyword: string })
  | (InboundSmsBase & { readonly kind: 'opt-in'; readonly keyword: string })
  | (InboundSmsBase & { readonly kind: 'help'; readonly keyword: string })
  | (InboundSmsBase & { readonly kind: 'reply' });

interface InboundSmsBase {
  readonly messageSid: string;
  readonly from: string;
  readonly to: string;
  readonly body: string;
}

// Twilio's default keywords (its STOP handling answers them itself; Tend records the consent change).
const optOutKeywords = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const optInKeywords = new Set(['START', 'YES', 'UNSTOP']);
const helpKeywords = new Set(['HELP', 'INFO']);

/** Reads an inbound message webhook; a keyword counts only when it is the whole message. */
export function readInboundSms(parameters: TwilioParameters): InboundSms {
  const base: InboundSmsBase = {
    messageSid: required(parameters, 'MessageSid', 'SmsSid'),
    from: required(parameters, 'From'),
    to: required(parameters, 'To'),
    body: single(parameters, 'Body') ?? '',
  };
  const keyword = base.body
    .trim()
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '')
    .toUpperCase();
  if (optOutKeywords.has(keyword)) return { ...base, kind: 'opt-out', keyword };
  if (optInKeywords.has(keyword)) return { ...base, kind: 'opt-in', keyword };
  if (helpKeywords.has(keyword)) return { ...base, kind: 'help', keyword };
  return { ...base, kind: 'reply' };
}

function single(parameters: TwilioParameters, name: string): string | null {
  const value = parameters[name];
  if (value === undefined) return null;
  return typeof value === 'string' ? value : (value[0] ?? null);
}

function required(parameters: TwilioParameters, name: string, alias?: string): string {
  const value = single(parameters, name) ?? (alias === undefined ? null : single(parameters, alias));
  if (value === null || value === '') {
    throw new TendError('invalid_request', `The Twilio request has no ${name} parameter`, [
      { field: name, message: 'is required' },
    ]);
  }
  return value;
}
