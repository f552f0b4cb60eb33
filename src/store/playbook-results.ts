// What each playbook achieved, treated against held out: entered, sent, responded, reached the goal,
// retained, for the playbook as a whole or per health score at entry (its risk bands). Counted from the
// runs, the outbox and the subjects' events.
import { type Kysely, sql } from 'kysely';
import { type GroupCounts, noRuns } from '../domain/playbooks/group-counts.js';
import type { CountsAtEntryScore } from '../domain/playbooks/risk-band-lift.js';
import type { Book } from '../domain/viewer.js';
import { accountInBook } from './book-scope.js';
import { exactTime } from './exact-time.js';
import type { Database } from './schema.js';

/**
 * Counts per group for the given playbooks (all when `ids` is null). A run responded or was lost when
 * its account replied or clicked, or cancelled, after it entered: the account's latest such event says
 * so, found once per account along the event names' index rather than looked for run by run.
 */
export async function playbookCounts(
  database: Kysely<Database>,
  ids: readonly string[] | null,
): Promise<Map<string, { treated: GroupCounts; holdout: GroupCounts }>> {
  const counts = new Map<string, { treated: GroupCounts; holdout: GroupCounts }>();
  for (const row of await countRuns(database, ids, false)) {
    const entry = counts.get(row.playbookId) ?? { treated: noRuns(), holdout: noRuns() };
    entry[row.group] = row.counts;
    counts.set(row.playbookId, entry);
  }
  return counts;
}

/**
 * One playbook's counts per group and per health score its runs' accounts had when they entered (the
 * score each run keeps from its entry), in the same one statement: a playbook's results as a whole are
 * their sum, its results by risk band the sums over each band's scores.
 */
export async function playbookCountsByEntryScore(
  database: Kysely<Database>,
  id: string,
): Promise<CountsAtEntryScore[]> {
  return (await countRuns(database, [id], true)).map(({ group, entryScore, counts }) => ({
    group,
    entryScore,
    counts,
  }));
}

async function countRuns(database: Kysely<Database>, ids: readonly string[] | null, byEntryScore: boolean) {
  const filter = (runs: string) =>
    ids === null ? sql`true` : sql`${sql.ref(`${runs}.playbook_id`)} = any(${[...ids]}::text[])`;
  const entryScore = byEntryScore ? sql`runs.entry_health_score` : sql`null::int2`;
  const rows = await sql<{
    playbook_id: string;
    run_group: 'treated' | 'holdout';
    entry_score: number | null;
    entered: number;
    active: number;
    sent: number;
    responded: number;
    goal_reached: number;
    retained: number;
  }>`
    select runs.playbook_id, runs.run_group, ${entryScore} as entry_score,
      count(*)::int8 as entered,
      count(*) filter (where runs.status = 'active')::int8 as active,
      count(*) filter (where runs.id in (
        select run_id from outbox where outbox.status in ('sent', 'delivered-locally')))::int8 as sent,
      count(*) filter (where marks.responded_at >= runs.entered_at)::int8 as responded,
      count(*) filter (where runs.goal_reached)::int8 as goal_reached,
      count(*) filter (where not coalesce(marks.cancelled_at >= runs.entered_at, false))::int8 as retained
    from journey_runs runs left join (
      select account_id, max(occurred_at) filter (where name <> 'Subscription Cancelled') as responded_at,
        max(occurred_at) filter (where name = 'Subscription Cancelled') as cancelled_at
      from events
      where name in ('Message Replied', 'Message Clicked', 'Subscription Cancelled') and account_id is not null
        and occurred_at >= (select min(entered_at) from journey_runs earliest where ${filter('earliest')})
      group by account_id
    ) marks on marks.account_id = runs.account_id
    where ${filter('runs')}
    group by runs.playbook_id, runs.run_group, entry_score`.execute(database);
  return rows.rows.map((row) => ({
    playbookId: row.playbook_id,
    group: row.run_group,
    entryScore: row.entry_score === null ? null : Number(row.entry_score),
    counts: {
      entered: Number(row.entered),
      active: Number(row.active),
      sent: Number(row.sent),
      responded: Number(row.responded),
      goalReached: Number(row.goal_reached),
      retained: Number(row.retained),
    },
  }));
}

export interface OutboxFilter {
  readonly book: Book;
  readonly contactId?: string;
  readonly accountId?: string;
  readonly status?: string;
  readonly limit: number;
  /** Only messages made before this one, newest first (keyset paging: its exact time, and id). */
  readonly before?: { readonly at: string; readonly id: string };
}

/** The outbox, newest first: only the messages of the book's accounts, each with its account's name. */
export async function listOutbox(database: Kysely<Database>, filter: OutboxFilter) {
  let query = database
    .selectFrom('outbox')
    .selectAll('outbox')
    .select(exactTime(sql`outbox.created_at`).as('exact_created_at'))
    .orderBy('outbox.created_at', 'desc')
    .orderBy('outbox.id', 'desc')
    .limit(filter.limit);
  query = query.where(accountInBook(filter.book, 'outbox.account_id'));
  if (filter.contactId !== undefined) query = query.where('outbox.contact_id', '=', filter.contactId);
  if (filter.accountId !== undefined) query = query.where('outbox.account_id', '=', filter.accountId);
  if (filter.status !== undefined) query = query.where('outbox.status', '=', filter.status as 'pending');
  if (filter.before !== undefined) {
    const { at, id } = filter.before;
    query = query.where(sql<boolean>`(outbox.created_at, outbox.id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  // The page first, then its accounts' names (see listTasks).
  const rows = await database
    .selectFrom(query.as('page'))
    .leftJoin('accounts', 'accounts.id', 'page.account_id')
    .selectAll('page')
    .select('accounts.name as account_name')
    .orderBy('page.created_at', 'desc')
    .orderBy('page.id', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    idempotencyKey: row.idempotency_key,
    runId: row.run_id,
    accountId: row.account_id,
    accountName: row.account_name,
    contactId: row.contact_id,
    channel: row.channel,
    recipient: row.recipient,
    status: row.status,
    reason: row.reason,
    payload: row.payload,
    message: row.message,
    attempts: row.attempts,
    providerMessageId: row.provider_message_id,
    outcome: row.outcome,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    exactCreatedAt: row.exact_created_at,
  }));
}
