// A playbook's page: its definition, how many runs stand at each step, how far its last day's sending has
// got, and the runs in progress with the step each is at. Anyone signed in reads the definition and the
// counts; the runs listed are those of the viewer's book only.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { TendError } from '../domain/errors.js';
import type { Playbook } from '../domain/playbooks/playbook-definition.js';
import { bookOf } from '../domain/viewer.js';
import type { LoadedPlaybooks } from '../config/playbook-library.js';
import { activeRuns, activeRunsByStep } from '../store/playbook-runs.js';
import type { Database } from '../store/schema.js';
import { appSecurity, badCursor } from './account-list-routes.js';
import type { Clock } from '../domain/clock.js';
import { playbookProgress, progressWindowMilliseconds } from '../store/playbook-progress.js';
import type { Credentials } from './credentials.js';
import { databaseTimePattern, decodeCursor, encodeCursor, uuidPattern } from './page-cursor.js';
import { definitionView, PlaybookDetail, PlaybookRunPage } from './playbook-schemas.js';

export interface PlaybookDetailDependencies {
  readonly database: Kysely<Database>;
  readonly credentials: Credentials;
  readonly playbooks: LoadedPlaybooks;
  readonly clock: Clock;
}

function playbookOf(playbooks: LoadedPlaybooks, id: string): Playbook {
  const playbook = playbooks.playbooks.find((candidate) => candidate.id === id);
  if (playbook === undefined) {
    throw new TendError('not_found', `No playbook ${JSON.stringify(id)}; GET /api/v1/playbooks lists them.`, [
      { field: 'id', message: 'is not a known playbook' },
    ]);
  }
  return playbook;
}

export async function playbookDetailRoutes(
  plain: FastifyInstance,
  dependencies: PlaybookDetailDependencies,
): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, credentials, playbooks, clock } = dependencies;
  server.addHook('onRequest', async (request) => credentials.authenticate(request));
  const params = Type.Object({ id: Type.String({ minLength: 1 }) });

  server.get(
    '/api/v1/playbooks/:id',
    {
      schema: {
        tags: ['playbooks'],
        summary:
          "A playbook's definition, how many runs are in progress at each step, and its last 24 hours' " +
          'sending: runs entered, messages sent, waiting, failed and skipped per channel',
        security: appSecurity,
        params,
        response: { 200: PlaybookDetail },
      },
    },
    async (request) => {
      const playbook = playbookOf(playbooks, request.params.id);
      const since = new Date(clock.now().getTime() - progressWindowMilliseconds);
      const [counts, progress] = await Promise.all([
        activeRunsByStep(database, playbook.id),
        playbookProgress(database, playbook.id, since),
      ]);
      const count = (stepId: string | null, group: 'treated' | 'holdout') =>
        counts.find((row) => row.stepId === stepId && row.group === group)?.runs ?? 0;
      const known = new Set(playbook.steps.map((step) => step.id));
      // Steps in the definition's order; a step only an older version had, and runs past the last step, after.
      const stepIds = [
        ...playbook.steps.map((step) => step.id),
        ...new Set(counts.map((row) => row.stepId).filter((stepId) => stepId === null || !known.has(stepId))),
      ];
      const byStep = stepIds.map((stepId) => ({
        stepId,
        kind: playbook.steps.find((step) => step.id === stepId)?.kind ?? null,
        treated: count(stepId, 'treated'),
        holdout: count(stepId, 'holdout'),
      }));
      const total = (group: 'treated' | 'holdout') =>
        counts.filter((row) => row.group === group).reduce((sum, row) => sum + row.runs, 0);
      const inProgress = { treated: total('treated'), holdout: total('holdout'), byStep };
      return { ...definitionView(playbook), inProgress, progress: { ...progress, since: since.toISOString() } };
    },
  );

  server.get(
    '/api/v1/playbooks/:id/runs',
    {
      schema: {
        tags: ['playbooks'],
        summary: "A playbook's runs in progress for the accounts of your book, newest first, with the step each is at",
        security: appSecurity,
        params,
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
        }),
        response: { 200: PlaybookRunPage },
      },
    },
    async (request) => {
      const playbook = playbookOf(playbooks, request.params.id);
      const { limit, cursor } = request.query;
      let after = null;
      if (cursor !== undefined) {
        const [enteredAt, id] = decodeCursor(cursor, 2) ?? [];
        const valid =
          typeof enteredAt === 'string' &&
          typeof id === 'string' &&
          databaseTimePattern.test(enteredAt) &&
          uuidPattern.test(id);
        if (!valid) throw badCursor();
        after = { enteredAt, id };
      }
      const book = bookOf(credentials.viewerOf(request));
      const rows = await activeRuns(database, { playbookId: playbook.id, book, limit, after });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((run) => ({
          id: run.id,
          accountId: run.accountId,
          accountName: run.accountName,
          contactId: run.contactId,
          contactName: run.contactName,
          group: run.group,
          stepId: run.stepId,
          stepKind: playbook.steps.find((step) => step.id === run.stepId)?.kind ?? null,
          enteredAt: run.enteredAt.toISOString(),
          atStepSince: run.atStepSince?.toISOString() ?? null,
          nextDueAt: run.nextDueAt?.toISOString() ?? null,
          awaitingEvent: run.awaitingEvent,
        })),
        next: rows.length > limit && last ? encodeCursor([last.position.enteredAt, last.position.id]) : null,
      };
    },
  );
}
