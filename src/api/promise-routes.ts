// Promises made to an account: listed with their history, made (POST) and kept, withdrawn or changed
// (PATCH). Each write is a `Promise …` event, as if the CRM had sent it, so the signals, the health score
// and the timeline see a promise the same way whichever door it came in by. The account's book decides.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import {
  type AccountPromise,
  dueDayOf,
  type PromiseEventName,
  promiseEventProblems,
  promiseStanding,
  promiseTalkingPoint,
} from '../domain/relationship/promises.js';
import { promiseDueDays } from '../domain/relationship/signals/promise-due.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import { bookOf } from '../domain/viewer.js';
import type { Scheduler } from '../engine/scheduler.js';
import { isAccountInBook } from '../store/book-scope.js';
import { newId } from '../store/ids.js';
import { writePromiseEvents } from '../store/import-writer.js';
import { type PromiseEventRecord, promisesOfAccount } from '../store/promise-store.js';
import type { Database } from '../store/schema.js';
import { appSecurity, unknownAccount } from './account-list-routes.js';
import type { Credentials } from './credentials.js';

export interface PromiseDependencies {
  readonly database: Kysely<Database>;
  readonly credentials: Credentials;
  readonly clock: Clock;
  readonly config: TendConfig;
  readonly scheduler: Scheduler;
}

const PromiseView = Type.Object(
  {
    promiseId: Type.String(),
    title: Type.String(),
    dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'the instant it is late from: the end of its due day',
    }),
    dueDay: Type.Union([Type.String(), Type.Null()], { description: 'the last day it may be kept on, YYYY-MM-DD' }),
    madeBy: Type.Union([Type.String(), Type.Null()]),
    owner: Type.Union([Type.String(), Type.Null()], { description: "who must deliver it: a user's e-mail or a team" }),
    madeAt: Type.String({ format: 'date-time' }),
    status: Type.Union([Type.Literal('open'), Type.Literal('kept'), Type.Literal('withdrawn')]),
    standing: Type.Union(
      [
        Type.Literal('open'),
        Type.Literal('due-soon'),
        Type.Literal('broken'),
        Type.Literal('kept'),
        Type.Literal('kept-late'),
        Type.Literal('withdrawn'),
      ],
      { description: 'where it stands now: an open promise past its due time is broken' },
    ),
    closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    talkingPoint: Type.Union([Type.String(), Type.Null()], { description: 'what to raise with the customer' }),
    history: Type.Array(
      Type.Object({
        at: Type.String({ format: 'date-time' }),
        event: Type.Union([
          Type.Literal('made'),
          Type.Literal('changed'),
          Type.Literal('kept'),
          Type.Literal('withdrawn'),
        ]),
        by: Type.Union([Type.String(), Type.Null()]),
        note: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  },
  { title: 'AccountPromise' },
);

const text = (options: { maxLength: number; description?: string }) => Type.String({ minLength: 1, ...options });

export async function promiseRoutes(plain: FastifyInstance, dependencies: PromiseDependencies): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, credentials, clock, config, scheduler } = dependencies;
  server.addHook('onRequest', async (request) => credentials.authenticate(request));
  const dueSoonDays = promiseDueDays.in(config);
  const viewOf = (promise: AccountPromise, now: Date) => ({
    promiseId: promise.promiseId,
    title: promise.title,
    dueAt: promise.dueAt?.toISOString() ?? null,
    dueDay: dueDayOf(promise),
    madeBy: promise.madeBy,
    owner: promise.owner,
    madeAt: promise.madeAt.toISOString(),
    status: promise.status,
    standing: promiseStanding(promise, now, dueSoonDays),
    closedAt: promise.closedAt?.toISOString() ?? null,
    talkingPoint: promiseTalkingPoint(promise, now, dueSoonDays),
    history: promise.history.map((entry) => ({ ...entry, at: entry.at.toISOString() })),
  });
  const requireInBook = async (request: object, accountId: string) => {
    if (!(await isAccountInBook(database, accountId, bookOf(credentials.viewerOf(request)))))
      throw unknownAccount(accountId);
  };
  const refuseProblems = (name: PromiseEventName, properties: Record<string, unknown>) => {
    const problems = promiseEventProblems(name, properties);
    if (problems.length > 0)
      throw new TendError(
        'invalid_request',
        `Nothing was stored: ${problems.map((problem) => `${problem.field} ${problem.message}`).join('; ')}.`,
        problems,
      );
  };
  const record = async (records: PromiseEventRecord[], now: Date) => {
    const recorded = await writePromiseEvents(database, records, now);
    scheduler.wake();
    return recorded.length;
  };
  const findPromise = async (accountId: string, promiseId: string, now: Date) =>
    (await promisesOfAccount(database, accountId, now)).find((promise) => promise.promiseId === promiseId);
  const params = Type.Object({ accountId: Type.String({ minLength: 1 }) });

  server.get(
    '/api/v1/accounts/:accountId/promises',
    {
      schema: {
        tags: ['relationship'],
        summary: "An account's promises, open and broken first, each with its history",
        security: appSecurity,
        params,
        response: { 200: Type.Object({ promises: Type.Array(PromiseView) }) },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      await requireInBook(request, accountId);
      const now = clock.now();
      const order = { broken: 0, 'due-soon': 1, open: 2, 'kept-late': 3, kept: 4, withdrawn: 5 };
      const promises = (await promisesOfAccount(database, accountId, now))
        .map((promise) => viewOf(promise, now))
        .sort((a, b) => order[a.standing] - order[b.standing] || (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999'));
      return { promises };
    },
  );

  server.post(
    '/api/v1/accounts/:accountId/promises',
    {
      schema: {
        tags: ['relationship'],
        summary: 'Record a promise made to an account (what, by when, who delivers it)',
        description:
          'The same as a `Promise Made` event. `madeBy` defaults to the person signed in; `promiseId` to a new id.',
        security: appSecurity,
        params,
        body: Type.Object({
          promiseId: Type.Optional(text({ maxLength: 200, description: "your CRM's id for it" })),
          title: text({ maxLength: 500, description: 'what was promised, e.g. "Single sign-on"' }),
          dueAt: text({ maxLength: 40, description: 'by when: a date (due by the end of that day) or a date-time' }),
          madeBy: Type.Optional(text({ maxLength: 320 })),
          owner: Type.Optional(text({ maxLength: 320, description: "who delivers it: a user's e-mail or a team" })),
          note: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
        response: { 201: PromiseView },
      },
    },
    async (request, reply) => {
      const { accountId } = request.params;
      await requireInBook(request, accountId);
      const viewer = credentials.viewerOf(request);
      const now = clock.now();
      const promiseId = request.body.promiseId?.trim() || newId(now.getTime());
      const properties = {
        promiseId,
        title: request.body.title.trim(),
        dueAt: request.body.dueAt.trim(),
        madeBy: request.body.madeBy ?? viewer.user?.email ?? null,
        owner: request.body.owner ?? null,
        ...(request.body.note ? { note: request.body.note } : {}),
        recordedBy: viewer.user?.email ?? null,
      };
      refuseProblems('Promise Made', properties);
      if ((await findPromise(accountId, promiseId, now)) !== undefined)
        throw new TendError(
          'conflict',
          `Nothing was stored: account ${JSON.stringify(accountId)} already has ` +
            `a promise ${JSON.stringify(promiseId)}. ` +
            `Change it with PATCH /api/v1/accounts/${accountId}/promises/${promiseId}, or give the new one its own id.`,
          [{ field: 'promiseId', message: 'is already a promise of this account' }],
        );
      // Keyed by the promise: of two requests making the same one at once, only the first records it.
      const messageId = `promise:${accountId}:${promiseId}:made`;
      if ((await record([{ name: 'Promise Made', messageId, accountId, properties, at: now }], now)) === 0)
        throw new TendError(
          'conflict',
          `Nothing was stored: account ${JSON.stringify(accountId)} already has ` +
            `a promise ${JSON.stringify(promiseId)}.`,
          [{ field: 'promiseId', message: 'is already a promise of this account' }],
        );
      const made = await findPromise(accountId, promiseId, now);
      if (made === undefined) throw new Error(`the promise ${promiseId} was recorded but not read back`);
      return reply.status(201).send(viewOf(made, now));
    },
  );

  server.patch(
    '/api/v1/accounts/:accountId/promises/:promiseId',
    {
      schema: {
        tags: ['relationship'],
        summary: 'Mark a promise kept or withdrawn, or change what, by when or who delivers it',
        description: 'The same as `Promise Kept`, `Promise Withdrawn` or `Promise Changed` events.',
        security: appSecurity,
        params: Type.Object({ accountId: Type.String({ minLength: 1 }), promiseId: Type.String({ minLength: 1 }) }),
        body: Type.Object(
          {
            status: Type.Optional(Type.Union([Type.Literal('kept'), Type.Literal('withdrawn')])),
            title: Type.Optional(text({ maxLength: 500 })),
            dueAt: Type.Optional(text({ maxLength: 40 })),
            owner: Type.Optional(text({ maxLength: 320 })),
            madeBy: Type.Optional(text({ maxLength: 320 })),
            note: Type.Optional(Type.String({ maxLength: 2000, description: 'why: it is recorded in the history' })),
          },
          { minProperties: 1 },
        ),
        response: { 200: PromiseView },
      },
    },
    async (request) => {
      const { accountId, promiseId } = request.params;
      await requireInBook(request, accountId);
      const now = clock.now();
      const promise = await findPromise(accountId, promiseId, now);
      if (promise === undefined)
        throw new TendError(
          'not_found',
          `Account ${JSON.stringify(accountId)} has no promise ${JSON.stringify(promiseId)}. ` +
            `See its promises with GET /api/v1/accounts/${accountId}/promises.`,
          [{ field: 'promiseId', message: 'is not a promise of this account' }],
        );
      const { status, note, ...changes } = request.body;
      // A kept or withdrawn promise is history: its date or title moved now would rewrite what happened.
      if (promise.status !== 'open')
        throw new TendError(
          'conflict',
          `Nothing was stored: the promise "${promise.title}" was already ${promise.status}` +
            `${promise.closedAt === null ? '' : ` on ${promise.closedAt.toISOString().slice(0, 10)}`}. ` +
            'Record a new promise for what is promised now.',
          [{ field: status === undefined ? 'body' : 'status', message: `the promise is already ${promise.status}` }],
        );
      const recordedBy = credentials.viewerOf(request).user?.email ?? null;
      const records: PromiseEventRecord[] = [];
      const key = `promise:${accountId}:${promiseId}`;
      if (Object.keys(changes).length > 0) {
        const properties = { promiseId, ...changes, ...(note ? { note } : {}), recordedBy };
        refuseProblems('Promise Changed', properties);
        records.push({
          name: 'Promise Changed',
          messageId: `${key}:changed:${newId(now.getTime())}`,
          accountId,
          properties,
          at: now,
        });
      }
      if (status !== undefined) {
        const name = status === 'kept' ? 'Promise Kept' : 'Promise Withdrawn';
        // A millisecond after a change made with it, so the history reads in the order it was asked.
        records.push({
          name,
          messageId: `${key}:${status}:${newId(now.getTime())}`,
          accountId,
          // The title only names it on the timeline: what was promised is the made promise's.
          properties: { promiseId, title: promise.title, ...(note ? { note } : {}), recordedBy },
          at: records.length > 0 ? new Date(now.getTime() + 1) : now,
        });
      }
      if (records.length === 0)
        throw new TendError('invalid_request', 'Nothing was stored: send status, title, dueAt, owner or madeBy.', [
          { field: 'body', message: 'changes nothing' },
        ]);
      await record(records, now);
      const after = await findPromise(accountId, promiseId, new Date(now.getTime() + 1));
      if (after === undefined) throw new Error(`the promise ${promiseId} vanished while being changed`);
      return viewOf(after, now);
    },
  );
}
