// Which events are touches between the business and the customer, and what kind: the relationship
// vocabulary (Call Logged, Meeting Held, Email Sent, Message Replied, …) mapped onto interactions.
import { spokenChannels, type Touch, type TouchChannel } from './account-snapshot.js';

/** A touch as an event describes it; the event's own time makes it a Touch. */
export type TouchFromEvent = Omit<Touch, 'at'>;

const channels: readonly TouchChannel[] = ['phone', 'video', 'meeting', 'email', 'sms', 'chat', 'letter'];

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function channelOr(value: unknown, fallback: TouchChannel): TouchChannel {
  const named = text(value)?.toLowerCase();
  return named && (channels as readonly string[]).includes(named) ? (named as TouchChannel) : fallback;
}

function flag(value: unknown, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return fallback;
}

/** The event names that can be touches; other events never are. */
export const touchEventNames: readonly string[] = [
  'Call Logged',
  'Meeting Held',
  'Email Sent',
  'Note Added',
  'Message Sent',
  'Message Replied',
  'Ticket Opened',
];

/** The touch an event records, or null when the event is not a touch (a sign-in, a note about no contact, …). */
export function touchFromEvent(name: string, properties: Record<string, unknown>): TouchFromEvent | null {
  const rep = text(properties.rep)?.toLowerCase() ?? null;
  const objective = text(properties.objective);
  const summary = text(properties.summary) ?? text(properties.subject) ?? text(properties.comment);
  const direction = text(properties.direction) === 'inbound' ? 'inbound' : 'outbound';
  switch (name) {
    case 'Call Logged':
      return {
        channel: channelOr(properties.channel, 'phone'),
        direction,
        actor: direction === 'inbound' && !rep ? 'customer' : 'rep',
        twoWay: flag(properties.twoWay, true),
        userEmail: rep,
        objective,
        summary,
      };
    case 'Meeting Held':
      return {
        channel: channelOr(properties.channel, 'meeting'),
        direction,
        actor: 'rep',
        twoWay: flag(properties.twoWay, true),
        userEmail: rep,
        objective,
        summary,
      };
    case 'Email Sent':
      // A rep's own e-mail; without a rep it was sent by a system.
      return {
        channel: 'email',
        direction: 'outbound',
        actor: rep ? 'rep' : 'system',
        twoWay: flag(properties.twoWay, false),
        userEmail: rep,
        objective,
        summary,
      };
    case 'Note Added': {
      // A rep's note is a touch when it records contact on a channel (a letter sent, a chat at a
      // fair); a note without one is the rep's own record, and no contact with the customer.
      const named = text(properties.channel)?.toLowerCase();
      if (!named || !(channels as readonly string[]).includes(named)) return null;
      const channel = named as TouchChannel;
      return {
        channel,
        direction,
        actor: direction === 'inbound' && !rep ? 'customer' : 'rep',
        twoWay: flag(properties.twoWay, spokenChannels.includes(channel)),
        userEmail: rep,
        objective,
        summary: summary ?? text(properties.note),
      };
    }
    case 'Message Sent':
      // Tend's (or another tool's) automated message: a touch, never a conversation. A person's own
      // message (a rep named, not automated: a reply written in a conversation) is theirs.
      if (rep && properties.automated !== true)
        return {
          channel: channelOr(properties.channel, 'email'),
          direction: 'outbound',
          actor: 'rep',
          twoWay: flag(properties.twoWay, false),
          userEmail: rep,
          objective,
          summary,
        };
      return {
        channel: channelOr(properties.channel, 'email'),
        direction: 'outbound',
        actor: 'system',
        twoWay: false,
        userEmail: null,
        objective,
        summary,
      };
    case 'Message Replied':
      return {
        channel: channelOr(properties.channel, 'email'),
        direction: 'inbound',
        actor: 'customer',
        twoWay: true,
        userEmail: rep,
        objective,
        summary,
      };
    case 'Ticket Opened':
      return {
        channel: channelOr(properties.channel, 'chat'),
        direction: 'inbound',
        actor: 'customer',
        twoWay: false,
        userEmail: rep,
        objective,
        summary,
      };
    default:
      return null;
  }
}
