// The kinds of write key: `server` keys may send every Tracking API call; `browser` keys ship inside web
// pages, where anyone can read them, so they may only report what a person did and who they are, never
// change an account, its money, its owner or its people's identities.
import type { FieldProblem } from './errors.js';
import { type TrackingMessage, assertNever } from './tracking-message.js';

export const writeKeyKinds = ['server', 'browser'] as const;

export type WriteKeyKind = (typeof writeKeyKinds)[number];

/**
 * Identify traits a browser may not set (compared without regard to case): the owner routes mail and
 * work, money and lifecycle feed tiers and signals, and the account fields belong to group calls.
 */
export const traitsRefusedToBrowsers = [
  'owner',
  'ownerEmail',
  'revenue',
  'profit',
  'currency',
  'lifecycleStage',
  'stage',
  'plan',
  'tier',
  'company',
  'accountId',
  'groupId',
] as const;

/**
 * Events a browser may not claim: money and subscriptions come from billing, touches clear neglect and
 * count as a rep's work, promises are the business's word to the customer, and Tend's own events say what
 * Tend did or what a provider reported.
 */
export const eventsRefusedToBrowsers = [
  'Invoice Issued',
  'Invoice Paid',
  'Payment Failed',
  'Order Completed',
  'Subscription Started',
  'Subscription Renewed',
  'Subscription Cancelled',
  'Call Logged',
  'Meeting Held',
  'Email Sent',
  'Note Added',
  'Message Sent',
  'Message Delivered',
  'Message Bounced',
  'Message Opened',
  'Message Clicked',
  'Message Replied',
  'Unsubscribed',
  'Task Created',
  'Task Completed',
  'Signal Raised',
  'Signal Cleared',
  'Promise Made',
  'Promise Changed',
  'Promise Kept',
  'Promise Withdrawn',
] as const;

const refusedEvents = new Map(eventsRefusedToBrowsers.map((name) => [name.toLowerCase(), name]));

/** Where a message can name an account other than its person's: only a server may say which. */
const accountReferences = [
  ['context', 'groupId'],
  ['properties', 'accountId'],
] as const;

const refusedTraits = new Map(traitsRefusedToBrowsers.map((trait) => [trait.toLowerCase(), trait]));

const fromServer = 'send it from a server-side source (a write key of kind server)';

/**
 * What a browser key may not send in these messages (in the order sent), each named by its field; empty
 * when everything is allowed. `batch`: the messages came in a batch, so fields carry their index.
 */
export function browserKeyProblems(messages: readonly TrackingMessage[], batch: boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  messages.forEach((message, index) => {
    const path = batch ? `batch[${index}].` : '';
    const at = batch ? { index } : {};
    switch (message.type) {
      case 'track':
      case 'page':
      case 'screen': {
        const refused = message.type === 'track' ? refusedEvents.get(message.event.toLowerCase()) : undefined;
        if (refused !== undefined) {
          const what =
            `${refused} may not be sent with a browser write key ` +
            `(anyone can read a web page's key): ${fromServer}`;
          problems.push({ field: `${path}event`, message: what, ...at });
        }
        for (const [part, key] of accountReferences) {
          const values: Record<string, unknown> = part === 'context' ? message.context : message.properties;
          if (values[key] === undefined || values[key] === null) continue;
          const what =
            'may not name an account with a browser write key ' +
            `(events count for the person's own account): ${fromServer}`;
          problems.push({ field: `${path}${part}.${key}`, message: what, ...at });
        }
        break;
      }
      case 'identify':
        for (const key of Object.keys(message.traits)) {
          const refused = refusedTraits.get(key.toLowerCase());
          if (refused === undefined) continue;
          const what = `may not be set with a browser write key (${refused} is the business's to set): ${fromServer}`;
          problems.push({ field: `${path}traits.${key}`, message: what, ...at });
        }
        break;
      case 'group':
      case 'alias': {
        const what = `${message.type} calls may not be sent with a browser write key: ${fromServer}`;
        problems.push({ field: `${path}type`, message: what, ...at });
        break;
      }
      default:
        return assertNever(message);
    }
  });
  return problems;
}
