// The relationship API: users, logged interactions, signals, account health, a rep's today list and a
// manager's oversight. Behind the admin token.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import { readImportRow } from '../domain/import-rows.js';
import { signalKinds } from '../domain/relationship/signal.js';
import type { RelationshipEngine } from '../engine/relationship-engine.js';
import { accountAudit, bookAudit } from '../engine/attention-view.js';
import { oversightFor, todayFor } from '../engine/rep-views.js';
import { currentAccountsOf, writeImportChunk } from '../store/import-writer.js';
import type { Database } from '../store/schema.js';
import { listSignals } from '../store/signal-store.js';
import { findUser, listUsers, upsertUsers, userRoles } from '../store/users.js';
import { accountHealth } from '../store/health-queries.js';
import type { Credentials } from './credentials.js';

export interface RelationshipDependencies {
  readonly database: Kysely<Database>;
  readonly credentials: Credentials;
  readonly clock: Clock;
  readonly engine: RelationshipEngine;
}

export async function relationshipRoutes(plain: FastifyInstance, dependencies: RelationshipDependencies): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, clock, engine } = dependencies;
  server.addHook('onRequest', async (request) => dependencies.credentials.authenticateAdmin(request));
  const security = [{ adminToken: [] }];
  const context = { database, clock, config: engine.config };

  server.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['relationship'],
        summary: 'Create or update a user (rep, manager, admin) by e-mail',
        security,
        body: Type.Object({
          email: Type.String({ format: 'email' }),
          name: Type.Optional(Type.String()),
          role: Type.Union(userRoles.map((role) => Type.Literal(role))),
          managerEmail: Type.Optional(Type.Union([Type.String({ format: 'email' }), Type.Null()])),
        }),
      },
    },
    async (request, reply) => {
      const { email, name, role, managerEmail } = request.body;
      const saved = { email, name: name ?? null, role, managerEmail: managerEmail ?? null };
      const [user] = await upsertUsers(database, [saved], dependencies.credentials.actorOf(request), clock.now());
      return reply.status(201).send(user);
    },
  );
  server.get('/api/v1/users', { schema: { tags: ['relationship'], summary: 'All users', security } }, async () => ({ users: await listUsers(database) }));
  server.get('/api/v1/users/:id', { schema: { tags: ['relationship'], summary: 'A user, by id or e-mail', security, params: Type.Object({ id: Type.String() }) } }, async (request) => {
    const user = await findUser(database, request.params.id);
    if (!user) throw new TendError('not_found', `No user ${JSON.stringify(request.params.id)}.`, [{ field: 'id', message: 'is not a known user' }]);
    return user;
  });

  server.post(
    '/api/v1/interactions',
    {
      schema: {
        tags: ['relationship'],
        summary: 'Log a touch: a call, meeting, e-mail, …',
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
      },
    },
    async (request, reply) => {
      const now = clock.now();
      const fields: Record<string, string> = { occurredAt: now.toISOString() };
      for (const [key, value] of Object.entries(request.body)) if (value !== undefined) fields[key] = String(value);
      const verdict = readImportRow('interactions', fields, { now, window: engine.config.ingest });
      if (!verdict.ok) throw new TendError('invalid_request', `The interaction is invalid: ${verdict.reason}.`, [{ field: verdict.reason.split(' ')[0] ?? 'body', message: verdict.reason }]);
      const row = verdict.row;
      if (row.kind !== 'interactions') throw new Error(`an interaction was read as ${row.kind}`);
      const accountId = row.accountId ?? (row.contactId === null ? null : ((await currentAccountsOf(database, [row.contactId])).get(row.contactId) ?? null));
      if (accountId === null) {
        throw new TendError('invalid_request', `Nothing was stored: the person ${JSON.stringify(row.contactId)} is in no account Tend knows, so the touch would count for no account. Send accountId, or first a group call (or a contacts import with accountId) that puts the person in their account.`, [{ field: 'userId', message: 'belongs to no known account' }]);
      }
      if (row.accountId !== null && !(await database.selectFrom('accounts').select('id').where('id', '=', row.accountId).executeTakeFirst())) {
        throw new TendError('not_found', `Nothing was stored: no account ${JSON.stringify(row.accountId)}. Check the id (the groupId your product sends), or create the account first with a group call or an accounts import.`, [{ field: 'accountId', message: 'is not a known account' }]);
      }
      // The write queues the account for evaluation in its own transaction.
      await writeImportChunk(database, [{ ...row, accountId }], now);
      engine.wake();
      return reply.status(201).send({ success: true, accountId });
    },
  );

  server.get(
    '/api/v1/signals',
    {
      schema: {
        tags: ['relationship'],
        summary: 'Signals, most severe first',
        security,
        querystring: Type.Object({
          kind: Type.Optional(Type.Union(signalKinds.map((kind) => Type.Literal(kind)))),
          ownerId: Type.Optional(Type.String({ description: "the owner's user id or e-mail" })),
          accountId: Type.Optional(Type.String()),
          open: Type.Optional(Type.Boolean()),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
        }),
      },
    },
    async (request) => {
      const { kind, ownerId, accountId, open, limit } = request.query;
      let ownerEmail: string | undefined;
      if (ownerId !== undefined) {
        const owner = await findUser(database, ownerId);
        ownerEmail = owner?.email ?? ownerId.toLowerCase();
      }
      return {
        signals: await listSignals(database, {
          limit,
          ...(kind === undefined ? {} : { kind }),
          ...(ownerEmail === undefined ? {} : { ownerEmail }),
          ...(accountId === undefined ? {} : { accountId }),
          ...(open === undefined ? {} : { open }),
        }),
      };
    },
  );

  server.get('/api/v1/accounts/:accountId/health', { schema: { tags: ['relationship'], summary: "An account's health score, its components and reasons, and its daily history", security, params: Type.Object({ accountId: Type.String() }) } }, async (request) => {
    const health = await accountHealth(database, request.params.accountId);
    if (!health) throw new TendError('not_found', `No health score for account ${JSON.stringify(request.params.accountId)} yet: the account is unknown, or not evaluated yet.`, [{ field: 'accountId', message: 'has no health score' }]);
    return health;
  });

  server.get('/api/v1/accounts/:accountId/audit', { schema: { tags: ['relationship'], summary: 'Contact audit of an account: touches by channel, direction and actor over 30/90/365 days', security, params: Type.Object({ accountId: Type.String() }) } }, async (request) =>
    accountAudit(context, request.params.accountId),
  );
  server.get('/api/v1/audit', { schema: { tags: ['relationship'], summary: 'Attention against value for a book of accounts (one owner, or everyone)', security, querystring: Type.Object({ ownerId: Type.Optional(Type.String()) }) } }, async (request) => {
    let ownerEmail: string | null = null;
    if (request.query.ownerId !== undefined) ownerEmail = (await findUser(database, request.query.ownerId))?.email ?? request.query.ownerId;
    return bookAudit(context, ownerEmail);
  });

  server.get('/api/v1/users/:id/today', { schema: { tags: ['relationship'], summary: "A rep's ranked list of whom to contact today", security, params: Type.Object({ id: Type.String() }), querystring: Type.Object({ size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }) } }, async (request) =>
    todayFor(context, request.params.id, request.query.size),
  );
  server.get('/api/v1/users/:id/oversight', { schema: { tags: ['relationship'], summary: "A manager's view of the team's books", security, params: Type.Object({ id: Type.String() }) } }, async (request) => oversightFor(context, request.params.id));
}
