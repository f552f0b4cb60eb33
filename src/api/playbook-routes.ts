// Playbooks and what they did: each playbook with a summary of its results against its holdout group, full
// results with the lift and its 95 % interval, also per risk band (aggregates: anyone signed in may read
// them), and the outbox of messages (only those of the viewer's book; a message outside it is not found).
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { TendError } from '../domain/errors.js';
import { compareRates, summariseRate } from '../domain/models/experiment-statistics.js';
import type { GroupCounts } from '../domain/playbooks/group-counts.js';
import { liftByRiskBand, totalCounts } from '../domain/playbooks/risk-band-lift.js';
import type { LoadedPlaybooks } from '../config/playbook-library.js';
import { listOutbox, playbookCounts, playbookCountsByEntryScore } from '../store/playbook-results.js';
import { resendMessage } from '../store/outbox-resend.js';
import { recordAuditEntry } from '../store/audit-log.js';
import type { Clock } from '../domain/clock.js';
import { describeActor } from '../domain/audit.js';
import { bookOf } from '../domain/viewer.js';
import type { Database } from '../store/schema.js';
import type { Credentials } from './credentials.js';
import { encodeCursor, timeAndIdPosition } from './page-cursor.js';
import { OutboxList, PlaybookList, PlaybookResults, ResentMessage } from './work-schemas.js';

function comparison(treated: GroupCounts, holdout: GroupCounts, measure: keyof GroupCounts) {
  if (treated.entered === 0 || holdout.entered === 0)
    return {
      treated: treated.entered === 0 ? null : treated[measure] / treated.entered,
      holdout: holdout.entered === 0 ? null : holdout[measure] / holdout.entered,
      lift: null,
      note: 'needs subjects in both groups',
    };
  const treatedRate = summariseRate(treated[measure], treated.entered);
  const holdoutRate = summariseRate(holdout[measure], holdout.entered);
  return { treated: treatedRate, holdout: holdoutRate, lift: compareRates(treatedRate, holdoutRate) };
}

export async function playbookRoutes(
  plain: FastifyInstance,
  dependencies: {
    database: Kysely<Database>;
    playbooks: LoadedPlaybooks;
    credentials: Credentials;
    clock: Clock;
    onChange: () => void;
  },
): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, playbooks } = dependencies;
  server.addHook('onRequest', async (request) => dependencies.credentials.authenticate(request));
  // A person's session (the app), or the admin token (scripts and integrations).
  const security: { [scheme: string]: string[] }[] = [{ session: [] }, { adminToken: [] }];

  const listSummary = 'The playbooks, each with a summary of its results';
  const listSchema = { tags: ['playbooks'], summary: listSummary, security, response: { 200: PlaybookList } };
  server.get('/api/v1/playbooks', { schema: listSchema }, async () => {
    const counts = await playbookCounts(database, null);
    return {
      folder: playbooks.folder,
      playbooks: playbooks.playbooks.map((playbook) => {
        const entry = counts.get(playbook.id);
        return {
          id: playbook.id,
          name: playbook.name,
          description: playbook.description,
          version: playbook.version,
          enabled: playbook.enabled,
          trigger: playbook.trigger,
          holdout: playbook.holdout,
          results: entry ?? null,
        };
      }),
    };
  });

  const resultsSchema = {
    tags: ['playbooks'],
    summary: 'Results against the holdout group, with lifts and 95 % intervals',
    security,
    params: Type.Object({ id: Type.String() }),
    response: { 200: PlaybookResults },
  };
  server.get('/api/v1/playbooks/:id/results', { schema: resultsSchema }, async (request) => {
    const playbook = playbooks.playbooks.find((candidate) => candidate.id === request.params.id);
    // One statement: the counts per group and score at entry, whose sums are the whole and the bands.
    const rows = await playbookCountsByEntryScore(database, request.params.id);
    if (!playbook && rows.length === 0)
      throw new TendError(
        'not_found',
        `No playbook ${JSON.stringify(request.params.id)}; GET /api/v1/playbooks lists them.`,
        [{ field: 'id', message: 'is not a known playbook' }],
      );
    const { treated, holdout } = totalCounts(rows);
    return {
      id: request.params.id,
      name: playbook?.name ?? null,
      goal: playbook?.goal ?? null,
      holdoutShare: playbook?.holdout ?? null,
      treated,
      holdout,
      goalReached: comparison(treated, holdout, 'goalReached'),
      responded: comparison(treated, holdout, 'responded'),
      retained: comparison(treated, holdout, 'retained'),
      byRiskBand: liftByRiskBand(rows),
    };
  });

  server.get(
    '/api/v1/outbox',
    {
      schema: {
        tags: ['playbooks'],
        summary:
          "Messages Tend sent or would send to the viewer's book (the local mailbox when no provider is configured), " +
          'newest first',
        security,
        querystring: Type.Object({
          contactId: Type.Optional(Type.String()),
          accountId: Type.Optional(Type.String()),
          status: Type.Optional(Type.String()),
          cursor: Type.Optional(Type.String({ minLength: 1, description: "the previous page's `next`" })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: { 200: OutboxList },
      },
    },
    async (request) => {
      const { contactId, accountId, status, cursor, limit } = request.query;
      const book = bookOf(dependencies.credentials.viewerOf(request));
      const filter = {
        book,
        limit,
        ...(contactId === undefined ? {} : { contactId }),
        ...(accountId === undefined ? {} : { accountId }),
        ...(status === undefined ? {} : { status }),
        ...(cursor === undefined ? {} : { before: timeAndIdPosition(cursor) }),
      };
      const messages = await listOutbox(database, filter);
      const last = messages.at(-1);
      const next =
        messages.length === limit && last !== undefined ? encodeCursor([last.exactCreatedAt, last.id]) : null;
      return { messages: messages.map(({ exactCreatedAt: _exact, ...message }) => message), next };
    },
  );

  server.post(
    '/api/v1/outbox/:id/resend',
    {
      schema: {
        tags: ['playbooks'],
        summary:
          "Sends an unconfirmed or failed message of the viewer's book again (someone checked it did not arrive)",
        security,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: ResentMessage },
      },
    },
    async (request) => {
      const now = dependencies.clock.now();
      const viewer = dependencies.credentials.viewerOf(request);
      const actor = dependencies.credentials.actorOf(request);
      const outcome = await database.transaction().execute(async (trx) => {
        const resent = await resendMessage(trx, request.params.id, now, bookOf(viewer), describeActor(actor));
        if (!resent?.resent) return resent;
        const details = { was: resent.previousStatus };
        await recordAuditEntry(trx, { actor, action: 'message.resent', subject: request.params.id, details }, now);
        return resent;
      });
      if (outcome === null)
        throw new TendError('not_found', `No message ${request.params.id} in the outbox.`, [
          { field: 'id', message: 'is not a known message' },
        ]);
      if (!outcome.resent)
        throw new TendError(
          'conflict',
          `Message ${request.params.id} is ${outcome.previousStatus}; ` +
            'only unconfirmed or failed messages can be sent again.',
          [{ field: 'status', message: `is ${outcome.previousStatus}` }],
        );
      dependencies.onChange();
      return { id: request.params.id, status: 'pending' as const, was: outcome.previousStatus };
    },
  );
}
