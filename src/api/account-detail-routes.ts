// The rest of an account's page: its timeline (everything that happened, newest first, by kind) and its
// people (how to reach them, their consents, the channel they answer on). Anyone signed in, for the
// accounts of their book; any other account is "not found".
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import {
  eventSummary,
  type TimelineKind,
  timelineKindOf,
  timelineKinds,
  touchName,
  touchSummary,
} from '../domain/relationship/timeline-entry.js';
import { bookOf } from '../domain/viewer.js';
import { peopleWithPreferences } from '../engine/people-view.js';
import { accountTimeline, type TimelineRow } from '../store/account-timeline.js';
import { isAccountInBook } from '../store/book-scope.js';
import type { Database } from '../store/schema.js';
import { appSecurity, badCursor, unknownAccount } from './account-list-routes.js';
import { PeoplePage, TimelinePage } from './account-schemas.js';
import type { Credentials } from './credentials.js';
import { databaseTimePattern, decodeCursor, encodeCursor, uuidPattern } from './page-cursor.js';

export interface AccountDetailDependencies {
  readonly database: Kysely<Database>;
  readonly credentials: Credentials;
  readonly clock: Clock;
}

/** `kinds=touch,message`: the kinds named, each once; 400 naming `kinds` for a word that is not one. */
function readKinds(text: string | undefined): TimelineKind[] {
  if (text === undefined) return [];
  const words = text
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word !== '');
  const unknown = words.filter((word) => !(timelineKinds as readonly string[]).includes(word));
  if (unknown.length > 0 || words.length === 0) {
    throw new TendError('invalid_request', `kinds must be a comma-separated list of ${timelineKinds.join(', ')}.`, [
      { field: 'querystring.kinds', message: `must be among ${timelineKinds.join(', ')}` },
    ]);
  }
  return [...new Set(words as TimelineKind[])];
}

function entryOf(row: TimelineRow) {
  const person = row.contactId === null ? null : { id: row.contactId, name: row.contactName, email: row.contactEmail };
  if (row.source === 'interaction') {
    return {
      id: row.id,
      at: row.at.toISOString(),
      kind: 'touch' as const,
      name: touchName(row.channel ?? ''),
      summary: touchSummary(row.objective, row.summary),
      person,
      by: row.userEmail ?? row.actor,
      channel: row.channel,
      direction: row.direction,
    };
  }
  const property = (key: string) => (typeof row.properties[key] === 'string' ? (row.properties[key] as string) : null);
  return {
    id: row.id,
    at: row.at.toISOString(),
    kind: timelineKindOf(row.name),
    name: row.name ?? 'event',
    summary: eventSummary(row.name, row.properties),
    person,
    by: property('rep') ?? (row.byTend ? 'tend' : null),
    channel: property('channel'),
    direction: property('direction'),
  };
}

export async function accountDetailRoutes(
  plain: FastifyInstance,
  dependencies: AccountDetailDependencies,
): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, credentials, clock } = dependencies;
  server.addHook('onRequest', async (request) => credentials.authenticate(request));
  const params = Type.Object({ accountId: Type.String({ minLength: 1 }) });
  const requireInBook = async (request: object, accountId: string) => {
    const book = bookOf(credentials.viewerOf(request));
    if (!(await isAccountInBook(database, accountId, book))) throw unknownAccount(accountId);
  };

  server.get(
    '/api/v1/accounts/:accountId/timeline',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Everything that happened with an account, newest first: events, touches, messages, tasks, signals',
        description:
          '`kinds` (comma-separated) keeps some: event (any other event), touch (calls, meetings, e-mails logged), ' +
          "message (Tend's messages and the replies), task, signal (raised and cleared). Pages with `cursor`.",
        security: appSecurity,
        params,
        querystring: Type.Object({
          kinds: Type.Optional(Type.String({ minLength: 1, maxLength: 200, examples: ['touch,message'] })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
        }),
        response: { 200: TimelinePage },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      const { limit, cursor } = request.query;
      const kinds = readKinds(request.query.kinds);
      let after = null;
      if (cursor !== undefined) {
        const parts = decodeCursor(cursor, 2);
        const [at, id] = parts ?? [];
        const valid =
          typeof at === 'string' && typeof id === 'string' && databaseTimePattern.test(at) && uuidPattern.test(id);
        if (!valid) throw badCursor();
        after = { at, id };
      }
      await requireInBook(request, accountId);
      const rows = await accountTimeline(database, { accountId, kinds, limit, after });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map(entryOf),
        next: rows.length > limit && last ? encodeCursor([last.position.at, last.position.id]) : null,
      };
    },
  );

  server.get(
    '/api/v1/accounts/:accountId/people',
    {
      schema: {
        tags: ['accounts'],
        summary: "An account's people: how to reach them, consents, do-not-contact, the channel each answers on",
        security: appSecurity,
        params,
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
          cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
        }),
        response: { 200: PeoplePage },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      const { limit, cursor } = request.query;
      let after: string | null = null;
      if (cursor !== undefined) {
        const [id] = decodeCursor(cursor, 1) ?? [];
        if (typeof id !== 'string') throw badCursor();
        after = id;
      }
      await requireInBook(request, accountId);
      const people = await peopleWithPreferences(database, { accountId, limit, after }, clock.now());
      const page = people.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((person) => {
          const recorded = person.consents.map((consent) => ({ ...consent, at: consent.at.toISOString() }));
          const unrecorded = ['email', 'sms']
            .filter((channel) => !recorded.some((consent) => consent.channel === channel))
            .map((channel) => ({ channel, status: 'unknown' as const, at: null, source: null }));
          return {
            id: person.id,
            name: person.name,
            email: person.email,
            phone: person.phone,
            language: person.language,
            timezone: person.timezone,
            since: person.since.toISOString(),
            consents: [...recorded, ...unrecorded].sort((a, b) => a.channel.localeCompare(b.channel)),
            doNotContact: person.doNotContact,
            channelPreference: person.channelPreference,
          };
        }),
        next: people.length > limit && last ? encodeCursor([last.id]) : null,
      };
    },
  );
}
