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
      case 'screen':
        break;
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
