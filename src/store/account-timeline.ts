// Everything that happened with one account, newest first: its events (the customer's and Tend's own:
// messages sent and replies, tasks, signals raised and cleared) and the touches logged or imported
// without an event. A page at a time, keyset on (time, id) over the two tables' account indexes.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { eventNamesOfKind, type TimelineKind } from '../domain/relationship/timeline-entry.js';
import { exactTime } from './exact-time.js';
import { tendSourceId } from './own-events.js';
import type { Database } from './schema.js';

/** Where a page starts: after the entry at this instant with this id (both as the database wrote them). */
export interface TimelinePosition {
  readonly at: string;
  readonly id: string;
}

export interface TimelineQuery {
  readonly accountId: string;
  /** The kinds to show; all when empty. */
  readonly kinds: readonly TimelineKind[];
  readonly limit: number;
  readonly after: TimelinePosition | null;
}

export interface TimelineRow {
  readonly source: 'event' | 'interaction';
  /** Tend itself recorded the event (a message sent, a task, a signal). */
  readonly byTend: boolean;
  readonly id: string;
  readonly at: Date;
  /** The event's name (its type for nameless calls: identify, group); null for a touch. */
  readonly name: string | null;
  readonly properties: Record<string, unknown>;
  readonly contactId: string | null;
  readonly contactName: string | null;
  readonly contactEmail: string | null;
  readonly channel: string | null;
  readonly direction: string | null;
  readonly actor: string | null;
  readonly userEmail: string | null;
  readonly objective: string | null;
  readonly summary: string | null;
  readonly position: TimelinePosition;
}

/** Events whose names are of the kinds asked for; `event` is every name the other kinds do not claim. */
function eventNames(kinds: readonly TimelineKind[]): RawBuilder<boolean> {
  const claimed = Object.values(eventNamesOfKind).flat();
  const conditions = kinds.map((kind) =>
    kind === 'event'
      ? sql`(events.name is null or not (events.name = any(${claimed}::text[])))`
      : sql`events.name = any(${[...eventNamesOfKind[kind]]}::text[])`,
  );
  return sql<boolean>`(${sql.join(conditions, sql` or `)})`;
}

interface EntryRow {
  source: 'event' | 'interaction';
  by_tend: boolean;
  id: string;
  at: Date;
  at_text: string;
  name: string | null;
  properties: Record<string, unknown>;
  contact_id: string | null;
  contact_name: string | null;
  contact_email: string | null;
  channel: string | null;
  direction: string | null;
  actor: string | null;
  user_email: string | null;
  objective: string | null;
  summary: string | null;
}

/** One page of the account's timeline, and one entry more when there are more. */
export async function accountTimeline(database: Kysely<Database>, query: TimelineQuery): Promise<TimelineRow[]> {
  const kinds = query.kinds.length === 0 ? (['event', 'touch', 'message', 'task', 'signal'] as const) : query.kinds;
  const take = query.limit + 1;
  const before = (table: 'events' | 'interactions') => {
    if (query.after === null) return sql``;
    const key = sql`(${sql.ref(`${table}.occurred_at`)}, ${sql.ref(`${table}.id`)})`;
    return sql`and ${key} < (${query.after.at}::timestamptz, ${query.after.id}::uuid)`;
  };
  const parts: RawBuilder<unknown>[] = [
    sql`(select 'event' as source, events.source_id = ${tendSourceId}::uuid as by_tend, events.id,
        events.occurred_at as at, coalesce(events.name, events.type) as name,
        events.properties, events.contact_id, null::text as channel, null::text as direction, null::text as actor,
        null::text as user_email, null::text as objective, null::text as summary
      from events where events.account_id = ${query.accountId} and ${eventNames(kinds)} ${before('events')}
      order by events.occurred_at desc, events.id desc limit ${take})`,
  ];
  // Touches an event recorded (a Call Logged, a Message Sent) are on the timeline as that event.
  if (kinds.includes('touch')) {
    parts.push(sql`(select 'interaction' as source, false as by_tend, interactions.id, interactions.occurred_at as at,
        null::text as name,
        '{}'::jsonb as properties, interactions.contact_id, interactions.channel, interactions.direction,
        interactions.actor, interactions.user_email, interactions.objective, interactions.summary
      from interactions where interactions.account_id = ${query.accountId}
        and (interactions.external_id is null or interactions.external_id not like 'event:%') ${before('interactions')}
      order by interactions.occurred_at desc, interactions.id desc limit ${take})`);
  }
  const result = await sql<EntryRow>`
    select entry.*, ${exactTime(sql`entry.at`)} as at_text, contacts.name as contact_name,
      contacts.email as contact_email
    from (${sql.join(parts, sql` union all `)}) entry
    left join contacts on contacts.id = entry.contact_id
    order by entry.at desc, entry.id desc
    limit ${take}`.execute(database);
  return result.rows.map((row) => ({
    source: row.source,
    byTend: row.by_tend,
    id: row.id,
    at: row.at,
    name: row.name,
    properties: row.properties,
    contactId: row.contact_id,
    contactName: row.contact_name,
    contactEmail: row.contact_email,
    channel: row.channel,
    direction: row.direction,
    actor: row.actor,
    userEmail: row.user_email,
    objective: row.objective,
    summary: row.summary,
    position: { at: row.at_text, id: row.id },
  }));
}
