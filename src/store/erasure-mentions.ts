// The parts of an erasure that find the person quoted in other records: text columns rewritten in SQL,
// JSON columns rewritten value by value (a pattern applied to JSON text could break a number or a key),
// and the tables Tend does not know, whose rows that mention the person are deleted.
import { type RawBuilder, sql, type Transaction } from 'kysely';
import { eraseMentions, type MentionPatterns, type PersonIdentities } from '../domain/personal-data.js';
import type { Database } from './schema.js';

/** What an erasure works with: who is erased, under which pseudonym, and how to find them in text. */
export interface ErasureScope {
  readonly erasedId: string;
  /** The user ids the person is known by: their own first, then merged ones. */
  readonly ids: readonly string[];
  readonly anonymousIds: readonly string[];
  /** Their e-mail addresses, phone numbers and names, as found in their contact rows and identify calls. */
  readonly person: PersonIdentities;
  /** The accounts they belong to: where records about them, but not keyed by them, live. */
  readonly accountIds: readonly string[];
  /** How to find the person in their own records, and in records about others (see mentionPatterns). */
  readonly own: MentionPatterns;
  readonly others: MentionPatterns;
  readonly now: Date;
}

/** Rows changed per table, as the erasure reports them. */
export class ErasureCounts {
  private readonly counts = new Map<string, number>();
  add(table: string, rows: number | bigint | undefined): void {
    const count = Number(rows ?? 0);
    if (count > 0) this.counts.set(table, (this.counts.get(table) ?? 0) + count);
  }
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** The pattern that finds any mention at all (ids or personal data); null when there is nothing to look for. */
function anyMention(patterns: MentionPatterns): string | null {
  const parts = [patterns.ids, patterns.personal].filter((part): part is string => part !== null);
  return parts.length === 0 ? null : parts.join('|');
}

/** The pattern for the person's own records, which always has their ids. */
export function ownPattern(scope: ErasureScope): string {
  const pattern = anyMention(scope.own);
  if (pattern === null) throw new Error("An erasure looks at least for the person's ids in their own records");
  return pattern;
}

/** A rewrite of mentions: in which transaction, what to look for, and the pseudonym that replaces ids. */
export interface MentionRewrite {
  readonly trx: Transaction<Database>;
  readonly patterns: MentionPatterns;
  readonly erasedId: string;
}

/**
 * A text expression with the person's mentions replaced: ids by the erased id, personal data by
 * "[erased]", or in keys (`asKey`) by the erased id too, so that unique keys stay distinct.
 */
export function erasedText(
  rewrite: Omit<MentionRewrite, 'trx'>,
  column: RawBuilder<unknown>,
  asKey = false,
): RawBuilder<string> {
  const { patterns, erasedId } = rewrite;
  let text = sql<string>`${column}`;
  if (patterns.ids !== null) text = sql<string>`regexp_replace(${text}, ${patterns.ids}, ${erasedId}, 'gi')`;
  if (patterns.personal !== null) {
    text = sql<string>`regexp_replace(${text}, ${patterns.personal}, ${asKey ? erasedId : '[erased]'}, 'gi')`;
  }
  return text;
}

/** Rewrites the mentions in text columns of the rows a condition selects; returns the rows changed. */
async function eraseMentionsInText(
  rewrite: MentionRewrite,
  table: string,
  columns: readonly string[],
  where: RawBuilder<unknown>,
): Promise<number> {
  const pattern = anyMention(rewrite.patterns);
  if (pattern === null) return 0;
  const sets = columns.map((column) => {
    const value = sql.id(column);
    return sql`${value} = case when ${value} ~* ${pattern} then ${erasedText(rewrite, value)} else ${value} end`;
  });
  const matches = sql.join(
    columns.map((column) => sql`${sql.id(column)} ~* ${pattern}`),
    sql` or `,
  );
  const update = sql`update ${sql.table(table)} set ${sql.join(sets)} where (${where}) and (${matches})`;
  const result = await update.execute(rewrite.trx);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Rewrites the mentions in JSON columns of the rows a condition selects, row by row; `key` names the
 * row (a primary key, or `ctid` for a table without one: the rows are locked while read).
 */
export async function eraseMentionsInJson(
  rewrite: MentionRewrite,
  table: string,
  columns: readonly string[],
  where: RawBuilder<unknown>,
  key: readonly string[],
): Promise<number> {
  const { trx, patterns, erasedId } = rewrite;
  const pattern = anyMention(patterns);
  if (pattern === null) return 0;
  const matches = sql.join(
    columns.map((column) => sql`${sql.id(column)}::text ~* ${pattern}`),
    sql` or `,
  );
  const keys = key.map((column) => (column === 'ctid' ? sql`ctid::text as ctid` : sql.id(column)));
  const selected = [...keys, ...columns.map((column) => sql.id(column))];
  const found = await sql<Record<string, unknown>>`select ${sql.join(selected)} from ${sql.table(table)}
    where (${where}) and (${matches}) for update`.execute(trx);
  for (const row of found.rows) {
    const sets = columns.map((column) => {
      const erased = JSON.stringify(eraseMentions(row[column], patterns, erasedId));
      return sql`${sql.id(column)} = ${erased}::jsonb`;
    });
    const same = key.map((column) =>
      column === 'ctid' ? sql`ctid = ${row.ctid}::tid` : sql`${sql.id(column)} = ${row[column]}`,
    );
    await sql`update ${sql.table(table)} set ${sql.join(sets)} where ${sql.join(same, sql` and `)}`.execute(trx);
  }
  return found.rows.length;
}

/**
 * Records about the person's accounts that may quote them (a signal's reasons, a task's talking
 * points, a colleague's event, the audit log): their e-mail, phone and whole name become "[erased]".
 */
export async function eraseQuotesAboutPerson(
  trx: Transaction<Database>,
  scope: ErasureScope,
  counts: ErasureCounts,
): Promise<void> {
  const rewrite: MentionRewrite = { trx, patterns: scope.others, erasedId: scope.erasedId };
  const accounts = sql`${[...scope.accountIds]}::text[]`;
  const inAccounts = (column: string) => sql`${sql.ref(column)} = any(${accounts})`;
  // The person's own rows were rewritten already (erasure-person-rows.ts): only the others' are looked at.
  const othersIn = (column: string) =>
    sql`${sql.ref(column)} = any(${accounts}) and contact_id is distinct from ${scope.erasedId}`;
  const json = async (table: string, columns: string[], where: RawBuilder<unknown>, key: string[]) =>
    counts.add(table, await eraseMentionsInJson(rewrite, table, columns, where, key));
  const text = async (table: string, columns: string[], where: RawBuilder<unknown>) =>
    counts.add(table, await eraseMentionsInText(rewrite, table, columns, where));
  await text('accounts', ['name'], inAccounts('id'));
  await json('accounts', ['traits'], inAccounts('id'), ['id']);
  await json('signals', ['reasons'], othersIn('account_id'), ['id']);
  await text('tasks', ['objective', 'note'], othersIn('account_id'));
  await json('tasks', ['talking_points'], othersIn('account_id'), ['id']);
  await text('interactions', ['summary', 'objective'], othersIn('account_id'));
  await json('health_scores', ['components', 'top_reasons'], inAccounts('account_id'), ['account_id', 'day']);
  await text('outbox', ['reason'], othersIn('account_id'));
  await json('outbox', ['payload', 'message'], othersIn('account_id'), ['id']);
  // Notices to staff carry no account (customers' caps and timelines never count them) but may quote the
  // person: a signal's reasons, a digest's lines.
  await json('outbox', ['payload', 'message'], sql`payload->>'kind' = 'staff-notice'`, ['id']);
  await json('journey_runs', ['trigger'], othersIn('account_id'), ['id']);
  const othersRuns = sql`run_id in (select id from journey_runs where ${othersIn('account_id')})`;
  await json('run_steps', ['action', 'outcome'], othersRuns, ['run_id', 'version']);
  await json('journey_triggers', ['properties'], inAccounts('account_id'), ['id']);
  await json('account_facts', ['properties'], othersIn('account_id'), ['ctid']);
  await json('events', ['properties', 'context'], othersIn('account_id'), ['id', 'occurred_at']);
  // The audit log names people by their ids and addresses; the erased id takes their place.
  const emails = scope.person.emails.map((email) => email.trim().toLowerCase());
  const names = sql`${[...scope.ids, ...emails, ...scope.person.phones]}::text[]`;
  const subjects = await sql`update audit_log set subject = ${scope.erasedId} where subject = any(${names})`.execute(
    trx,
  );
  counts.add('audit_log', Number(subjects.numAffectedRows ?? 0));
  await json('audit_log', ['details'], sql`true`, ['id']);
  await text('do_not_contact', ['reason'], sql`true`);
}

/** The tables whose every text and JSON column an erasure has decided about (erasure-person-rows.ts, above). */
const knownTables: ReadonlySet<string> = new Set([
  // The person's own rows and the records about their accounts.
  'contacts',
  'memberships',
  'contact_aliases',
  'contact_activity_days',
  'events',
  'event_receipts',
  'account_facts',
  'interactions',
  'outbox',
  'message_links',
  'signals',
  'tasks',
  'journey_runs',
  'run_steps',
  'journey_triggers',
  'consents',
  'do_not_contact',
  'undeliverable_addresses',
  'audit_log',
  'accounts',
  'health_scores',
  'erased_identities',
  // No personal data of customers: ids and counts of accounts, the business's staff and configuration,
  // secrets (hashed), providers' message ids, model fits.
  'account_activity_days',
  'account_event_queue',
  'account_first_events',
  'users',
  'sources',
  'write_keys',
  'admin_tokens',
  'playbooks',
  'playbook_versions',
  'playbook_schedules',
  'inbound_receipts',
  'purchase_model_fits',
  'health_model_fits',
  'kysely_migration',
  'kysely_migration_lock',
]);

/**
 * Tables added after the erasure was written (not in `knownTables`): their rows that hold one of the
 * person's ids (a whole text value, or a whole string in JSON) or quote their e-mail, phone or whole
 * name anywhere are deleted, since nothing says what else in them could stay.
 */
export async function eraseFromUnknownTables(
  trx: Transaction<Database>,
  scope: ErasureScope,
): Promise<Map<string, number>> {
  const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select c.table_name, c.column_name, c.data_type from information_schema.columns c
    join pg_class t on t.relname = c.table_name and t.relnamespace = to_regnamespace(c.table_schema)
    where c.table_schema = current_schema() and t.relkind in ('r', 'p') and not t.relispartition
      and c.data_type in ('text', 'character varying', 'character', 'jsonb', 'json')
    order by c.table_name, c.ordinal_position`.execute(trx);
  const pattern = scope.others.personal;
  const ids = sql`${[...scope.ids, ...scope.anonymousIds]}::text[]`;
  const byTable = new Map<string, RawBuilder<unknown>[]>();
  for (const { table_name: table, column_name: column, data_type: type } of columns.rows) {
    if (knownTables.has(table)) continue;
    const value = sql`${sql.id(column)}::text`;
    const holdsId = type.startsWith('json')
      ? sql`exists (select 1 from unnest(${ids}) as id where position(to_jsonb(id)::text in ${value}) > 0)`
      : sql`${value} = any(${ids})`;
    const condition = pattern === null ? holdsId : sql`(${holdsId} or ${value} ~* ${pattern})`;
    byTable.set(table, [...(byTable.get(table) ?? []), condition]);
  }
  const deleted = new Map<string, number>();
  for (const [table, conditions] of byTable) {
    const result = await sql`delete from ${sql.table(table)} where ${sql.join(conditions, sql` or `)}`.execute(trx);
    deleted.set(table, Number(result.numAffectedRows ?? 0));
  }
  return deleted;
}
