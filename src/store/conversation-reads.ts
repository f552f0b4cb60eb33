// Reads of conversations, always within a viewer's book (an account's owner owns its conversations, and
// follows when the account changes hands): the list (waiting ones first, the longest wait first; keyset
// pages along two partial indexes), one conversation, and its thread with Tend's automated messages
// read from the outbox beside what the customer and people wrote.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ConversationChannel, ConversationStatus } from '../domain/relationship/conversation.js';
import type { Book } from '../domain/viewer.js';
import { accountInBook } from './book-scope.js';
import { exactTime } from './exact-time.js';
import type { Database } from './schema.js';

/** A conversation as lists and pages show it. */
export interface ConversationRow {
  readonly id: string;
  readonly contactId: string;
  readonly contactName: string | null;
  readonly accountId: string | null;
  readonly accountName: string | null;
  readonly ownerEmail: string | null;
  readonly ownerName: string | null;
  readonly channel: ConversationChannel;
  readonly customerAddress: string;
  readonly tendAddress: string | null;
  readonly subject: string | null;
  readonly lastMessageId: string | null;
  readonly waitingSince: Date | null;
  readonly answeredAt: Date | null;
  readonly lastInboundAt: Date;
  readonly lastMessageAt: Date;
  /** The start of the customer's latest message. */
  readonly preview: string | null;
}

/** Where a page of the list starts: the part (waiting, answered), its sort time exactly, and the id. */
export interface ConversationPosition {
  readonly phase: ConversationStatus;
  readonly at: string;
  readonly id: string;
}

export interface ConversationQuery {
  readonly book: Book;
  readonly ownerEmail: string | null;
  readonly accountId: string | null;
  readonly status: ConversationStatus | null;
  readonly limit: number;
  readonly after: ConversationPosition | null;
}

interface DetailRow {
  id: string;
  contact_id: string;
  contact_name: string | null;
  account_id: string | null;
  account_name: string | null;
  owner_email: string | null;
  owner_name: string | null;
  channel: ConversationChannel;
  customer_address: string;
  tend_address: string | null;
  subject: string | null;
  last_message_id: string | null;
  waiting_since: Date | null;
  answered_at: Date | null;
  last_inbound_at: Date;
  last_message_at: Date;
  preview: string | null;
}

/** The details of the conversations `which` selects (a condition on `c`), with names and the latest words. */
function details(which: RawBuilder<unknown>) {
  return sql<DetailRow>`select c.id, c.contact_id, contacts.name as contact_name, c.account_id,
      accounts.name as account_name, accounts.owner_email, users.name as owner_name, c.channel,
      c.customer_address, c.tend_address, c.subject, c.last_message_id, c.waiting_since, c.answered_at,
      c.last_inbound_at, c.last_message_at,
      (select left(m.body, 300) from conversation_messages m
        where m.conversation_id = c.id and m.direction = 'inbound' order by m.at desc limit 1) as preview
    from conversations c
      left join contacts on contacts.id = c.contact_id
      left join accounts on accounts.id = c.account_id
      left join users on users.email = accounts.owner_email
    where ${which}`;
}

const rowOf = (row: DetailRow): ConversationRow => ({
  id: row.id,
  contactId: row.contact_id,
  contactName: row.contact_name,
  accountId: row.account_id,
  accountName: row.account_name,
  ownerEmail: row.owner_email,
  ownerName: row.owner_name,
  channel: row.channel,
  customerAddress: row.customer_address,
  tendAddress: row.tend_address,
  subject: row.subject,
  lastMessageId: row.last_message_id,
  waitingSince: row.waiting_since,
  answeredAt: row.answered_at,
  lastInboundAt: row.last_inbound_at,
  lastMessageAt: row.last_message_at,
  preview: row.preview,
});

/** The conversation, when it is in the book; outside it, as unknown as a wrong id. */
export async function findConversation(
  database: Kysely<Database>,
  id: string,
  book: Book,
): Promise<ConversationRow | null> {
  const result = await details(sql`c.id = ${id} and ${accountInBook(book, 'c.account_id')}`).execute(database);
  const row = result.rows[0];
  return row === undefined ? null : rowOf(row);
}

/**
 * A page of the list, and one more row when there are more: the waiting conversations first, the longest
 * wait first, then the answered ones, the latest first. Each part walks its own partial index.
 */
export async function listConversations(
  database: Kysely<Database>,
  query: ConversationQuery,
): Promise<(ConversationRow & { readonly position: ConversationPosition })[]> {
  const conditions: RawBuilder<unknown>[] = [accountInBook(query.book, 'c.account_id')];
  if (query.ownerEmail !== null)
    conditions.push(sql`c.account_id in (select id from accounts where owner_email = ${query.ownerEmail})`);
  if (query.accountId !== null) conditions.push(sql`c.account_id = ${query.accountId}`);
  const where = sql.join(conditions, sql` and `);
  const take = query.limit + 1;
  const phases = (['open', 'answered'] as const).filter((phase) => query.status === null || query.status === phase);
  const started = query.after === null ? 0 : phases.indexOf(query.after.phase as never);
  if (started < 0) return [];
  const branches = phases.slice(started).map((phase, index) => {
    const after = index === 0 ? query.after : null;
    if (phase === 'open') {
      const past =
        after === null ? sql`` : sql`and (c.waiting_since, c.id) > (${after.at}::timestamptz, ${after.id}::uuid)`;
      return sql`(select c.id, 0 as part, ${exactTime(sql`c.waiting_since`)} as key from conversations c
        where ${where} and c.waiting_since is not null ${past} order by c.waiting_since, c.id limit ${take})`;
    }
    const past =
      after === null ? sql`` : sql`and (c.last_message_at, c.id) < (${after.at}::timestamptz, ${after.id}::uuid)`;
    return sql`(select c.id, 1 as part, ${exactTime(sql`c.last_message_at`)} as key from conversations c
      where ${where} and c.waiting_since is null ${past} order by c.last_message_at desc, c.id desc limit ${take})`;
  });
  if (branches.length === 0) return [];
  const page = await sql<{ id: string; part: number; key: string }>`
    select id, part, key from (${sql.join(branches, sql` union all `)}) page
    order by part, case when part = 0 then key end, case when part = 0 then id end,
      case when part = 1 then key end desc, case when part = 1 then id end desc
    limit ${take}`.execute(database);
  if (page.rows.length === 0) return [];
  const ids = page.rows.map((row) => row.id);
  const found = await details(sql`c.id = any(${ids}::uuid[])`).execute(database);
  const byId = new Map(found.rows.map((row) => [row.id, rowOf(row)]));
  return page.rows.flatMap((row) => {
    const conversation = byId.get(row.id);
    if (conversation === undefined) return [];
    const phase: ConversationStatus = row.part === 0 ? 'open' : 'answered';
    return [{ ...conversation, position: { phase, at: row.key, id: row.id } }];
  });
}

/** One entry of a thread: the customer's message, a person's reply, or one of Tend's automated messages. */
export interface ThreadEntry {
  readonly id: string;
  readonly author: 'customer' | 'person' | 'automated';
  readonly channel: string;
  readonly subject: string | null;
  readonly text: string | null;
  /** Who wrote a reply (their e-mail), and their name. */
  readonly by: string | null;
  readonly byName: string | null;
  /** The playbook template of an automated message. */
  readonly template: string | null;
  readonly at: Date;
  /** Where an outbound message stands in the outbox (pending, sent, skipped…); null for the customer's. */
  readonly status: string | null;
  readonly reason: string | null;
  readonly nextAttemptAt: Date | null;
}

/** How many entries a thread shows: the latest ones. */
export const threadLength = 200;

/**
 * The latest entries of the thread, oldest first: what the customer wrote and people answered, and the
 * automated messages to the contact that went out or wait to (from the outbox, along its contact index).
 */
export async function conversationThread(
  database: Kysely<Database>,
  conversation: { readonly id: string; readonly contactId: string },
): Promise<{ entries: ThreadEntry[]; olderNotShown: boolean }> {
  const take = threadLength + 1;
  const result = await sql<{
    id: string;
    author: ThreadEntry['author'];
    channel: string;
    subject: string | null;
    text: string | null;
    by: string | null;
    by_name: string | null;
    template: string | null;
    at: Date;
    status: string | null;
    reason: string | null;
    next_attempt_at: Date | null;
  }>`select * from (
      (select m.id, case when m.direction = 'inbound' then 'customer' else 'person' end as author, m.channel,
        m.subject, m.body as text, m.user_email as by, users.name as by_name, null::text as template,
        m.at, o.status, o.reason, case when o.status = 'pending' then o.next_attempt_at end as next_attempt_at
      from conversation_messages m
        left join outbox o on o.id = m.outbox_id
        left join users on users.email = m.user_email
      where m.conversation_id = ${conversation.id} order by m.at desc limit ${take})
      union all
      (select o.id, 'automated' as author, o.channel, o.message->>'subject' as subject,
        coalesce(o.message->>'text', o.message->>'body') as text, null as by, null as by_name,
        o.payload->>'template' as template, coalesce(o.sent_at, o.created_at) as at, o.status, o.reason,
        case when o.status = 'pending' then o.next_attempt_at end as next_attempt_at
      from outbox o
      where o.contact_id = ${conversation.contactId} and o.run_id is not null and o.channel in ('email', 'sms')
        and o.status in ('pending', 'sending', 'sent', 'delivered-locally', 'unconfirmed')
      order by o.created_at desc limit ${take})
    ) entries order by at desc, id desc limit ${take}`.execute(database);
  const rows = result.rows.slice(0, threadLength).reverse();
  return {
    olderNotShown: result.rows.length > threadLength,
    entries: rows.map((row) => ({
      id: row.id,
      author: row.author,
      channel: row.channel,
      subject: row.subject,
      text: row.text,
      by: row.by,
      byName: row.by_name,
      template: row.template,
      at: row.at,
      status: row.status,
      reason: row.reason,
      nextAttemptAt: row.next_attempt_at,
    })),
  };
}

/** How many Message-IDs a reply's References names at most: the latest, which clients thread by. */
const referencesKept = 12;

/**
 * The Message-IDs of the thread's e-mails, oldest first, as a reply's References lists them (RFC 5322
 * 3.6.4), so that every mail client threads the answer with what came before, whoever wrote it: the
 * customer's messages, Tend's automated ones and people's answers. A long thread keeps its latest.
 */
export async function threadReferences(
  database: Kysely<Database>,
  conversation: { readonly id: string; readonly contactId: string },
): Promise<string[]> {
  const result = await sql<{ message_id: string }>`select message_id from (
      (select substr(m.reference, 7) as message_id, m.at from conversation_messages m
      where m.conversation_id = ${conversation.id} and m.direction = 'inbound' and m.channel = 'email'
        and m.reference like 'email:<%>'
      order by m.at desc limit ${referencesKept})
      union all
      (select o.provider_message_id as message_id, coalesce(o.sent_at, o.created_at) as at
      from conversation_messages m join outbox o on o.id = m.outbox_id
      where m.conversation_id = ${conversation.id} and m.direction = 'outbound' and o.channel = 'email'
        and o.provider_message_id like '<%>'
      order by m.at desc limit ${referencesKept})
      union all
      (select o.provider_message_id as message_id, coalesce(o.sent_at, o.created_at) as at from outbox o
      where o.contact_id = ${conversation.contactId} and o.run_id is not null and o.channel = 'email'
        and o.provider_message_id like '<%>'
      order by o.created_at desc limit ${referencesKept})
    ) thread order by at`.execute(database);
  const ids = [...new Set(result.rows.map((row) => row.message_id))].filter((id) => /^<[^<>\s]{1,900}>$/.test(id));
  return ids.slice(-referencesKept);
}
