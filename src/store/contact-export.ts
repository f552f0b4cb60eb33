// Everything Tend holds about one person (GDPR article 15), as one JSON document written piece by
// piece: the small parts at once, the events, messages and replies a page at a time, so that a person
// with a hundred thousand events is exported in constant memory. The pages are read one after the
// other, not in one snapshot: an event that arrives during the export may or may not be in it.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { findStoredPerson, type StoredPerson } from './erasure.js';
import type { Database } from './schema.js';

const pageSize = 1000;

export interface ContactExport {
  /** The id the person is stored under (a merged id resolves to it). */
  readonly userId: string;
  /** The document, in pieces of JSON text. */
  chunks(): AsyncGenerator<string>;
}

type Row = Record<string, unknown>;

/** Dates as ISO text, everything else as stored. */
const asText = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : value);
const plain = (row: Row): Row => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, asText(value)]));

/** The export of the person a user id names; null when Tend knows no such person. */
export async function openContactExport(
  database: Kysely<Database>,
  userId: string,
  now: Date,
): Promise<ContactExport | null> {
  const person = await findStoredPerson(database, userId);
  if (person === null) return null;
  const [main] = person.ids as [string];
  return { userId: main, chunks: () => exportDocument(database, person, now) };
}

async function* exportDocument(database: Kysely<Database>, person: StoredPerson, now: Date): AsyncGenerator<string> {
  const [main] = person.ids as [string];
  const ids = sql`${person.ids}::text[]`;
  const theirEvents = (columns: RawBuilder<unknown>, only: RawBuilder<unknown>) => eventPages(person, columns, only);
  const part = async (name: string, query: RawBuilder<Row>) =>
    `,${JSON.stringify(name)}:${JSON.stringify((await query.execute(database)).rows.map(plain))}`;
  const contact = await database.selectFrom('contacts').selectAll().where('id', '=', main).executeTakeFirstOrThrow();
  const emails = person.identities.emails.map((email) => email.trim().toLowerCase());

  yield `{"userId":${JSON.stringify(main)},"exportedAt":${JSON.stringify(now.toISOString())}`;
  yield `,"contact":${JSON.stringify({
    userId: contact.id,
    email: contact.email,
    phone: contact.phone,
    name: contact.name,
    language: contact.language,
    timezone: contact.timezone,
    traits: contact.traits,
    accountId: contact.account_id,
    createdAt: contact.created_at.toISOString(),
    updatedAt: contact.updated_at.toISOString(),
  })}`;
  yield `,"knownAs":${JSON.stringify({ userIds: person.ids.slice(1), anonymousIds: person.anonymousIds })}`;
  yield await part(
    'accounts',
    sql<Row>`select m.account_id as "accountId", a.name, m.created_at as since
    from memberships m left join accounts a on a.id = m.account_id
    where m.contact_id = any(${ids}) order by m.created_at`,
  );
  yield await part(
    'consents',
    sql<Row>`select channel, status, at, source from consents
    where contact_id = any(${ids}) order by channel, at`,
  );
  yield await part(
    'doNotContact',
    sql<Row>`select value, reason, at from do_not_contact
    where value = any(${[...person.ids, ...emails, ...person.identities.phones]}::text[]) order by at`,
  );
  yield await part(
    'undeliverableAddresses',
    sql<Row>`select address, status, reason, marked_at as "markedAt" from undeliverable_addresses
    where address = any(${emails}::text[]) order by marked_at`,
  );
  yield await part(
    'interactions',
    sql<Row>`select id, account_id as "accountId", user_email as rep, channel, direction,
      actor, two_way as "twoWay", objective, summary, occurred_at as "occurredAt"
    from interactions where contact_id = any(${ids}) order by occurred_at, id`,
  );
  yield await part(
    'signals',
    sql<Row>`select id, account_id as "accountId", kind, severity, reasons,
      raised_at as "raisedAt", cleared_at as "clearedAt"
    from signals where contact_id = any(${ids}) order by raised_at, id`,
  );
  yield await part(
    'tasks',
    sql<Row>`select id, account_id as "accountId", owner_email as owner, objective,
      talking_points as "talkingPoints", due_at as "dueAt", status, outcome, note, created_at as "createdAt",
      completed_at as "completedAt"
    from tasks where contact_id = any(${ids}) order by created_at, id`,
  );
  yield await part(
    'journeyRuns',
    sql<Row>`select id, playbook_id as "playbookId", run_group as "group", status,
      entered_at as "enteredAt", ended_at as "endedAt", end_reason as "endReason", goal_reached as "goalReached"
    from journey_runs where contact_id = any(${ids}) order by entered_at, id`,
  );
  yield `,"consentHistory":`;
  const consentEvents = sql`e.name in ('Consent Changed', 'Unsubscribed')`;
  yield* pagedArray(database, 'occurredAt', theirEvents(sql`e.name, e.properties`, consentEvents));
  yield `,"messages":`;
  yield* pagedArray(
    database,
    'createdAt',
    (after) => sql<Row>`select id, channel, recipient, status, reason,
      payload->>'template' as template, message->>'subject' as subject,
      coalesce(message->>'text', message->>'body') as text, message->>'html' as html,
      created_at as "createdAt", sent_at as "sentAt", delivered_at as "deliveredAt", outcome
    from outbox where contact_id = any(${ids}) and ${after('created_at')}
    order by created_at, id limit ${pageSize}`,
  );
  yield `,"replies":`;
  const reply = sql`e.properties->>'channel' as channel, e.properties->>'from' as "from",
    e.properties->>'summary' as subject, e.properties->>'body' as body`;
  yield* pagedArray(database, 'occurredAt', theirEvents(reply, sql`e.name = 'Message Replied'`));
  yield `,"events":`;
  const event = sql`e.type, e.name, e.account_id as "accountId", e.anonymous_id as "anonymousId", s.name as source,
    e.message_id as "messageId", e.received_at as "receivedAt", e.properties, e.context`;
  yield* pagedArray(database, 'occurredAt', theirEvents(event, sql`true`));
  yield '}';
}

type After = (column: string) => RawBuilder<unknown>;

/**
 * A page of the person's events (oldest first): one index range per id they are known by, merged,
 * so that each page reads about a page of rows whatever the person's number of events.
 */
function eventPages(
  person: StoredPerson,
  columns: RawBuilder<unknown>,
  only: RawBuilder<unknown>,
): (after: After) => RawBuilder<Row> {
  const whose = [
    ...person.ids.map((id) => sql`e.contact_id = ${id}`),
    ...person.anonymousIds.map((id) => sql`e.contact_id is null and e.anonymous_id = ${id}`),
  ];
  return (after) => {
    const branches = whose.map(
      (who) => sql`(select e.id, e.occurred_at as "occurredAt", ${columns}
      from events e left join sources s on s.id = e.source_id
      where ${who} and ${only} and ${after('e.occurred_at')} order by e.occurred_at, e.id limit ${pageSize})`,
    );
    const merged = sql.join(branches, sql` union all `);
    return sql<Row>`select * from (${merged}) as page order by "occurredAt", id limit ${pageSize}`;
  };
}

/**
 * A JSON array written a page at a time, each page after the last row of the one before (by time,
 * then id), so that no page is read twice however many rows there are.
 */
async function* pagedArray(
  database: Kysely<Database>,
  timeField: string,
  page: (after: After) => RawBuilder<Row>,
): AsyncGenerator<string> {
  let last: { at: string; id: string } | null = null;
  let first = true;
  yield '[';
  for (;;) {
    const cursor = last;
    const after: After = (column) => {
      if (cursor === null) return sql`true`;
      const id = sql.ref(column.includes('.') ? `${column.split('.')[0]}.id` : 'id');
      // The range on the time alone lets the index skip what was read; the pair breaks ties.
      const at = sql`${cursor.at}::timestamptz`;
      return sql`${sql.ref(column)} >= ${at} and (${sql.ref(column)}, ${id}) > (${at}, ${cursor.id}::uuid)`;
    };
    const { rows } = await page(after).execute(database);
    if (rows.length > 0) yield `${first ? '' : ','}${rows.map((row) => JSON.stringify(plain(row))).join(',')}`;
    first &&= rows.length === 0;
    if (rows.length < pageSize) break;
    const end = rows.at(-1)!;
    last = { at: (end[timeField] as Date).toISOString(), id: String(end.id) };
  }
  yield ']';
}
