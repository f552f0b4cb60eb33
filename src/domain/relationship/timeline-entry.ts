// An account's timeline in words: which kind of entry each event is (a touch, a message, a task, a
// signal, or any other event), and a one-line summary of what its properties say, for a person to read.

export const timelineKinds = ['event', 'touch', 'message', 'task', 'signal'] as const;
export type TimelineKind = (typeof timelineKinds)[number];

/** The event names of each kind but `event`, which is every other name. */
export const eventNamesOfKind: Readonly<Record<Exclude<TimelineKind, 'event'>, readonly string[]>> = {
  touch: ['Call Logged', 'Meeting Held', 'Email Sent', 'Note Added'],
  message: [
    'Message Sent',
    'Message Delivered',
    'Message Bounced',
    'Message Opened',
    'Message Clicked',
    'Message Replied',
    'Unsubscribed',
  ],
  task: ['Task Created', 'Task Completed', 'Task Escalated'],
  signal: ['Signal Raised', 'Signal Cleared'],
};

export function timelineKindOf(eventName: string | null): TimelineKind {
  if (eventName === null) return 'event';
  for (const kind of ['touch', 'message', 'task', 'signal'] as const) {
    if (eventNamesOfKind[kind].includes(eventName)) return kind;
  }
  return 'event';
}

/** Summaries are one line: longer texts (a reply's body, a note) are cut here. */
export const summaryLength = 200;

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function cut(line: string): string {
  const flat = line.replace(/\s+/g, ' ').trim();
  return flat.length <= summaryLength ? flat : `${flat.slice(0, summaryLength - 1)}…`;
}

function joined(parts: readonly (string | null)[], separator = ' · '): string | null {
  const present = parts.filter((part): part is string => part !== null);
  return present.length === 0 ? null : cut(present.join(separator));
}

/** The properties a person reads first, whatever the event: what it says in words. */
const wordsFirst = ['summary', 'subject', 'comment', 'note', 'body', 'objective', 'title', 'reason'];

/** Up to four plain properties, the worded ones first (others as `name: value`), for any other event. */
function plainProperties(properties: Readonly<Record<string, unknown>>): string | null {
  const names = Object.keys(properties);
  const worded = wordsFirst.filter((name) => names.includes(name));
  const ordered = [...worded, ...names.filter((name) => !wordsFirst.includes(name))];
  const parts: string[] = [];
  for (const name of ordered) {
    const value = text(properties[name]);
    if (value === null) continue;
    parts.push(wordsFirst.includes(name) ? value : `${name}: ${value}`);
    if (parts.length === 4) break;
  }
  return joined(parts, ', ');
}

function reasonsOf(value: unknown): string | null {
  if (!Array.isArray(value)) return null;
  const reasons = value.map(text).filter((reason): reason is string => reason !== null);
  return reasons.length === 0 ? null : reasons.join('; ');
}

/** One line saying what an event of the account's timeline was about, or null when it says nothing. */
export function eventSummary(name: string | null, properties: Readonly<Record<string, unknown>>): string | null {
  const property = (key: string) => text(properties[key]);
  switch (name) {
    case 'Signal Raised':
      return joined([property('kind'), reasonsOf(properties.reasons)], ': ');
    case 'Signal Cleared': {
      const hours = properties.openForHours;
      const span = typeof hours !== 'number' ? null : hours >= 48 ? `${Math.round(hours / 24)} days` : `${hours} hours`;
      return joined([property('kind'), 'cleared', span === null ? null : `after ${span}`], ' ');
    }
    case 'Task Created':
      return joined([property('objective'), property('owner') === null ? null : `for ${property('owner')}`]);
    case 'Task Completed':
      return joined([property('outcome'), property('note')], ': ');
    case 'Task Escalated':
      return joined([property('objective'), property('manager') === null ? null : `to ${property('manager')}`]);
    case 'Call Logged':
    case 'Meeting Held':
    case 'Email Sent':
    case 'Note Added':
      return touchSummary(
        property('objective'),
        property('summary') ?? property('subject') ?? property('note') ?? property('comment'),
      );
    case 'Message Sent':
      return joined([property('channel'), property('template')]);
    case 'Message Replied':
      return joined([property('channel'), property('body') ?? property('summary') ?? property('subject')], ': ');
    case 'Promise Made':
    case 'Promise Changed':
      return joined([
        property('title'),
        property('dueAt') === null ? null : `due ${property('dueAt')}`,
        property('owner') === null ? null : `delivered by ${property('owner')}`,
        property('madeBy') === null ? null : `promised by ${property('madeBy')}`,
      ]);
    case 'Promise Kept':
    case 'Promise Withdrawn':
      return joined([property('title') ?? property('promiseId'), property('note') ?? property('reason')], ': ');
    default:
      return plainProperties(properties);
  }
}

/** One line for a logged touch (a call, a meeting, an imported e-mail): its objective and what was said. */
export function touchSummary(objective: string | null, summary: string | null): string | null {
  return joined([text(objective), text(summary)], ': ');
}

const touchNames: Readonly<Record<string, string>> = {
  phone: 'Phone call',
  video: 'Video call',
  meeting: 'Meeting',
  email: 'E-mail',
  sms: 'Text message',
  chat: 'Chat',
  letter: 'Letter',
};

/** What a touch logged without an event is called on the timeline, by its channel. */
export function touchName(channel: string): string {
  return touchNames[channel] ?? `Touch (${channel})`;
}
