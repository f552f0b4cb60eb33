// The daily digest's bookkeeping: when each person's next one falls due (08:00 in their own time zone),
// what it lists besides the today list and the oversight (their open tasks, tasks escalated to them,
// notices they chose to get in it), and writing it exactly once per person and local day.
import { type Kysely, sql } from 'kysely';
import type { DigestLine, StaffNoticePayload } from '../domain/staff-notices.js';
import { retriedTransaction } from './contention-retry.js';
import type { Database } from './schema.js';
import { noticeRecipient, writeStaffMessages } from './staff-notice-store.js';

const listed = 20;

/** A person whose digest is due, as the digest needs them. */
export interface DigestPerson {
  readonly id: string;
  readonly email: string;
  readonly role: 'rep' | 'manager' | 'admin';
  readonly timezone: string | null;
  readonly enabled: boolean;
  readonly dueAt: Date | null;
}

const personColumns = sql`id, email, role, timezone, disabled_at is null and active as enabled, digest_due_at`;

function personOf(row: {
  id: string;
  email: string;
  role: 'rep' | 'manager' | 'admin';
  timezone: string | null;
  enabled: boolean;
  digest_due_at: Date | null;
}): DigestPerson {
  return { ...row, dueAt: row.digest_due_at };
}

/** People whose next digest is not planned yet (new since the last round, or their time zone changed). */
export async function unplannedDigests(database: Kysely<Database>, limit = 500): Promise<DigestPerson[]> {
  const rows = await sql<Parameters<typeof personOf>[0]>`select ${personColumns} from users
    where digest_due_at is null order by id limit ${limit}`.execute(database);
  return rows.rows.map(personOf);
}

/** Sets when each person's next digest falls due. */
export async function planDigests(
  database: Kysely<Database>,
  plans: readonly { readonly userId: string; readonly dueAt: Date }[],
): Promise<void> {
  if (plans.length === 0) return;
  const ids = plans.map((plan) => plan.userId);
  const dueAts = plans.map((plan) => plan.dueAt.toISOString());
  await sql`update users set digest_due_at = plan.due_at
    from unnest(${ids}::uuid[], ${dueAts}::timestamptz[]) as plan(id, due_at)
    where users.id = plan.id`.execute(database);
}

/** People whose digest is due at `now`, earliest first. */
export async function dueDigests(database: Kysely<Database>, now: Date, limit = 100): Promise<DigestPerson[]> {
  const rows = await sql<Parameters<typeof personOf>[0]>`select ${personColumns} from users
    where digest_due_at <= ${now} order by digest_due_at, id limit ${limit}`.execute(database);
  return rows.rows.map(personOf);
}

/** When the next digest falls due after `after`, up to `until` (for the manual clock). */
export async function nextDigestDue(database: Kysely<Database>, after: Date, until: Date): Promise<Date | null> {
  const row = await database
    .selectFrom('users')
    .select((eb) => eb.fn.min('digest_due_at').as('at'))
    .where('digest_due_at', '>', after)
    .where('digest_due_at', '<=', until)
    .executeTakeFirst();
  return row?.at ? new Date(row.at as Date) : null;
}

const taskPath = (accountId: string | null) =>
  accountId === null ? '/tasks' : `/accounts/${encodeURIComponent(accountId)}`;
const dueWords = (at: Date) => `due ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The person's open tasks, soonest due first (the first few). */
export async function openTaskLines(database: Kysely<Database>, email: string): Promise<DigestLine[]> {
  const rows = await database
    .selectFrom('tasks')
    .leftJoin('accounts', 'accounts.id', 'tasks.account_id')
    .select(['tasks.account_id', 'tasks.objective', 'tasks.due_at', 'accounts.name'])
    .where('tasks.owner_email', '=', email)
    .where('tasks.status', '=', 'open')
    .orderBy('tasks.due_at')
    .limit(listed)
    .execute();
  return rows.map((row) => ({
    text: `${row.name ?? row.account_id ?? 'No account'}: ${row.objective} (${dueWords(row.due_at)})`,
    path: taskPath(row.account_id),
  }));
}

/** Open tasks escalated to the person as manager, soonest due first (the first few). */
export async function escalatedTaskLines(database: Kysely<Database>, email: string): Promise<DigestLine[]> {
  const rows = await database
    .selectFrom('tasks')
    .leftJoin('accounts', 'accounts.id', 'tasks.account_id')
    .select(['tasks.account_id', 'tasks.objective', 'tasks.due_at', 'tasks.owner_email', 'accounts.name'])
    .where('tasks.escalated_to', '=', email)
    .where('tasks.status', '=', 'open')
    .orderBy('tasks.due_at')
    .limit(listed)
    .execute();
  return rows.map((row) => ({
    text:
      `${row.name ?? row.account_id ?? 'No account'}: ${row.objective} ` +
      `(${row.owner_email}, ${dueWords(row.due_at)})`,
    path: taskPath(row.account_id),
  }));
}

/** The notices the person chose to get in the digest, waiting since the last one. */
export async function keptNotices(
  database: Kysely<Database>,
  userId: string,
): Promise<{ keys: string[]; lines: DigestLine[] }> {
  const rows = await database
    .selectFrom('staff_digest_items as item')
    .leftJoin('accounts', 'accounts.id', 'item.account_id')
    .select(['item.idempotency_key', 'item.title', 'item.path', 'item.account_id', 'accounts.name'])
    .where('item.user_id', '=', userId)
    .where('item.digested_at', 'is', null)
    .orderBy('item.created_at')
    .limit(100)
    .execute();
  return {
    keys: rows.map((row) => row.idempotency_key),
    lines: rows.map((row) => ({
      text: row.account_id === null ? row.title : `${row.name ?? row.account_id}: ${row.title}`,
      path: row.path,
    })),
  };
}

/**
 * Writes the person's digest (none when `payload` is null: nothing to say) and plans the next, once: only
 * while the digest is still due as it was read (another worker that got there first moved it on), with
 * the local date in its key.
 */
export async function settleDigest(
  database: Kysely<Database>,
  person: DigestPerson,
  digest: {
    readonly payload: StaffNoticePayload;
    readonly localDate: string;
    readonly keptKeys: readonly string[];
  } | null,
  nextDueAt: Date,
  now: Date,
): Promise<boolean> {
  return retriedTransaction(database, async (trx) => {
    const claimed = await trx
      .updateTable('users')
      .set({ digest_due_at: nextDueAt })
      .where('id', '=', person.id)
      .where('digest_due_at', '=', person.dueAt)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return false;
    if (digest === null) return true;
    const recipient = await noticeRecipient(trx, person.email, null);
    if (recipient === null || !recipient.enabled) return true;
    await writeStaffMessages(trx, recipient, digest.payload, `digest:${person.id}:${digest.localDate}`, now);
    if (digest.keptKeys.length > 0)
      await trx
        .updateTable('staff_digest_items')
        .set({ digested_at: now })
        .where('idempotency_key', 'in', [...digest.keptKeys])
        .execute();
    return true;
  });
}
