// The relationship API: users, logged interactions, signals, account health, a rep's today list and a
// manager's oversight. Anyone signed in may call it, and sees only their book (domain/viewer.ts): a
// rep their accounts, a manager their team's, an admin (or the admin token) everything. Saving users is
// for admins.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import { readImportRow } from '../domain/import-rows.js';
import { signalKinds } from '../domain/relationship/signal.js';
import { bookOf, mayViewUser } from '../domain/viewer.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import type { Scheduler } from '../engine/scheduler.js';
import { accountAudit, bookAudit } from '../engine/attention-view.js';
import { oversightFor, todayFor } from '../engine/rep-views.js';
import { isAccountInBook } from '../store/book-scope.js';
import { currentAccountsOf, writeImportChunk } from '../store/import-writer.js';
import type { Database } from '../store/schema.js';
import { listSignals } from '../store/signal-store.js';
import { findUser, listUsers, upsertUsers, userRoles } from '../store/users.js';
import { accountHealth } from '../store/health-queries.js';
import type { Credentials } from './credentials.js';
import {
  AccountContactAudit,
  AccountHealth,
  BookAudit,
  LoggedInteraction,
  Oversight,
  SignalList,
  TodayList,
  User,
  UserList,
} from './relationship-schemas.js';

export interface RelationshipDependencies {
  readonly database: Kysely<Database>;
  readonly credentials: Credentials;
  readonly clock: Clock;
  readonly config: TendConfig;
  readonly scheduler: Scheduler;
}

/** The longest health history one request reads: a year and a little more. */
const maximumHistoryDays = 400;

const unknownUser = (id: string) =>
  new TendError('not_found', `No user ${JSON.stringify(id)}.`, [{ field: 'id', message: 'is not a known user' }]);

export async function relationshipRoutes(
  plain: FastifyInstance,
  dependencies: RelationshipDependencies,
): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, clock, config, scheduler, credentials } = dependencies;
  server.addHook('onRequest', async (request) => credentials.authenticate(request));
  const security: { [scheme: string]: string[] }[] = [{ session: [] }, { adminToken: [] }];
  const context = { database, clock, config };
  const bookOfRequest = (request: object) => bookOf(credentials.viewerOf(request));
  const ownerEmailOf = async (ownerId: string) => (await findUser(database, ownerId))?.email ?? ownerId.toLowerCase();

  server.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['relationship'],
        summary: 'Create or update a user (rep, manager, admin) by e-mail (admins only)',
        security,
        body: Type.Object({
          email: Type.String({ format: 'email' }),
          name: Type.Optional(Type.String()),
          role: Type.Union(userRoles.map((role) => Type.Literal(role))),
          managerEmail: Type.Optional(Type.Union([Type.String({ format: 'email' }), Type.Null()])),
        }),
        response: { 201: User },
      },
      // After the instance's authenticate hook, before the body is read: nothing is validated for others.
      onRequest: async (request) => credentials.requireAdminViewer(request),
    },
    async (request, reply) => {
      const { email, name, role, managerEmail } = request.body;
      const saved = { email, name: name ?? null, role, managerEmail: managerEmail ?? null };
      const [user] = await upsertUsers(database, [saved], credentials.actorOf(request), clock.now());
      if (!user) throw new Error(`upsertUsers returned no user for ${email}`);
      return reply.status(201).send(user);
    },
  );

  server.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['relationship'],
        summary: 'The users whose books you see: everyone for an admin, a manager and their reps, a rep themself',
        security,
        response: { 200: UserList },
      },
    },
    async (request) => ({ users: await listUsers(database, bookOfRequest(request)) }),
  );

  server.get(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['relationship'],
        summary: 'A user, by id or e-mail (yourself, your reps, or anyone for an admin)',
        security,
        params: Type.Object({ id: Type.String() }),
        response: { 200: User },
      },
    },
    async (request) => {
      const user = await findUser(database, request.params.id);
      if (!user || !mayViewUser(credentials.viewerOf(request), user.email)) throw unknownUser(request.params.id);
      return user;
    },
  );

  server.post(
    '/api/v1/interactions',
    {
      schema: {
        tags: ['relationship'],
        summary: 'Log a touch (a call, meeting, e-mail, …) with an account in your book',
        description: 'A person signed in is the rep of the touch unless `rep` names someone else.',
        security,
        body: Type.Object({
          id: Type.Optional(Type.String({ description: 'your id for it; logging the same id twice stores it once' })),
          accountId: Type.Optional(Type.String()),
          userId: Type.Optional(Type.String()),
          rep: Type.Optional(Type.String({ description: "the rep's e-mail" })),
          channel: Type.String(),
          direction: Type.String(),
          actor: Type.Optional(Type.String()),
          twoWay: Type.Optional(Type.Boolean()),
          objective: Type.Optional(Type.String()),
          summary: Type.Optional(Type.String()),
          occurredAt: Type.Optional(Type.String()),
        }),
        response: { 201: LoggedInteraction },
      },
    },
    async (request, reply) => {
      const viewer = credentials.viewerOf(request);
      // A touch counts for the person who made it: a rep logs their own, a manager also their reps'.
      if (request.body.rep !== undefined && !mayViewUser(viewer, request.body.rep)) {
        throw new TendError(
          'invalid_request',
          `Nothing was stored: you cannot log a touch as ${JSON.stringify(request.body.rep)}. Leave out rep to log ` +
            'it as yourself; a manager may name one of their reps.',
          [{ field: 'rep', message: 'is not you or one of your reps' }],
        );
      }
      const now = clock.now();
      const fields: Record<string, string> = { occurredAt: now.toISOString() };
      // A person logging a touch made it (actor rep, so it counts as a conversation); the admin token is nobody.
      if (viewer.user !== null) fields.rep = viewer.user.email;
      for (const [key, value] of Object.entries(request.body)) if (value !== undefined) fields[key] = String(value);
      const verdict = readImportRow('interactions', fields, { now, window: config.ingest });
      if (!verdict.ok) {
        const field = verdict.reason.split(' ')[0] ?? 'body';
        const problem = { field, message: verdict.reason };
        throw new TendError('invalid_request', `The interaction is invalid: ${verdict.reason}.`, [problem]);
      }
      const row = verdict.row;
      if (row.kind !== 'interactions') throw new Error(`an interaction was read as ${row.kind}`);
      const accountOfContact =
        row.accountId === null && row.contactId !== null
          ? ((await currentAccountsOf(database, [row.contactId])).get(row.contactId) ?? null)
          : null;
      const accountId = row.accountId ?? accountOfContact;
      // Outside the book an account is as unknown as a wrong id, and a person as one in no account.
      const visible = accountId !== null && (await isAccountInBook(database, accountId, bookOf(viewer)));
      if (row.accountId !== null && !visible) {
        throw new TendError(
          'not_found',
          `Nothing was stored: no account ${JSON.stringify(row.accountId)}. Check the id (the groupId your product ` +
            'sends), or create the account first with a group call or an accounts import.',
          [{ field: 'accountId', message: 'is not a known account' }],
        );
      }
      if (accountId === null || !visible) {
        throw new TendError(
          'invalid_request',
          `Nothing was stored: the person ${JSON.stringify(row.contactId)} is in no account Tend knows, so the touch ` +
            'would count for no account. Send accountId, or first a group call (or a contacts import with ' +
            'accountId) that puts the person in their account.',
          [{ field: 'userId', message: 'belongs to no known account' }],
        );
      }
      // A person signed in names one of the account's own people: else a touch could pin another book's
      // customer to an account in theirs, and the timeline would show who they are.
      if (viewer.kind !== 'admin' && row.contactId !== null && row.accountId !== null) {
        const current = (await currentAccountsOf(database, [row.contactId])).get(row.contactId) ?? null;
        if (current !== accountId) {
          throw new TendError(
            'invalid_request',
            `Nothing was stored: the person ${JSON.stringify(row.contactId)} is not one of account ` +
              `${JSON.stringify(accountId)}'s people. ` +
              "Name one of them (see the account's People), or leave out userId.",
            [{ field: 'userId', message: "is not one of the account's people" }],
          );
        }
      }
      // The write queues the account for evaluation in its own transaction.
      await writeImportChunk(database, [{ ...row, accountId }], now);
      scheduler.wake();
      return reply.status(201).send({ success: true, accountId });
    },
  );

  server.get(
    '/api/v1/signals',
    {
      schema: {
        tags: ['relationship'],
        summary: "Signals of your book's accounts, most severe first",
        security,
        querystring: Type.Object({
          kind: Type.Optional(Type.Union(signalKinds.map((kind) => Type.Literal(kind)))),
          ownerId: Type.Optional(Type.String({ description: "the owner's user id or e-mail" })),
          accountId: Type.Optional(Type.String()),
          open: Type.Optional(Type.Boolean()),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
        }),
        response: { 200: SignalList },
      },
    },
    async (request) => {
      const { kind, ownerId, accountId, open, limit } = request.query;
      const ownerEmail = ownerId === undefined ? undefined : await ownerEmailOf(ownerId);
      const filter = {
        limit,
        ...(kind === undefined ? {} : { kind }),
        ...(ownerEmail === undefined ? {} : { ownerEmail }),
        ...(accountId === undefined ? {} : { accountId }),
        ...(open === undefined ? {} : { open }),
      };
      return { signals: await listSignals(database, filter, bookOfRequest(request)) };
    },
  );

  server.get(
    '/api/v1/accounts/:accountId/health',
    {
      schema: {
        tags: ['relationship'],
        summary:
          "An account's health score, its components with their weights, pulls and reasons, and its daily history",
        security,
        params: Type.Object({ accountId: Type.String() }),
        querystring: Type.Object({
          days: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: maximumHistoryDays,
              default: 90,
              description: `how many of the latest scored days the history holds (at most ${maximumHistoryDays})`,
            }),
          ),
        }),
        response: { 200: AccountHealth },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      const health = await accountHealth(database, accountId, bookOfRequest(request), request.query.days ?? 90);
      if (!health) {
        throw new TendError(
          'not_found',
          `No health score for account ${JSON.stringify(accountId)} yet: the account is unknown, or not evaluated yet.`,
          [{ field: 'accountId', message: 'has no health score' }],
        );
      }
      return health;
    },
  );

  server.get(
    '/api/v1/accounts/:accountId/audit',
    {
      schema: {
        tags: ['relationship'],
        summary: 'Contact audit of an account: touches by channel, direction and actor over 30/90/365 days',
        security,
        params: Type.Object({ accountId: Type.String() }),
        response: { 200: AccountContactAudit },
      },
    },
    async (request) => accountAudit(context, request.params.accountId, bookOfRequest(request)),
  );

  server.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['relationship'],
        summary: 'Attention against value for your book of accounts (or one owner within it)',
        security,
        querystring: Type.Object({ ownerId: Type.Optional(Type.String()) }),
        response: { 200: BookAudit },
      },
    },
    async (request) => {
      const { ownerId } = request.query;
      const ownerEmail = ownerId === undefined ? null : await ownerEmailOf(ownerId);
      return bookAudit(context, ownerEmail, bookOfRequest(request));
    },
  );

  server.get(
    '/api/v1/users/:id/today',
    {
      schema: {
        tags: ['relationship'],
        summary: "A rep's ranked list of whom to contact today (yours, or your reps' for a manager)",
        security,
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({ size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }),
        response: { 200: TodayList },
      },
    },
    async (request) => {
      const viewer = credentials.viewerOf(request);
      return todayFor(context, request.params.id, request.query.size, (email) => mayViewUser(viewer, email));
    },
  );

  server.get(
    '/api/v1/users/:id/oversight',
    {
      schema: {
        tags: ['relationship'],
        summary: "A manager's view of the team's books (managers and admins; a rep is answered 403)",
        security,
        params: Type.Object({ id: Type.String() }),
        response: { 200: Oversight },
      },
    },
    async (request) => {
      const viewer = credentials.viewerOf(request);
      // The role alone decides, so the answer says nothing about the user asked for.
      if (viewer.kind === 'rep') {
        throw new TendError('forbidden', 'Oversight is for managers and admins: your own book is your today list.', [
          { field: 'role', message: 'must be manager or admin' },
        ]);
      }
      return oversightFor(context, request.params.id, (email) => mayViewUser(viewer, email));
    },
  );
}
