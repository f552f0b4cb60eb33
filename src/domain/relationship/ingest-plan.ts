// What ingested events change beyond the events table, decided from the stored events alone: touches
// become interaction records, activity is counted per account and day, and per person (for
// disengagement), and the accounts whose signals the events can change are due for evaluation, so that
// no signal depends on a process staying up. An event that changes nothing an evaluation reads (a
// repeated "Feature Used", a page view) makes nothing due: it would only queue its account ahead of the
// ones that need a look. Pure: the plan is a plain value, which the store writes in one statement.
import type { JsonObject } from '../tracking-message.js';
import { factEventNames } from './event-facts.js';
import { touchFromEvent } from './touch-events.js';

/** The parts of the relationship policy the ingest path needs. */
export interface IngestPolicy {
  /**
   * Event names counted per day as activity (disengagement, milestones); only their first occurrence
   * queues an evaluation.
   */
  readonly activityNames: ReadonlySet<string>;
  /** Of those, the ones also counted per person (disengagement's activities); none when absent. */
  readonly personActivityNames?: ReadonlySet<string>;
  /** Event names that start playbooks: queued for the journey engine in the same transaction. */
  readonly triggerNames?: ReadonlySet<string>;
  /** Event names playbook runs wait for: their arrival makes those runs due at once. */
  readonly awaitedNames?: ReadonlySet<string>;
}

export const noIngestPolicy: IngestPolicy = {
  activityNames: new Set(['Signed In']),
  personActivityNames: new Set(['Signed In']),
};

export interface StoredEvent {
  readonly sourceId: string;
  readonly messageId: string;
  readonly type: string;
  readonly name: string;
  readonly contactId: string | null;
  readonly accountId: string | null;
  readonly occurredAt: Date;
  readonly properties: JsonObject;
}

/** A new record's id for an instant (UUIDv7: the store's newId). */
export type NewId = (at: number) => string;

declare const keyOrdered: unique symbol;

/**
 * Rows in the order of their keys: rows that a write may find already there (and so lock) are written
 * in this order by every ingest, so that concurrent ingests lock them in one order and never deadlock.
 */
export type KeyOrdered<T> = readonly T[] & { readonly [keyOrdered]: true };

/**
 * A map's rows in the order of its keys (the account, then the rest, joined by U+0000, which sorts
 * first), the lock order of the rows they are written to.
 */
const inKeyOrder = <T>(rows: ReadonlyMap<string, T>): KeyOrdered<T> =>
  [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row) as unknown as KeyOrdered<T>;

/** The records an ingest derives from its events, as the rows of the tables they go to. */
export interface DerivedRecords {
  readonly triggers: readonly {
    event_name: string;
    account_id: string | null;
    contact_id: string | null;
    properties: string;
    occurred_at: Date;
    queued_at: Date;
  }[];
  readonly facts: readonly {
    account_id: string;
    name: string;
    occurred_at: Date;
    contact_id: string | null;
    properties: string;
  }[];
  readonly firsts: KeyOrdered<{ account_id: string; name: string; first_at: Date }>;
  /** Accounts and the event names their runs may be waiting for. */
  readonly awaited: KeyOrdered<{ account_id: string; name: string }>;
  readonly interactions: readonly InteractionRecord[];
  readonly activity: KeyOrdered<{ account_id: string; activity: string; day: string; count: number }>;
  /** The same counts per person, for the activities judged per person too. */
  readonly personActivity: KeyOrdered<{
    account_id: string;
    activity: string;
    day: string;
    contact_id: string;
    count: number;
  }>;
}

export interface InteractionRecord {
  id: string;
  external_id: string;
  account_id: string | null;
  contact_id: string | null;
  user_email: string | null;
  channel: string;
  direction: string;
  actor: string;
  two_way: boolean;
  objective: string | null;
  summary: string | null;
  occurred_at: Date;
  created_at: Date;
}

/** What the store writes for ingested events, with them, and which accounts they made due. */
export interface IngestPlan {
  readonly records: DerivedRecords;
  /**
   * The accounts the events made due. An event that is the first of its name for its account makes
   * that account due too; which ones are first is known only to the statement that writes `firsts`.
   */
  readonly dueAccountIds: readonly string[];
}

const day = (at: Date): string => at.toISOString().slice(0, 10);
const factNames: ReadonlySet<string> = new Set(factEventNames);

/**
 * The interactions row a touch event records (a call, a meeting, an e-mail, Tend's own message), or
 * null when the event is no touch or belongs to nobody. Keyed by the event, so it is written once.
 */
export function touchRecord(
  event: Pick<StoredEvent, 'sourceId' | 'messageId' | 'name' | 'accountId' | 'contactId' | 'occurredAt' | 'properties'>,
  createdAt: Date,
  newId: NewId,
): InteractionRecord | null {
  const touch = touchFromEvent(event.name, event.properties);
  if (touch === null || (event.accountId === null && event.contactId === null)) return null;
  return {
    id: newId(event.occurredAt.getTime()),
    external_id: `event:${event.sourceId}:${event.messageId}`,
    account_id: event.accountId,
    contact_id: event.contactId,
    user_email: touch.userEmail,
    channel: touch.channel,
    direction: touch.direction,
    actor: touch.actor,
    two_way: touch.twoWay,
    objective: touch.objective,
    summary: touch.summary,
    occurred_at: event.occurredAt,
    created_at: createdAt,
  };
}

/** Plans what `events`, stored at `receivedAt`, imply under `policy`. */
export function planDerivedRecords(
  events: readonly StoredEvent[],
  policy: IngestPolicy,
  receivedAt: Date,
  newId: NewId,
): IngestPlan {
  const interactions: InteractionRecord[] = [];
  const activity = new Map<string, { account_id: string; activity: string; day: string; count: number }>();
  const personActivity = new Map<
    string,
    { account_id: string; activity: string; day: string; contact_id: string; count: number }
  >();
  const due = new Set<string>();
  const triggers = [];
  const awaited = new Map<string, { account_id: string; name: string }>();
  const facts = [];
  const firsts = new Map<string, { account_id: string; name: string; first_at: Date }>();
  for (const event of events) {
    if (event.accountId !== null) {
      if (factNames.has(event.name)) {
        facts.push({
          account_id: event.accountId,
          name: event.name,
          occurred_at: event.occurredAt,
          contact_id: event.contactId,
          properties: JSON.stringify(event.properties),
        });
        due.add(event.accountId);
      }
      // Traits (money, owner, renewal date, lifecycle stage) feed tiers and signals.
      if (event.type === 'group') due.add(event.accountId);
      const key = `${event.accountId}\u0000${event.name}`;
      const seen = firsts.get(key);
      if (!seen || event.occurredAt < seen.first_at)
        firsts.set(key, { account_id: event.accountId, name: event.name, first_at: event.occurredAt });
    }
    if (event.accountId !== null && policy.awaitedNames?.has(event.name))
      awaited.set(`${event.accountId}\u0000${event.name}`, { account_id: event.accountId, name: event.name });
    if (policy.triggerNames?.has(event.name) && (event.accountId !== null || event.contactId !== null)) {
      triggers.push({
        event_name: event.name,
        account_id: event.accountId,
        contact_id: event.contactId,
        properties: JSON.stringify(event.properties),
        occurred_at: event.occurredAt,
        queued_at: receivedAt,
      });
    }
    if (event.type === 'track') {
      const touch = touchRecord(event, receivedAt, newId);
      if (touch) {
        interactions.push(touch);
        if (event.accountId !== null) due.add(event.accountId);
      }
    }
    if (event.accountId === null) continue;
    if (policy.activityNames.has(event.name)) {
      const key = `${event.accountId}\u0000${event.name}\u0000${day(event.occurredAt)}`;
      const counted = activity.get(key);
      if (counted) counted.count++;
      else
        activity.set(key, { account_id: event.accountId, activity: event.name, day: day(event.occurredAt), count: 1 });
    }
    if (event.contactId !== null && policy.personActivityNames?.has(event.name)) {
      const key = `${event.accountId}\u0000${event.name}\u0000${day(event.occurredAt)}\u0000${event.contactId}`;
      const counted = personActivity.get(key);
      if (counted) counted.count++;
      else
        personActivity.set(key, {
          account_id: event.accountId,
          activity: event.name,
          day: day(event.occurredAt),
          contact_id: event.contactId,
          count: 1,
        });
    }
  }
  return {
    records: {
      triggers,
      facts,
      firsts: inKeyOrder(firsts),
      awaited: inKeyOrder(awaited),
      interactions,
      activity: inKeyOrder(activity),
      personActivity: inKeyOrder(personActivity),
    },
    dueAccountIds: [...due],
  };
}
