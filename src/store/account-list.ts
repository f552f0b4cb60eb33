// The account list of the app: the accounts of a viewer's book, searched by name or id, filtered by
// owner, tier and open signal kind, sorted by value, health or silence, a page at a time. Keyset pages
// over the standing the evaluation keeps on each account (migration 0023): a page costs a walk of one
// index, however many accounts there are and however deep the page.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Book } from '../domain/viewer.js';
import { personInBook } from './book-scope.js';
import { exactTime } from './exact-time.js';
import type { Database } from './schema.js';

export const accountSorts = ['value', 'health', 'days-since-contact'] as const;
export type AccountSort = (typeof accountSorts)[number];
export type SortOrder = 'asc' | 'desc';

/** Where a page starts: after this account, in the part of the list with a known sort key or without one. */
export interface AccountListPosition {
  readonly phase: 'known' | 'unknown';
  /** The last account's sort key as text (a number, or an exact time); null in the unknown part. */
  readonly key: string | null;
  readonly id: string;
}

/** The owner filter for accounts nobody owns: no signal reaches a person, and no today list shows them. */
export const nobody: unique symbol = Symbol('nobody');

export interface AccountListQuery {
  readonly book: Book;
  /** The beginnings of words of the name, or the beginning of the id (case-insensitive). */
  readonly search: string | null;
  /** One owner's accounts (by e-mail), those nobody owns, or (null) anyone's. */
  readonly ownerEmail: string | typeof nobody | null;
  readonly tier: string | null;
  readonly signalKind: string | null;
  readonly sort: AccountSort;
  readonly order: SortOrder;
  readonly limit: number;
  readonly after: AccountListPosition | null;
}

export interface AccountListRow {
  readonly id: string;
  readonly name: string | null;
  readonly tier: string | null;
  readonly lifecycleStage: string | null;
  readonly revenueMinor: number | null;
  readonly profitMinor: number | null;
  readonly valueMinor: number | null;
  readonly currency: string | null;
  readonly ownerEmail: string | null;
  readonly ownerName: string | null;
  readonly healthScore: number | null;
  readonly lastContactAt: Date | null;
  readonly openSignalKinds: string[];
  readonly position: AccountListPosition;
}

interface SortPlan {
  readonly column: 'value_minor' | 'health_score' | 'last_contact_at';
  readonly type: RawBuilder<unknown>;
  readonly direction: SortOrder;
  /** Accounts without the figure (not evaluated yet; never spoken to) come first rather than last. */
  readonly unknownFirst: boolean;
}

/**
 * How a sort maps onto a column. Days since contact run opposite to the last contact's time, and an
 * account nobody ever spoke to has been silent longest. An account not evaluated yet has no health
 * or value: it comes last either way.
 */
function planOf(sort: AccountSort, order: SortOrder): SortPlan {
  switch (sort) {
    case 'value':
      return { column: 'value_minor', type: sql`bigint`, direction: order, unknownFirst: false };
    case 'health':
      return { column: 'health_score', type: sql`integer`, direction: order, unknownFirst: false };
    case 'days-since-contact': {
      const direction = order === 'desc' ? 'asc' : 'desc';
      return { column: 'last_contact_at', type: sql`timestamptz`, direction, unknownFirst: order === 'desc' };
    }
  }
}

/** `%` and `_` in what the person typed are letters, not patterns. */
const literal = (text: string): string => text.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`);

/**
 * The words typed, each as the beginning of a word of the name ("wonka bak" finds "Wonka Bakery"), as a
 * text search query; only letters and digits reach it, so nothing typed is read as an operator.
 */
export function nameWordsQuery(text: string): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length === 0 ? null : words.map((word) => `${word}:*`).join(' & ');
}

/** Whether the account's name or id matches what was typed. */
function searchCondition(search: string): RawBuilder<boolean> {
  const words = nameWordsQuery(search);
  const nameWords = sql`to_tsvector('simple', coalesce(accounts.name, ''))`;
  const byName = words === null ? sql`false` : sql`${nameWords} @@ to_tsquery('simple', ${words})`;
  return sql<boolean>`(${byName} or lower(accounts.id) like ${`${literal(search.trim())}%`})`;
}

/** A search with fewer matches than this is answered from all its matches, a denser one along the sort. */
const sparseSearch = 500;

/**
 * The same for the signal filter: a kind open on fewer accounts than this (a detractor, a late payment)
 * is answered from those accounts, a commoner one (neglected) along the sort. Walking the sort for a
 * rare kind read thousands of accounts for a page (docs/benchmarks/2026-12-07-app.md).
 */
const sparseSignal = 5000;

interface Conditions {
  /** Every condition but the search and the signal filter. */
  readonly where: RawBuilder<boolean>;
  /** The search's and the signal filter's ways, exclusive: one branch of the page each. */
  readonly ways: readonly RawBuilder<boolean>[];
}

/**
 * The conditions besides the search and the signal filter, and each of those as two exclusive ways
 * (one-time filters pick one): a sparse search lists its few matches by the name index, then sorts
 * them; a dense one walks the sort's index and checks each account, finding a page's worth soon. Either
 * alone is slow on the other's searches, since the planner cannot tell beforehand how many accounts a
 * search matches; and so for the kinds of signal, some open on half the accounts, some on a few.
 */
function conditionsOf(query: AccountListQuery): Conditions {
  const conditions: RawBuilder<boolean>[] = [personInBook(query.book, 'accounts.owner_email')];
  if (query.ownerEmail === nobody) conditions.push(sql<boolean>`accounts.owner_email is null`);
  else if (query.ownerEmail !== null) conditions.push(sql<boolean>`accounts.owner_email = ${query.ownerEmail}`);
  if (query.tier !== null) conditions.push(sql<boolean>`accounts.tier = ${query.tier}`);
  const where = sql<boolean>`${sql.join(conditions, sql` and `)}`;
  let ways: RawBuilder<boolean>[] = [sql<boolean>`true`];
  if (query.search !== null) {
    const sparse = sql<boolean>`(select count(*) from found) < ${sparseSearch}
      and accounts.id in (select id from found)`;
    const dense = sql<boolean>`(select count(*) from found) >= ${sparseSearch} and ${searchCondition(query.search)}`;
    ways = [sparse, dense];
  }
  if (query.signalKind !== null) {
    const open = sql<boolean>`exists (select 1 from signals where signals.account_id = accounts.id
      and signals.kind = ${query.signalKind} and signals.cleared_at is null)`;
    const sparse = sql<boolean>`(select count(*) from flagged) < ${sparseSignal}
      and accounts.id in (select account_id from flagged)`;
    const dense = sql<boolean>`(select count(*) from flagged) >= ${sparseSignal} and ${open}`;
    ways = ways.flatMap((way) => [sql<boolean>`${way} and ${sparse}`, sql<boolean>`${way} and ${dense}`]);
  }
  return { where, ways };
}

interface Branches {
  readonly branches: RawBuilder<unknown>[];
  /** The part of the list the page starts in: its rows come first. */
  readonly firstPhase: 'known' | 'unknown';
}

/**
 * The branches of a page: for each part of the list from the cursor's on (accounts with the sort's
 * figure, accounts without), and each way of the search, the next accounts along an index.
 */
function pageBranches(query: AccountListQuery, plan: SortPlan): Branches {
  const column = sql.ref(`accounts.${plan.column}`);
  const direction = plan.direction === 'asc' ? sql`asc` : sql`desc`;
  const beyond = plan.direction === 'asc' ? sql`>` : sql`<`;
  const { where, ways } = conditionsOf(query);
  const take = query.limit + 1;
  const key = plan.column === 'last_contact_at' ? exactTime(column) : sql`${column}::text`;
  const known = (after: AccountListPosition | null, way: RawBuilder<boolean>) => {
    const cursorKey = sql`(${after?.key}::${plan.type}, ${after?.id})`;
    const past = after === null ? sql`` : sql`and (${column}, accounts.id) ${beyond} ${cursorKey}`;
    return sql`(select accounts.id, 'known' as phase, ${key} as key
      from accounts where ${where} and ${way} and ${column} is not null ${past}
      order by ${column} ${direction}, accounts.id ${direction} limit ${take})`;
  };
  const unknown = (after: AccountListPosition | null, way: RawBuilder<boolean>) => {
    const past = after === null ? sql`` : sql`and accounts.id > ${after.id}`;
    return sql`(select accounts.id, 'unknown' as phase, null::text as key
      from accounts where ${where} and ${way} and ${column} is null ${past}
      order by accounts.id limit ${take})`;
  };
  const phases = plan.unknownFirst ? (['unknown', 'known'] as const) : (['known', 'unknown'] as const);
  const started = query.after === null ? 0 : phases.indexOf(query.after.phase);
  const branches = phases.slice(started).flatMap((phase, index) => {
    const after = index === 0 ? query.after : null;
    return ways.map((way) => (phase === 'known' ? known(after, way) : unknown(after, way)));
  });
  return { branches, firstPhase: phases[started] ?? 'known' };
}

interface PageRow {
  id: string;
  phase: 'known' | 'unknown';
  key: string | null;
  name: string | null;
  tier: string | null;
  lifecycle_stage: string | null;
  revenue_minor: number | null;
  profit_minor: number | null;
  value_minor: number | null;
  currency: string | null;
  owner_email: string | null;
  owner_name: string | null;
  health_score: number | null;
  last_contact_at: Date | null;
  kinds: string[];
}

/** The accounts of one page, and one more when there are more (so the caller knows to offer `next`). */
export async function listAccounts(database: Kysely<Database>, query: AccountListQuery): Promise<AccountListRow[]> {
  const plan = planOf(query.sort, query.order);
  const column = sql.ref(`accounts.${plan.column}`);
  const direction = plan.direction === 'asc' ? sql`asc` : sql`desc`;
  const { branches, firstPhase } = pageBranches(query, plan);
  const found =
    query.search === null
      ? []
      : [
          sql`found as materialized (
    select accounts.id from accounts where ${searchCondition(query.search)} limit ${sparseSearch})`,
        ];
  const flagged =
    query.signalKind === null
      ? []
      : [
          sql`flagged as materialized (
    select distinct account_id from signals where kind = ${query.signalKind} and cleared_at is null
    limit ${sparseSignal})`,
        ];
  const lists = [...found, ...flagged];
  const prefix = lists.length === 0 ? sql`` : sql`with ${sql.join(lists, sql`, `)}`;
  const result = await sql<PageRow>`${prefix}
    select page.id, page.phase, page.key, accounts.name, accounts.tier, accounts.lifecycle_stage,
      accounts.revenue_minor, accounts.profit_minor, accounts.value_minor, accounts.currency, accounts.owner_email,
      users.name as owner_name, accounts.health_score, accounts.last_contact_at,
      array(select distinct signals.kind from signals where signals.account_id = page.id and signals.cleared_at is null
        order by signals.kind) as kinds
    from (${sql.join(branches, sql` union all `)}) page
    join accounts on accounts.id = page.id
    left join users on users.email = accounts.owner_email
    order by page.phase = ${firstPhase} desc,
      case when page.phase = 'known' then ${column} end ${direction},
      case when page.phase = 'known' then accounts.id end ${direction},
      accounts.id
    limit ${query.limit + 1}`.execute(database);
  return result.rows.map((row) => ({
    id: row.id,
    name: row.name,
    tier: row.tier,
    lifecycleStage: row.lifecycle_stage,
    revenueMinor: row.revenue_minor,
    profitMinor: row.profit_minor,
    valueMinor: row.value_minor,
    currency: row.currency,
    ownerEmail: row.owner_email,
    ownerName: row.owner_name,
    healthScore: row.health_score,
    lastContactAt: row.last_contact_at,
    openSignalKinds: row.kinds,
    position: { phase: row.phase, key: row.key, id: row.id },
  }));
}
