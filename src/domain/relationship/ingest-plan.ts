// What an ingested event changes beyond the events table, in the same transaction: touches become
// interaction records, activity is counted per account and day, and per person (for disengagement), and the accounts
// whose signals the event can change are marked due for evaluation, so that no signal depends on a
// process staying up. An event that changes nothing an evaluation reads (a repeated "Feature Used", a
// page view) marks nothing: it would only queue its account ahead of the ones that need a look.
// The queue's other side, how engines take accounts from it, is here too.
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { touchFromEvent } from './touch-events.js';
import { factEventNames } from '../../store/account-snapshots.js';
import type { JsonObject } from '../tracking-message.js';
import { newId } from '../../store/ids.js';
import { type IngestHold, queueAccounts, writeDerivedRecords } from '../../store/derived-record-writes.js';
import type { WritePart } from '../../store/write-together.js';
import type { ClaimedAccount } from '../../store/account-due-times.js';
import type { Database } from '../../store/schema.js';

/** The parts of the relationship policy the ingest path needs. */
export interface IngestPolicy {
  /** Event names counted per day as activity (disengagement, milestones); only their first occurrence queues an evaluation. */
  readonly activityNames: ReadonlySet<string>;
  /** Of those, the ones also counted per person (disengagement's activities); none when absent. */
  readonly personActivityNames?: ReadonlySet<string>;
  /** Event names that start playbooks: queued for the journey engine in the same transaction. */
  readonly triggerNames?: ReadonlySet<string>;
  /** Event names playbook runs wait for: their arrival makes those runs due at once. */
  readonly awaitedNames?: ReadonlySet<string>;
  /**
   * Evaluates the accounts this transaction made due in the transaction itself, so that a signal is
   * committed with the event that raised it; the accounts it does not hold are queued for the lanes.
   */
  readonly evaluateDue?: IngestEvaluator;
}

/** The engine's side of an evaluation at ingest; the writer holds the accounts between the two calls. */
export interface IngestEvaluator {
  /**
   * When to evaluate the accounts events received at `receivedAt` made due, `accountCount` of them
   * known before the write (first occurrences add more), and how many at most; null leaves them all
   * to the lanes.
   */
  holdFor(accountCount: number, receivedAt: Date): IngestHold | null;
  /**
   * Evaluates the held accounts and says whether it started playbook runs. Throws
   * EvaluationAtIngestFailed if it fails: the events are then written again without it.
   */
  evaluateHeld(
    trx: Transaction<Database>,
    held: readonly ClaimedAccount[],
    at: Date,
  ): Promise<{ readonly startedRuns: boolean }>;
}

/**
 * An evaluation at ingest failed and aborted its transaction. The writer then stores the same events
 * again, without the evaluation; a rare second pass costs less than a savepoint around every
 * evaluation (two round trips each: docs/benchmarks/2026-12-01-signals.md, "No savepoint").
 */
export class EvaluationAtIngestFailed extends Error {
  constructor(cause: unknown) {
    super(`evaluating accounts at ingest failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'EvaluationAtIngestFailed';
  }
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

const day = (at: Date): string => at.toISOString().slice(0, 10);
const factNames: ReadonlySet<string> = new Set(factEventNames);
/**
 * A map's rows in the order of its keys (the account, then the rest, joined by U+0000, which sorts
 * first): concurrent ingest transactions then lock the same rows in one order.
 */
const inKeyOrder = <T>(rows: ReadonlyMap<string, T>): T[] =>
  [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);

/**
 * The interactions row a touch event records (a call, a meeting, an e-mail, Tend's own message), or
 * null when the event is no touch or belongs to nobody. Keyed by the event, so it is written once.
 */
export function touchRecord(
  event: Pick<StoredEvent, 'sourceId' | 'messageId' | 'name' | 'accountId' | 'contactId' | 'occurredAt' | 'properties'>,
  createdAt: Date,
) {
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

/**
 * What an ingest left the engine to do after its commit: nothing (the transaction settled it), only
 * playbook work (runs started or woken, trigger events queued), or accounts to evaluate (queued for
 * the lanes, which wake the journeys after them). Only what is left is woken: a round of the
 * evaluation lanes that finds nothing still costs several statements, on the embedded database on
 * the connection ingest shares.
 */
export type EngineWork = 'none' | 'journeys' | 'evaluation';

/**
 * Writes the events (`leading`: their insert) and what they imply, then evaluates the accounts they
 * made due; returns what the engine has left to do after the commit.
 */
export async function deriveRelationshipRecords(
  trx: Transaction<Database>,
  leading: readonly WritePart[],
  events: readonly StoredEvent[],
  receivedAt: Date,
  policy: IngestPolicy,
): Promise<EngineWork> {
  const interactions = [];
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
      const touch = touchRecord(event, receivedAt);
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
  // First occurrences make their accounts due too; the statement finds which are new.
  const hold = policy.evaluateDue?.holdFor(due.size, receivedAt) ?? null;
  const records = {
    triggers,
    facts,
    firsts: inKeyOrder(firsts),
    awaited: inKeyOrder(awaited),
    interactions,
    activity: inKeyOrder(activity),
    personActivity: inKeyOrder(personActivity),
  };
  const written = await writeDerivedRecords(
    trx,
    leading,
    records,
    { accountIds: [...due], at: receivedAt, hold },
    receivedAt,
  );
  let startedRuns = false;
  if (policy.evaluateDue && hold !== null && written.held.length > 0)
    startedRuns = (await policy.evaluateDue.evaluateHeld(trx, written.held, hold.at)).startedRuns;
  if (written.queued) return 'evaluation';
  return startedRuns || triggers.length > 0 || written.woken ? 'journeys' : 'none';
}

/**
 * Makes accounts due for evaluation at `at`, in the event lane, which the engine serves before the
 * time-driven sweep. An insert into the queue, not an update of the account: it never waits for an
 * evaluation holding the account's row, and an evaluation in flight leaves this row for the next one.
 */
export async function markAccountsDue(
  trx: Transaction<Database> | Kysely<Database>,
  accountIds: readonly string[],
  at: Date,
): Promise<void> {
  if (accountIds.length === 0) return;
  // Only accounts that exist: an event may name an account no group call has created (yet).
  await queueAccounts(sql`id = any(${[...accountIds]}::text[])`, at).execute(trx);
}

/**
 * Locks accounts queued by events, from the oldest queue rows, that no other engine holds. The window
 * is wider than the batch, and the limit comes after SKIP LOCKED, so that a second engine takes the
 * next accounts instead of finding the same oldest ones locked (an account with many rows counts once).
 * The caller must then take their queue rows with `takeQueuedEvents` before reading anything.
 */
export async function lockQueuedAccounts(
  trx: Transaction<Database>,
  now: Date,
  limit: number,
): Promise<ClaimedAccount[]> {
  const locked = await sql<ClaimedAccount>`
    select id, owner_email from accounts
    where id in (select account_id from account_event_queue where due_at <= ${now} order by due_at limit ${limit * 4})
    order by id limit ${limit} for update skip locked`.execute(trx);
  return locked.rows;
}

/**
 * Deletes the queue rows of locked accounts up to `now` and returns the accounts that had any. An
 * event that commits after this delete keeps its row, so its account is looked at again after the
 * evaluation that follows; the evaluation reads after this delete, so it sees every event whose row
 * went.
 */
export async function takeQueuedEvents(
  trx: Transaction<Database>,
  accountIds: readonly string[],
  now: Date,
): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const taken = await sql<{ account_id: string }>`
    delete from account_event_queue where account_id = any(${[...accountIds]}::text[]) and due_at <= ${now}
    returning account_id`.execute(trx);
  return new Set(taken.rows.map((row) => row.account_id));
}
