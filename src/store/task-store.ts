// Tasks in the store: created once per idempotency key, listed by owner and status, completed with an
// outcome, and escalated to the owner's manager when their due time passes. Every change is also an
// event (Task Created, Task Completed, Task Escalated).
import { type Insertable, type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import { TendError } from '../domain/errors.js';
import { mayCompleteTask } from '../domain/task-access.js';
import { type Book, type Viewer, bookOf } from '../domain/viewer.js';
import { accountInBook, personInBook, wholeBook } from './book-scope.js';
import { exactTime } from './exact-time.js';
import { newId } from './ids.js';
import { notifyStaff } from './staff-notice-store.js';
import { taskNotice } from '../domain/task-notices.js';
import { ownEvent } from './own-events.js';
import { wakeRunsAwaiting } from './journey-store.js';
import type { Database, TasksTable } from './schema.js';
import { retriedTransaction } from './contention-retry.js';
import { writeTogether } from './write-together.js';

export const taskOutcomes = ['reached', 'no-answer', 'saved', 'lost', 'other'] as const;
export type TaskOutcome = (typeof taskOutcomes)[number];

export interface NewTask {
  readonly ownerEmail: string;
  readonly accountId: string | null;
  readonly contactId: string | null;
  readonly objective: string;
  readonly talkingPoints: readonly string[];
  readonly dueAt: Date;
  readonly source: string;
  /** Creating twice with one key creates one task (playbook steps, retried requests). */
  readonly idempotencyKey: string | null;
}

type TaskRow = Selectable<TasksTable>;

export function taskView(row: TaskRow) {
  return {
    id: row.id,
    accountId: row.account_id,
    contactId: row.contact_id,
    owner: row.owner_email,
    objective: row.objective,
    talkingPoints: row.talking_points,
    dueAt: row.due_at.toISOString(),
    status: row.status,
    outcome: row.outcome,
    note: row.note,
    source: row.source,
    createdAt: row.created_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
    escalatedAt: row.escalated_at?.toISOString() ?? null,
    escalatedTo: row.escalated_to,
  };
}
export type TaskView = ReturnType<typeof taskView>;

/** What a Task Created event says of its task (Tend's own event, recorded with the task). */
export function taskCreatedProperties(
  task: Pick<TaskView, 'id' | 'owner' | 'objective' | 'dueAt' | 'source'>,
): Record<string, unknown> {
  return { taskId: task.id, owner: task.owner, objective: task.objective, dueAt: task.dueAt, source: task.source };
}

export interface CreatedTask {
  readonly task: TaskView;
  /** False when a task with the same idempotency key existed: `task` is that one, and no event was recorded. */
  readonly created: boolean;
}

/** Creates a task and records its Task Created event, in one statement (a playbook run creates tasks in its round). */
export async function createTask(
  database: Kysely<Database> | Transaction<Database>,
  task: NewTask,
  now: Date,
): Promise<CreatedTask> {
  const row = {
    id: newId(now.getTime()),
    idempotency_key: task.idempotencyKey,
    account_id: task.accountId,
    contact_id: task.contactId,
    owner_email: task.ownerEmail.toLowerCase(),
    objective: task.objective,
    talking_points: JSON.stringify(task.talkingPoints),
    due_at: task.dueAt,
    outcome: null,
    note: null,
    source: task.source,
    created_at: now,
    completed_at: null,
    escalated_at: null,
    escalated_to: null,
  } satisfies Insertable<TasksTable>;
  const properties = taskCreatedProperties({
    id: row.id,
    owner: row.owner_email,
    objective: row.objective,
    dueAt: task.dueAt.toISOString(),
    source: task.source,
  });
  const event = ownEvent('Task Created', `task:${row.id}:created`, task.accountId, task.contactId, properties, now);
  const inserted = await writeTogether(
    database,
    [
      {
        name: 'created_task',
        statement: database
          .insertInto('tasks')
          .values(row)
          .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
          .returningAll(),
      },
      {
        name: 'created_event',
        statement: sql`insert into events (id, source_id, message_id, type, name, contact_id, anonymous_id, account_id,
                                           occurred_at, received_at, properties, context)
          select ${event.id}::uuid, ${event.source_id}::uuid, ${event.message_id}, ${event.type}, ${event.name},
                 ${event.contact_id}::text, null, ${event.account_id}::text,
                 ${event.occurred_at}::timestamptz, ${event.received_at}::timestamptz,
                 ${event.properties}::jsonb, ${event.context}::jsonb
          from created_task`,
      },
    ],
    { result: sql`select * from created_task` },
  );
  if (inserted) return { task: taskView(inserted as TaskRow), created: true };
  const existing = await database
    .selectFrom('tasks')
    .selectAll()
    .where('idempotency_key', '=', task.idempotencyKey)
    .executeTakeFirstOrThrow();
  return { task: taskView(existing), created: false };
}

export interface TaskFilter {
  /** Whose tasks may be listed (all when absent: the command line on Tend's own machine). */
  readonly book?: Book;
  readonly ownerEmail?: string;
  readonly accountId?: string;
  readonly status?: 'open' | 'done' | 'cancelled';
  readonly overdueAt?: Date;
  /** Tasks escalated to this person (a manager's "escalated to me"). */
  readonly escalatedTo?: string;
  /** Only tasks after this one in due order (keyset paging: its due time, exactly as listed, and id). */
  readonly after?: { readonly at: string; readonly id: string };
  readonly limit: number;
}

/** A listed task, with its account's name and its exact due time for the next page's cursor. */
export type ListedTask = TaskView & { readonly accountName: string | null; readonly exactDueAt: string };

/**
 * The tasks a book holds: those its people own or had escalated to them, and those on its accounts
 * (a rep sees what a colleague was asked to do for their customer).
 */
function taskInBook(book: Book) {
  if (book.kind === 'everything') return sql<boolean>`true`;
  const owned = personInBook(book, 'tasks.owner_email');
  const escalated = personInBook(book, 'tasks.escalated_to');
  return sql<boolean>`(${owned} or ${escalated} or ${accountInBook(book, 'tasks.account_id')})`;
}

export async function listTasks(database: Kysely<Database>, filter: TaskFilter): Promise<ListedTask[]> {
  let query = database
    .selectFrom('tasks')
    .selectAll('tasks')
    .select(exactTime(sql`tasks.due_at`).as('exact_due_at'))
    .orderBy('tasks.due_at')
    .orderBy('tasks.id')
    .limit(filter.limit);
  if (filter.book !== undefined) query = query.where(taskInBook(filter.book));
  if (filter.ownerEmail !== undefined) query = query.where('tasks.owner_email', '=', filter.ownerEmail.toLowerCase());
  if (filter.accountId !== undefined) query = query.where('tasks.account_id', '=', filter.accountId);
  if (filter.status !== undefined) query = query.where('tasks.status', '=', filter.status);
  if (filter.overdueAt !== undefined) {
    query = query.where('tasks.due_at', '<', filter.overdueAt).where('tasks.status', '=', 'open');
  }
  if (filter.escalatedTo !== undefined)
    query = query.where('tasks.escalated_to', '=', filter.escalatedTo.toLowerCase());
  if (filter.after !== undefined) {
    const { at, id } = filter.after;
    query = query.where(sql<boolean>`(tasks.due_at, tasks.id) > (${at}::timestamptz, ${id}::uuid)`);
  }
  // The page first, then its accounts' names: joined before the limit, the names of every task that
  // matched were looked up (or the whole accounts table hashed) for the page's few.
  const rows = await database
    .selectFrom(query.as('page'))
    .leftJoin('accounts', 'accounts.id', 'page.account_id')
    .selectAll('page')
    .select('accounts.name as account_name')
    .orderBy('page.due_at')
    .orderBy('page.id')
    .execute();
  return rows.map((row) => ({ ...taskView(row), accountName: row.account_name, exactDueAt: row.exact_due_at }));
}

/** A task the book holds, or null (unknown and outside the book look the same). */
export async function findTask(database: Kysely<Database>, taskId: string, book: Book): Promise<TaskView | null> {
  const row = await database
    .selectFrom('tasks')
    .selectAll()
    .where('id', '=', taskId)
    .where(taskInBook(book))
    .executeTakeFirst();
  return row ? taskView(row) : null;
}

/**
 * Records the outcome; completing a task twice with the same outcome is harmless, a different one is
 * refused. A viewer (absent for the command line) must hold the task in their book, else it is not
 * found, and be its owner, the owner's manager, the manager it was escalated to, or an admin.
 */
export async function completeTask(
  database: Kysely<Database>,
  taskId: string,
  outcome: TaskOutcome,
  note: string | null,
  now: Date,
  viewer: Viewer | null = null,
): Promise<TaskView> {
  return retriedTransaction(database, async (trx) => {
    const book: Book = viewer === null ? wholeBook : bookOf(viewer);
    const task = await trx
      .selectFrom('tasks')
      .selectAll()
      .where('id', '=', taskId)
      .where(taskInBook(book))
      .forUpdate()
      .executeTakeFirst();
    if (!task)
      throw new TendError('not_found', `No task ${taskId}.`, [{ field: 'id', message: 'is not a known task' }]);
    if (viewer !== null && !mayCompleteTask(viewer, { owner: task.owner_email, escalatedTo: task.escalated_to })) {
      const message = `Task ${taskId} is ${task.owner_email}'s: only they, their manager or an admin may complete it.`;
      throw new TendError('forbidden', message, [{ field: 'id', message: "is not yours or your rep's" }]);
    }
    if (task.status === 'done') {
      if (task.outcome === outcome) return taskView(task);
      throw new TendError('conflict', `Task ${taskId} was already completed with outcome "${task.outcome}".`, [
        { field: 'outcome', message: 'is already recorded' },
      ]);
    }
    const done = await trx
      .updateTable('tasks')
      .set({ status: 'done', outcome, note, completed_at: now })
      .where('id', '=', taskId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('events')
      .values(
        ownEvent(
          'Task Completed',
          `task:${taskId}:completed`,
          task.account_id,
          task.contact_id,
          { taskId, owner: task.owner_email, outcome, note, late: now > task.due_at },
          now,
        ),
      )
      .execute();
    // A playbook waiting for the task moves on now, not at its timeout.
    if (task.account_id !== null) await wakeRunsAwaiting(trx, [task.account_id], ['Task Completed'], now);
    return taskView(done);
  });
}

/**
 * Escalates open tasks past their due time to the owner's manager (once each), claiming them with
 * SKIP LOCKED so that several workers never escalate one task twice. Returns how many.
 */
export async function escalateOverdueTasks(database: Kysely<Database>, now: Date, limit = 500): Promise<number> {
  return retriedTransaction(database, async (trx) => {
    const due = await trx
      .selectFrom('tasks')
      .select(['id', 'owner_email', 'account_id', 'contact_id', 'objective', 'due_at'])
      .where('status', '=', 'open')
      .where('escalated_at', 'is', null)
      .where('due_at', '<=', now)
      .orderBy('due_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return 0;
    const managers = await sql<{ email: string; manager: string | null }>`
      select rep.email, manager.email as manager from users rep left join users manager on manager.id = rep.manager_id
      where rep.email = any(${[...new Set(due.map((task) => task.owner_email))]}::text[])`.execute(trx);
    const managerOf = new Map(managers.rows.map((row) => [row.email, row.manager]));
    for (const task of due) {
      const manager = managerOf.get(task.owner_email) ?? null;
      await trx
        .updateTable('tasks')
        .set({ escalated_at: now, escalated_to: manager })
        .where('id', '=', task.id)
        .execute();
      await trx
        .insertInto('events')
        .values(
          ownEvent(
            'Task Escalated',
            `task:${task.id}:escalated`,
            task.account_id,
            task.contact_id,
            {
              taskId: task.id,
              owner: task.owner_email,
              manager,
              objective: task.objective,
              dueAt: task.due_at.toISOString(),
              hoursLate: Math.round((now.getTime() - task.due_at.getTime()) / 3_600_000),
            },
            now,
          ),
        )
        .execute();
      if (manager !== null)
        await notifyStaff(
          trx,
          taskNotice(
            {
              id: task.id,
              accountId: task.account_id,
              objective: task.objective,
              dueAt: task.due_at,
              ownerEmail: task.owner_email,
            },
            { kind: 'overdue', managerEmail: manager },
          ),
          now,
        );
    }
    return due.length;
  });
}

/** The earliest due time of an open, not yet escalated task after `after` and up to `until` (for the manual clock). */
export async function nextTaskDue(database: Kysely<Database>, after: Date, until: Date): Promise<Date | null> {
  const row = await database
    .selectFrom('tasks')
    .select((eb) => eb.fn.min('due_at').as('at'))
    .where('status', '=', 'open')
    .where('escalated_at', 'is', null)
    .where('due_at', '>', after)
    .where('due_at', '<=', until)
    .executeTakeFirst();
  return row?.at ? new Date(row.at as Date) : null;
}
