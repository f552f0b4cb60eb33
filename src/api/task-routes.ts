// Tasks: follow-ups with an owner, a due time, an objective and talking points; completed with an
// outcome; escalated to the owner's manager when late. Anyone signed in, within their book: a rep sees
// their own tasks and those on their accounts, a manager also their reps' and those escalated to them.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { parseDuration } from '../domain/duration.js';
import { TendError } from '../domain/errors.js';
import { encodeCursor, timeAndIdPosition } from './page-cursor.js';
import { mayAssignTask } from '../domain/task-access.js';
import { storableTimeProblem } from '../domain/time-limits.js';
import { type Book, type Viewer, bookOf } from '../domain/viewer.js';
import { isAccountInBook } from '../store/book-scope.js';
import { isContactInBook } from '../store/consent-store.js';
import type { Database } from '../store/schema.js';
import { completeTask, createTask, findTask, listTasks, taskOutcomes } from '../store/task-store.js';
import { findUser } from '../store/users.js';
import { retriedTransaction } from '../store/contention-retry.js';
import { taskNotice } from '../domain/task-notices.js';
import { notifyStaff } from '../engine/staff-notices.js';
import type { Credentials } from './credentials.js';
import { Task, TaskList } from './work-schemas.js';

export async function taskRoutes(
  plain: FastifyInstance,
  dependencies: { database: Kysely<Database>; clock: Clock; credentials: Credentials; onChange: () => void },
): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, clock } = dependencies;
  server.addHook('onRequest', async (request) => dependencies.credentials.authenticate(request));
  // A person's session (the app), or the admin token (scripts and integrations).
  const security: { [scheme: string]: string[] }[] = [{ session: [] }, { adminToken: [] }];

  server.post(
    '/api/v1/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Create a task for a user (idempotent with idempotencyKey)',
        security,
        body: Type.Object({
          owner: Type.String({ description: "the owner's user id or e-mail" }),
          objective: Type.String({ minLength: 1 }),
          accountId: Type.Optional(Type.String()),
          contactId: Type.Optional(Type.String()),
          talkingPoints: Type.Optional(Type.Array(Type.String())),
          dueIn: Type.Optional(Type.String({ description: 'ISO 8601 duration from now, e.g. PT4H, P2D' })),
          dueAt: Type.Optional(Type.String({ description: 'an instant' })),
          idempotencyKey: Type.Optional(Type.String({ minLength: 1 })),
        }),
        response: { 201: Task },
      },
    },
    async (request, reply) => {
      const now = clock.now();
      const body = request.body;
      const viewer = dependencies.credentials.viewerOf(request);
      const owner = await findUser(database, body.owner);
      if (!owner)
        throw new TendError(
          'invalid_request',
          `Owner ${JSON.stringify(body.owner)} is not a user: create them with POST /api/v1/users first.`,
          [{ field: 'body.owner', message: 'is not a known user' }],
        );
      await refuseOutsideBook(database, viewer, owner.email, body);
      let dueAt: Date;
      if (body.dueAt !== undefined) {
        dueAt = new Date(body.dueAt);
        if (Number.isNaN(dueAt.getTime()))
          throw new TendError(
            'invalid_request',
            `dueAt must be an instant such as 2026-03-01T17:00:00Z; got ${JSON.stringify(body.dueAt)}.`,
            [{ field: 'body.dueAt', message: 'is not an instant' }],
          );
      } else {
        const milliseconds = parseDuration(body.dueIn ?? 'P1D');
        if (milliseconds === null)
          throw new TendError(
            'invalid_request',
            `dueIn must be an ISO 8601 duration such as PT4H or P2D; got ${JSON.stringify(body.dueIn)}.`,
            [{ field: 'body.dueIn', message: 'is not an ISO 8601 duration' }],
          );
        dueAt = new Date(now.getTime() + milliseconds);
      }
      const unstorable = storableTimeProblem(dueAt);
      if (unstorable !== null) {
        const field = body.dueAt !== undefined ? 'body.dueAt' : 'body.dueIn';
        const problem = { field, message: `gives a due time that ${unstorable}` };
        throw new TendError('invalid_request', `The task's due time ${unstorable}.`, [problem]);
      }
      const newTask = {
        ownerEmail: owner.email,
        accountId: body.accountId ?? null,
        contactId: body.contactId ?? null,
        objective: body.objective,
        talkingPoints: body.talkingPoints ?? [],
        dueAt,
        source: 'api',
        idempotencyKey: body.idempotencyKey ?? null,
      };
      // A task someone gives another person reaches that person, as they chose, in the same transaction.
      const giver = viewer.user?.email ?? null;
      const { task, created } = await retriedTransaction(database, async (trx) => {
        const made = await createTask(trx, newTask, now);
        if (made.created && giver !== owner.email)
          await notifyStaff(
            trx,
            taskNotice(
              { ...made.task, dueAt, ownerEmail: owner.email },
              { kind: 'colleague', by: giver ?? 'An integration (admin token)' },
            ),
            now,
          );
        return made;
      });
      // A key someone used for a task outside this viewer's book: say so, and show nothing of it.
      if (!created && (await findTask(database, task.id, bookOf(viewer))) === null) {
        const message = 'This idempotencyKey was already used for another task: choose a new key for a new task.';
        throw new TendError('conflict', message, [{ field: 'body.idempotencyKey', message: 'is already used' }]);
      }
      dependencies.onChange();
      return reply.status(201).send(task);
    },
  );

  server.get(
    '/api/v1/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: "Tasks in the viewer's book, by due time",
        security,
        querystring: Type.Object({
          ownerId: Type.Optional(Type.String()),
          accountId: Type.Optional(Type.String()),
          status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('cancelled')])),
          overdue: Type.Optional(Type.Boolean()),
          escalatedTo: Type.Optional(Type.String({ minLength: 1, description: '`me`, or a user id or e-mail' })),
          cursor: Type.Optional(Type.String({ minLength: 1, description: "the previous page's `next`" })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
        }),
        response: { 200: TaskList },
      },
    },
    async (request) => {
      const { ownerId, accountId, status, overdue, escalatedTo, cursor, limit } = request.query;
      const viewer = dependencies.credentials.viewerOf(request);
      const emailOf = async (idOrEmail: string) => (await findUser(database, idOrEmail))?.email ?? idOrEmail;
      const ownerEmail = ownerId === undefined ? undefined : await emailOf(ownerId);
      const escalatedEmail =
        escalatedTo === undefined ? undefined : escalatedTo === 'me' ? viewer.user?.email : await emailOf(escalatedTo);
      if (escalatedTo === 'me' && escalatedEmail === undefined) {
        throw new TendError(
          'invalid_request',
          'escalatedTo=me needs a person signed in; with an admin token, name the manager.',
          [{ field: 'escalatedTo', message: 'names nobody for an admin token' }],
        );
      }
      const after = cursor === undefined ? undefined : timeAndIdPosition(cursor);
      const tasks = await listTasks(database, {
        book: bookOf(viewer),
        limit,
        ...(ownerEmail === undefined ? {} : { ownerEmail }),
        ...(accountId === undefined ? {} : { accountId }),
        ...(status === undefined ? {} : { status }),
        ...(overdue ? { overdueAt: clock.now() } : {}),
        ...(escalatedEmail === undefined ? {} : { escalatedTo: escalatedEmail }),
        ...(after === undefined ? {} : { after }),
      });
      const last = tasks.at(-1);
      const next = tasks.length === limit && last !== undefined ? encodeCursor([last.exactDueAt, last.id]) : null;
      return { tasks: tasks.map(({ exactDueAt: _exact, ...task }) => task), next };
    },
  );

  server.post(
    '/api/v1/tasks/:id/complete',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Record the outcome of a task',
        security,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({
          outcome: Type.Union(taskOutcomes.map((outcome) => Type.Literal(outcome))),
          note: Type.Optional(Type.String()),
        }),
        response: { 200: Task },
      },
    },
    async (request) => {
      const viewer = dependencies.credentials.viewerOf(request);
      const { outcome, note } = request.body;
      const task = await completeTask(database, request.params.id, outcome, note ?? null, clock.now(), viewer);
      dependencies.onChange();
      return task;
    },
  );
}

/**
 * A person gives tasks to themselves (a manager also to their reps), on accounts and contacts of their
 * book; outside it an account or contact is "not found", as one that does not exist.
 */
async function refuseOutsideBook(
  database: Kysely<Database>,
  viewer: Viewer,
  ownerEmail: string,
  body: { readonly accountId?: string; readonly contactId?: string },
): Promise<void> {
  if (viewer.kind === 'admin') return;
  const book: Book = bookOf(viewer);
  if (body.accountId !== undefined && !(await isAccountInBook(database, body.accountId, book))) {
    const problem = { field: 'body.accountId', message: 'is not a known account' };
    throw new TendError('not_found', `No account ${JSON.stringify(body.accountId)}.`, [problem]);
  }
  if (body.contactId !== undefined && !(await isContactInBook(database, body.contactId, book))) {
    const problem = { field: 'body.contactId', message: 'is not a known contact' };
    throw new TendError('not_found', `No contact ${JSON.stringify(body.contactId)}.`, [problem]);
  }
  if (!mayAssignTask(viewer, ownerEmail)) {
    const message =
      viewer.kind === 'rep'
        ? 'A rep gives tasks to themselves: ask their manager or an admin to give one to someone else.'
        : 'A manager gives tasks to themselves and their reps: ask an admin to give one to someone else.';
    throw new TendError('forbidden', message, [{ field: 'body.owner', message: 'is not you or one of your reps' }]);
  }
}
