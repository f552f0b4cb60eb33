// The app's account reads: the account list (search, filters, sorts, keyset pages) and the top of an
// account's page. Anyone signed in; each sees their book only, and an account outside it is "not found".
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import { type SignalKind, signalKinds } from '../domain/relationship/signal.js';
import { bookOf } from '../domain/viewer.js';
import {
  type AccountListPosition,
  type AccountListQuery,
  type AccountSort,
  accountSorts,
  listAccounts,
  nobody,
  type SortOrder,
} from '../store/account-list.js';
import { accountSummary } from '../store/account-summary.js';
import type { Database } from '../store/schema.js';
import { findUser } from '../store/users.js';
import { AccountPage, AccountSummary } from './account-schemas.js';
import type { Credentials } from './credentials.js';
import { databaseTimePattern, decodeCursor, encodeCursor } from './page-cursor.js';
import { OneOf } from './relationship-schemas.js';

export interface AccountListDependencies {
  readonly database: Kysely<Database>;
  readonly credentials: Credentials;
  readonly clock: Clock;
}

/** A person's session cookie, or the admin token. */
export const appSecurity: { [scheme: string]: string[] }[] = [{ session: [] }, { adminToken: [] }];

/** The answer for an account that does not exist and for one outside the viewer's book alike. */
export function unknownAccount(accountId: string): TendError {
  return new TendError('not_found', `No account with id ${JSON.stringify(accountId)}.`, [
    { field: 'accountId', message: 'is not a known account' },
  ]);
}

export function badCursor(): TendError {
  return new TendError(
    'invalid_request',
    'The cursor is not one this list gave: send back `next` exactly as received, with the same filters and sort.',
    [{ field: 'cursor', message: 'is not a cursor of this list' }],
  );
}

const dayMilliseconds = 86_400_000;
const major = (minor: number | null): number | null => (minor === null ? null : minor / 100);
export const daysSince = (at: Date | null, now: Date): number | null =>
  at === null ? null : Math.max(0, Math.floor((now.getTime() - at.getTime()) / dayMilliseconds));

/** Signals of kinds this Tend no longer raises are left out (their rows outlive a change of kinds). */
const isSignalKind = (kind: string): kind is SignalKind => (signalKinds as readonly string[]).includes(kind);

/** Each sort's natural order: most valuable, least healthy, longest silent first. */
const defaultOrder: Record<AccountSort, SortOrder> = { value: 'desc', health: 'asc', 'days-since-contact': 'desc' };

/** What each sort's key looks like as the database writes it: anything else would fail its cast. */
const keyPatterns: Record<AccountSort, RegExp> = {
  value: /^-?\d{1,18}$/,
  health: /^-?\d{1,9}$/,
  'days-since-contact': databaseTimePattern,
};

/** A list cursor names its sort, so that a cursor sent with another sort is refused rather than misread. */
function readPosition(cursor: string, sort: AccountSort, order: SortOrder): AccountListPosition {
  const parts = decodeCursor(cursor, 5);
  if (parts === null) throw badCursor();
  const [cursorSort, cursorOrder, phase, key, id] = parts;
  if (cursorSort !== sort || cursorOrder !== order || typeof id !== 'string') throw badCursor();
  if (phase === 'known' && typeof key === 'string' && keyPatterns[sort].test(key)) return { phase, key, id };
  if (phase === 'unknown' && key === null) return { phase, key, id };
  throw badCursor();
}

export async function accountListRoutes(plain: FastifyInstance, dependencies: AccountListDependencies): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, credentials, clock } = dependencies;
  server.addHook('onRequest', async (request) => credentials.authenticate(request));

  server.get(
    '/api/v1/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The accounts of your book: search, filter, sort, a page at a time',
        description:
          'Search by the beginnings of words of the name or the beginning of the id; filter by owner, tier and open ' +
          'signal kind; sort by value (most valuable first), health (least healthy first) or days since the last ' +
          'substantive contact (longest silence first; never contacted counts as longest); `order` reverses. Pages ' +
          "with `cursor` (the previous answer's `next`).",
        security: appSecurity,
        querystring: Type.Object({
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          ownerId: Type.Optional(
            Type.String({
              minLength: 1,
              description: "the owner's user id or e-mail; `none`: the accounts nobody owns",
            }),
          ),
          tier: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          signal: Type.Optional(
            OneOf<SignalKind>(signalKinds, { description: 'accounts with an open signal of this kind' }),
          ),
          sort: Type.Unsafe<AccountSort>({ type: 'string', enum: [...accountSorts], default: 'value' }),
          order: Type.Optional(OneOf(['asc', 'desc'] as const)),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
        }),
        response: { 200: AccountPage },
      },
    },
    async (request) => {
      const { q, ownerId, tier, signal, sort, limit, cursor } = request.query;
      const order = request.query.order ?? defaultOrder[sort];
      const after = cursor === undefined ? null : readPosition(cursor, sort, order);
      const ownerEmail: AccountListQuery['ownerEmail'] =
        ownerId === undefined
          ? null
          : ownerId === 'none'
            ? nobody
            : ((await findUser(database, ownerId))?.email ?? ownerId.toLowerCase());
      const book = bookOf(credentials.viewerOf(request));
      const search = q === undefined || q.trim() === '' ? null : q;
      const filters: Pick<AccountListQuery, 'search' | 'ownerEmail' | 'tier' | 'signalKind'> = {
        search,
        ownerEmail,
        tier: tier ?? null,
        signalKind: signal ?? null,
      };
      const rows = await listAccounts(database, { book, ...filters, sort, order, limit, after });
      const now = clock.now();
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const position = last?.position;
      const next =
        rows.length > limit && position ? encodeCursor([sort, order, position.phase, position.key, position.id]) : null;
      return {
        items: page.map((row) => ({
          id: row.id,
          name: row.name,
          tier: row.tier,
          lifecycleStage: row.lifecycleStage,
          revenue: major(row.revenueMinor),
          profit: major(row.profitMinor),
          value: major(row.valueMinor),
          currency: row.currency,
          owner: row.ownerEmail === null ? null : { email: row.ownerEmail, name: row.ownerName },
          healthScore: row.healthScore,
          lastContactAt: row.lastContactAt?.toISOString() ?? null,
          daysSinceContact: daysSince(row.lastContactAt, now),
          openSignals: row.openSignalKinds.filter(isSignalKind),
        })),
        next,
      };
    },
  );

  server.get(
    '/api/v1/accounts/:accountId/summary',
    {
      schema: {
        tags: ['accounts'],
        summary: "The top of an account's page: name, tier, value, owner, health, last contact, open signals",
        security: appSecurity,
        params: Type.Object({ accountId: Type.String({ minLength: 1 }) }),
        response: { 200: AccountSummary },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      const account = await accountSummary(database, accountId, bookOf(credentials.viewerOf(request)));
      if (account === null) throw unknownAccount(accountId);
      const now = clock.now();
      const owner =
        account.ownerEmail === null
          ? null
          : { email: account.ownerEmail, name: account.ownerName, known: account.ownerKnown };
      return {
        id: account.id,
        name: account.name,
        plan: account.plan,
        tier: account.tier,
        lifecycleStage: account.lifecycleStage,
        revenue: major(account.revenueMinor),
        profit: major(account.profitMinor),
        value: major(account.valueMinor),
        currency: account.currency,
        owner,
        healthScore: account.healthScore,
        lastContactAt: account.lastContactAt?.toISOString() ?? null,
        daysSinceContact: daysSince(account.lastContactAt, now),
        createdAt: account.createdAt.toISOString(),
        openSignals: account.openSignals.flatMap((signal) =>
          isSignalKind(signal.kind)
            ? [
                {
                  id: signal.id,
                  kind: signal.kind,
                  contactId: signal.contactId,
                  severity: signal.severity,
                  valueAtStake: signal.valueAtStakeMinor / 100,
                  reasons: signal.reasons,
                  owner: signal.ownerEmail,
                  raisedAt: signal.raisedAt.toISOString(),
                  deadlineAt: signal.deadlineAt?.toISOString() ?? null,
                },
              ]
            : [],
        ),
      };
    },
  );
}
