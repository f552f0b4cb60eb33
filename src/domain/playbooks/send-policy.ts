// Decides whether an automated message may go out now, later, or not at all: an erased person, do-not-contact, consent
// per channel, an address to send to (one that has not bounced for good), a pause after the person wrote to us,
// frequency caps across all playbooks, and quiet hours in the recipient's time zone (messages are deferred to the
// next allowed local time, never dropped).
import { assertNever } from '../tracking-message.js';
import type { MessageChannel, SendChannel } from './playbook-definition.js';
import { isValidTimeZone, localDateTime, nextLocalTime } from './local-time.js';

export type ConsentState = 'opted-in' | 'opted-out' | 'unknown';

export interface SendContact {
  readonly email: string | null;
  readonly phone: string | null;
  /** IANA zone (Europe/Berlin); null or unknown → the policy's default zone. */
  readonly timezone: string | null;
  /** Consent per channel that reaches the person; a missing entry is 'unknown'. */
  readonly consent: Readonly<Partial<Record<'email' | 'sms', ConsentState>>>;
  /** On the global do-not-contact list: no automated message of any kind. */
  readonly doNotContact: boolean;
  /**
   * One of their ids, e-mail addresses or phone numbers (or the address a message is about to go to)
   * belongs to a person whose data was erased at their request: never contacted again, even when the
   * same person comes back under the same id or address (a re-import, a new identify).
   */
  readonly erased: boolean;
  /** Why their e-mail address takes no mail (it bounced for good); null or absent: it does. */
  readonly emailUndeliverable?: string | null;
  /** When they last wrote to us (their latest message in their conversation); absent or null: never. */
  readonly lastReplyAt?: Date | null;
}

export interface SendPolicy {
  /** Local times 'HH:MM'; start after end wraps past midnight (21:00–08:00). Null: no quiet hours. */
  readonly quietHours: { readonly start: string; readonly end: string } | null;
  /** At most this many automated messages per person within the window, across all playbooks. */
  readonly frequencyCap: { readonly maxMessages: number; readonly withinMs: number } | null;
  /**
   * At the cap: 'defer' sends once the oldest message leaves the window (for messages still useful
   * later, e.g. a payment reminder); 'skip' drops it (for messages only useful now).
   */
  readonly capPolicy: 'defer' | 'skip';
  /** Channels where 'unknown' consent is not enough (SMS needs an explicit opt-in in most countries). */
  readonly optInRequired: readonly ('email' | 'sms')[];
  readonly defaultTimeZone: string;
  /**
   * After a person writes to us, automated messages to them wait this long (0: not at all), so that a
   * person answers rather than a machine, as sales sequences stop on a reply.
   */
  readonly replyPauseMs: number;
}

export const defaultSendPolicy: SendPolicy = {
  quietHours: { start: '21:00', end: '08:00' },
  frequencyCap: { maxMessages: 2, withinMs: 7 * 86_400_000 },
  capPolicy: 'defer',
  optInRequired: ['sms'],
  defaultTimeZone: 'UTC',
  replyPauseMs: 72 * 3_600_000,
};

/** The send policy with the pause after a customer writes as tend.config.yaml sets it (conversations). */
export function sendPolicyWith(pauseAutomationHours: number): SendPolicy {
  return { ...defaultSendPolicy, replyPauseMs: pauseAutomationHours * 3_600_000 };
}

export interface SendRequest {
  readonly channel: SendChannel;
  /** Tried when the requested channel cannot be used (no consent, no address). */
  readonly fallback: MessageChannel | null;
  /** For 'best': the channels learned for this person, best first; empty → email, then SMS. */
  readonly ranking: readonly MessageChannel[];
  readonly contact: SendContact;
  /** When this person's recent automated messages went out (any playbook). */
  readonly recentAutomatedSends: readonly Date[];
  readonly now: Date;
  readonly policy: SendPolicy;
}

export type SkipReason =
  | 'erased'
  | 'do-not-contact'
  | 'opted-out'
  | 'no-consent'
  | 'no-address'
  | 'undeliverable'
  | 'frequency-cap';
export type DeferReason = 'replied' | 'quiet-hours' | 'frequency-cap';

export type SendDecision =
  | { readonly kind: 'send'; readonly channel: MessageChannel }
  | {
      readonly kind: 'defer';
      readonly channel: MessageChannel;
      readonly until: Date;
      readonly reason: DeferReason;
      readonly detail: string;
    }
  | { readonly kind: 'skip'; readonly reason: SkipReason; readonly detail: string };

/**
 * Called by the engine right before a send step writes its outbox row, and again when a deferral
 * comes due. Webhooks go to the business's own systems: consent, quiet hours and caps do not apply to
 * them, but do-not-contact does (the person is to be left alone by automation altogether).
 */
export function decideSend(request: SendRequest): SendDecision {
  const { contact, policy, now } = request;
  if (contact.erased) {
    const detail = 'the person asked to be erased; their e-mail, phone and id stay hashed, never to be used again';
    return { kind: 'skip', reason: 'erased', detail };
  }
  if (contact.doNotContact)
    return { kind: 'skip', reason: 'do-not-contact', detail: 'the person is on the do-not-contact list' };
  const chosen = chooseChannel(request);
  if ('reason' in chosen) return { kind: 'skip', ...chosen };
  const channel = chosen.channel;
  if (channel === 'webhook') return { kind: 'send', channel };

  let at = now;
  let deferReason: DeferReason | null = null;
  const details: string[] = [];
  const pauseEnd = replyPauseEnd(contact.lastReplyAt ?? null, policy);
  if (pauseEnd !== null && pauseEnd.getTime() > now.getTime()) {
    at = pauseEnd;
    deferReason = 'replied';
    const hours = Math.round((policy.replyPauseMs / 3_600_000) * 10) / 10;
    details.push(
      `they wrote to us at ${contact.lastReplyAt?.toISOString()}: automated messages wait ${hours} h after that ` +
        `so that a person answers (until ${pauseEnd.toISOString()})`,
    );
  }
  const cap = policy.frequencyCap;
  if (cap !== null) {
    const inWindow = request.recentAutomatedSends
      .map((sent) => sent.getTime())
      .filter((sent) => sent <= now.getTime() && sent > now.getTime() - cap.withinMs)
      .sort((a, b) => a - b);
    if (inWindow.length >= cap.maxMessages) {
      const days = Math.round((cap.withinMs / 86_400_000) * 10) / 10;
      const counted = `${inWindow.length} automated messages in the last ${days} days`;
      const capText = `${counted} reach the cap of ${cap.maxMessages}`;
      if (policy.capPolicy === 'skip') return { kind: 'skip', reason: 'frequency-cap', detail: capText };
      // The message may go once enough of the oldest have left the window to make room for it.
      const room = inWindow[inWindow.length - cap.maxMessages]! + cap.withinMs;
      if (room > at.getTime()) at = new Date(room);
      deferReason ??= 'frequency-cap';
      details.push(`${capText}; room again at ${new Date(room).toISOString()}`);
    }
  }
  if (policy.quietHours !== null) {
    const zone =
      contact.timezone !== null && isValidTimeZone(contact.timezone) ? contact.timezone : policy.defaultTimeZone;
    const start = minutesOf(policy.quietHours.start);
    const end = minutesOf(policy.quietHours.end);
    const local = localDateTime(at, zone);
    const minute = local.hour * 60 + local.minute;
    const quiet = start <= end ? minute >= start && minute < end : minute >= start || minute < end;
    if (quiet) {
      at = nextLocalTime(at, zone, Math.floor(end / 60), end % 60);
      deferReason ??= 'quiet-hours';
      details.push(
        `quiet hours ${policy.quietHours.start}–${policy.quietHours.end} in ${zone}; ` +
          `sends at ${policy.quietHours.end} local`,
      );
    }
  }
  if (deferReason === null) return { kind: 'send', channel };
  return { kind: 'defer', channel, until: at, reason: deferReason, detail: details.join('; ') };
}

/** When the pause after the person's latest message (`wroteAt`) ends, or null without one. */
export function replyPauseEnd(wroteAt: Date | null, policy: SendPolicy): Date | null {
  if (wroteAt === null || policy.replyPauseMs <= 0) return null;
  return new Date(wroteAt.getTime() + policy.replyPauseMs);
}

type Refusal = {
  readonly reason: 'opted-out' | 'no-consent' | 'no-address' | 'undeliverable';
  readonly detail: string;
};

/** The first channel, in order of preference, that the person can be reached on with consent. */
function chooseChannel(request: SendRequest): { channel: MessageChannel } | Refusal {
  const preferred: MessageChannel[] =
    request.channel === 'best'
      ? request.ranking.length > 0
        ? [...request.ranking]
        : ['email', 'sms']
      : [request.channel];
  if (request.fallback !== null) preferred.push(request.fallback);
  const refusals: Refusal[] = [];
  for (const channel of new Set(preferred)) {
    const refusal = refusalOf(channel, request.contact, request.policy);
    if (refusal === null) return { channel };
    refusals.push(refusal);
  }
  const first = refusals[0]!;
  return { reason: first.reason, detail: refusals.map((refusal) => refusal.detail).join('; ') };
}

function refusalOf(channel: MessageChannel, contact: SendContact, policy: SendPolicy): Refusal | null {
  switch (channel) {
    case 'webhook':
      return null;
    case 'email':
    case 'sms': {
      const consent = contact.consent[channel] ?? 'unknown';
      if (consent === 'opted-out') return { reason: 'opted-out', detail: `opted out of ${channel}` };
      if (consent === 'unknown' && policy.optInRequired.includes(channel))
        return { reason: 'no-consent', detail: `no opt-in for ${channel}, which requires one` };
      const address = channel === 'email' ? contact.email : contact.phone;
      if (address === null || address.trim() === '')
        return { reason: 'no-address', detail: `no ${channel === 'email' ? 'e-mail address' : 'phone number'}` };
      if (channel === 'email' && contact.emailUndeliverable)
        return {
          reason: 'undeliverable',
          detail: `the e-mail address bounced for good: ${contact.emailUndeliverable}`,
        };
      return null;
    }
    default:
      return assertNever(channel);
  }
}

function minutesOf(time: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (match === null) throw new Error(`Quiet hours must be HH:MM, got ${JSON.stringify(time)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}
