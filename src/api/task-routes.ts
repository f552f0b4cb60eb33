// Tasks: follow-ups with an owner, a due time, an objective and talking points; completed with an
// outcome; escalated to the owner's manager when late. Behind the admin token.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { parseDuration } from '../domain/duration.js';
import { TendError } from '../domain/errors.js';
import { storableTimeProblem } from '../domain/time-limits.js';
import type { Database } from '../store/schema.js';
import { completeTask, createTask, listTasks, taskOutcomes } from '../store/task-store.js';
import { findUser } from '../store/users.js';
import type { Credentials } from './credentials.js';

export async function taskRoutes(plain: FastifyInstance, dependencies: { database: Kysely<Database>; clock: Clock; credentials: Credentials; onChange: () => void }): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, clock } = dependencies;
  server.addHook('onRequest', async (request) => dependencies.credentials.authenticateAdmin(request));
  const security = [{ adminToken: [] }];

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
      },
    },
    async (request, reply) => {
      const now = clock.now();
      const body = request.body;
      const owner = await findUser(database, body.owner);
      if (!owner) throw new TendError('invalid_request', `Owner ${JSON.stringify(body.owner)} is not a user: create them with POST /api/v1/users first.`, [{ field: 'body.owner', message: 'is not a known user' }]);
      let dueAt: Date;
      if (body.dueAt !== undefined) {
        dueAt = new Date(body.dueAt);
        if (Number.isNaN(dueAt.getTime())) throw new TendError('invalid_request', `dueAt must be an instant such as 2026-03-01T17:00:00Z; got ${JSON.stringify(body.dueAt)}.`, [{ field: 'body.dueAt', message: 'is not an instant' }]);
      } else {
        const milliseconds = parseDuration(body.dueIn ?? 'P1D');
        if (milliseconds === null) throw new TendError('invalid_request', `dueIn must be an ISO 8601 duration such as PT4H or P2D; got ${JSON.stringify(body.dueIn)}.`, [{ field: 'body.dueIn', message: 'is not an ISO 8601 duration' }]);
        dueAt = new Date(now.getTime() + milliseconds);
      }
      const unstorable = storableTimeProblem(dueAt);
      if (unstorable !== null) {
        const field = body.dueAt !== undefined ? 'body.dueAt' : 'body.dueIn';
        const problem = { field, message: `gives a due time that ${unstorable}` };
        throw new TendError('invalid_request', `The task's due time ${unstorable}.`, [problem]);
      }
      const { task } = await createTask(database, { ownerEmail: owner.email, accountId: body.accountId ?? null, contactId: body.contactId ?? null, objective: body.objective, talkingPoints: body.talkingPoints ?? [], dueAt, source: 'api', idempotencyKey: body.idempotencyKey ?? null }, now);
      dependencies.onChange();
      return reply.status(201).send(task);
    },
  );

  server.get(
    '/api/v1/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Tasks, by due time',
        security,
        querystring: Type.Object({
          ownerId: Type.Optional(Type.String()),
          accountId: Type.Optional(Type.String()),
          status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('cancelled')])),
          overdue: Type.Optional(Type.Boolean()),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
        }),
      },
    },
    async (request) => {
      const { ownerId, accountId, status, overdue, limit } = request.query;
      const ownerEmail = ownerId === undefined ? undefined : ((await findUser(database, ownerId))?.email ?? ownerId);
      return {
        tasks: await listTasks(database, {
          limit,
          ...(ownerEmail === undefined ? {} : { ownerEmail }),
          ...(accountId === undefined ? {} : { accountId }),
          ...(status === undefined ? {} : { status }),
          ...(overdue ? { overdueAt: clock.now() } : {}),
        }),
      };
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
        body: Type.Object({ outcome: Type.Union(taskOutcomes.map((outcome) => Type.Literal(outcome))), note: Type.Optional(Type.String()) }),
      },
    },
    async (request) => {
      const task = await completeTask(database, request.params.id, request.body.outcome, request.body.note ?? null, clock.now());
      dependencies.onChange();
      return task;
    },
  );
}
