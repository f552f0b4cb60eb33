// The demo's events as a product would send them to Tend (Segment identify, group and track calls),
// each with a message id drawn in order, so the same story always sends the same messages.
import { textSeed } from './demo-random.js';
import type { JsonObject, TrackingMessage } from '../tracking-message.js';
import type { DemoAccount, DemoPerson } from './demo-company.js';

/** A message and the instant it happens, with its place in the story for a stable order. */
export interface Timed<T> {
  readonly at: number;
  readonly order: number;
  readonly item: T;
}

/** Message ids of one story: the seed, then a counter. */
export class MessageIds {
  private count = 0;

  constructor(private readonly seed: number) {}

  next(): string {
    this.count++;
    return `demo-${this.seed}-${this.count}`;
  }
}

export function identifyOf(ids: MessageIds, person: DemoPerson, at: Date): TrackingMessage {
  const traits: JsonObject = {
    email: person.email,
    firstName: person.firstName,
    lastName: person.lastName,
    name: `${person.firstName} ${person.lastName}`,
    phone: person.phone,
    language: person.language,
    timezone: person.timezone,
    title: person.title,
  };
  const messageId = ids.next();
  return { type: 'identify', messageId, userId: person.userId, anonymousId: null, timestamp: at, context: {}, traits };
}

/** How much an account uses the product, in the words the renewal offer picks from. */
export function usageBand(account: DemoAccount): 'high' | 'medium' | 'low' {
  const perPerson = account.people.reduce((sum, person) => sum + person.weeklySignIns, 0) / account.people.length;
  return perPerson >= 3 ? 'high' : perPerson >= 1.5 ? 'medium' : 'low';
}

/** The account's traits as its CRM knows them on its first day. */
const acquisitionChannels = ['referral', 'outbound', 'webinar', 'partner', 'website'];

export function accountTraits(account: DemoAccount, stage: string, renewalDate: string | null): JsonObject {
  const customer = stage !== 'lead';
  return {
    name: account.name,
    website: `https://${account.domain}`,
    industry: account.industry,
    country: account.country,
    currency: account.currency,
    owner: account.ownerEmail,
    lifecycleStage: stage,
    ...(customer
      ? {
          plan: account.plan,
          revenue: account.revenue,
          profit: account.profit,
          contract: account.contract,
          customerSince: account.customerSince,
          // How it was won, for retention by acquisition: by its owner, through one of the usual channels.
          acquiredAt: account.customerSince,
          acquiredBy: account.ownerEmail,
          acquisitionChannel: acquisitionChannels[textSeed(account.id) % acquisitionChannels.length],
          seats: account.people.length + Math.max(1, Math.round(account.people.length * 0.3)),
          seatsUsed: account.people.length,
          usageBand: usageBand(account),
        }
      : {}),
    ...(renewalDate === null ? {} : { renewalDate }),
  };
}

/** A group call: puts the person in the account, with the account's traits (or none). */
export function groupOf(ids: MessageIds, userId: string, groupId: string, traits: JsonObject, at: Date) {
  const messageId = ids.next();
  const message: TrackingMessage = {
    type: 'group',
    messageId,
    userId,
    anonymousId: null,
    timestamp: at,
    context: {},
    groupId,
    traits,
  };
  return message;
}

/** A track call in the account's name (context.groupId), as a product with several accounts sends it. */
export function trackOf(
  ids: MessageIds,
  userId: string,
  accountId: string,
  event: string,
  properties: JsonObject,
  at: Date,
): TrackingMessage {
  const context = { groupId: accountId };
  return { type: 'track', messageId: ids.next(), userId, anonymousId: null, timestamp: at, context, event, properties };
}
