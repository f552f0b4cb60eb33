// The Segment Tracking API messages Tend accepts, once validated: one discriminated union, so that
// every consumer handles every kind (identify, track, page, screen, group, alias).

export type TrackingMessageType = 'identify' | 'track' | 'page' | 'screen' | 'group' | 'alias';

export const trackingMessageTypes: readonly TrackingMessageType[] = [
  'identify',
  'track',
  'page',
  'screen',
  'group',
  'alias',
];

export type JsonObject = Record<string, unknown>;

interface MessageBase {
  /** The SDK's id for this message: with the source, the idempotency key. */
  readonly messageId: string;
  readonly userId: string | null;
  readonly anonymousId: string | null;
  /** When it happened; null when the sender gave no time (the receiving clock stamps it). */
  readonly timestamp: Date | null;
  readonly context: JsonObject;
}

export type TrackingMessage =
  | (MessageBase & { readonly type: 'identify'; readonly traits: JsonObject })
  | (MessageBase & { readonly type: 'track'; readonly event: string; readonly properties: JsonObject })
  | (MessageBase & { readonly type: 'page'; readonly name: string | null; readonly properties: JsonObject })
  | (MessageBase & { readonly type: 'screen'; readonly name: string | null; readonly properties: JsonObject })
  | (MessageBase & { readonly type: 'group'; readonly groupId: string; readonly traits: JsonObject })
  | (MessageBase & { readonly type: 'alias'; readonly previousId: string });

/** For an exhaustive switch: a kind nobody handled is a compile error here. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}

/** The event name a message is stored under (track's event; page and screen views; the call type otherwise). */
export function eventNameOf(message: TrackingMessage): string {
  switch (message.type) {
    case 'track':
      return message.event;
    case 'page':
      return 'Page Viewed';
    case 'screen':
      return 'Screen Viewed';
    case 'identify':
      return 'Identify';
    case 'group':
      return 'Group';
    case 'alias':
      return 'Alias';
    default:
      return assertNever(message);
  }
}

/**
 * The account an event belongs to, when the sender said: context.groupId, properties.accountId, or the
 * group call's own id.
 */
export function declaredAccountOf(message: TrackingMessage): string | null {
  if (message.type === 'group') return message.groupId;
  const fromContext = message.context.groupId;
  if (typeof fromContext === 'string' && fromContext !== '') return fromContext;
  if (message.type === 'track' || message.type === 'page' || message.type === 'screen') {
    const fromProperties = message.properties.accountId;
    if (typeof fromProperties === 'string' && fromProperties !== '') return fromProperties;
    if (typeof fromProperties === 'number') return String(fromProperties);
  }
  return null;
}
