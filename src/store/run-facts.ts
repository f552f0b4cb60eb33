// What a playbook run's next step is decided on, read in one statement: the subject's events since
// the run entered, the account's open signals and traits, the contact's time zone, and which of the
// run's tasks are done. A run reads these before every step, and each round trip costs more than
// the reads themselves under ingest load (docs/benchmarks/2026-12-01-signals.md, "in one statement
// instead of five"), so they come back together.
import { sql, type Transaction } from 'kysely';
import { prepared } from './prepared-statements.js';
import type { Database } from './schema.js';

export interface RunFactsQuery {
  readonly accountId: string | null;
  readonly contactId: string | null;
  readonly enteredAt: Date;
  readonly now: Date;
  /** Idempotency keys of the run's tasks. */
  readonly taskKeys: readonly string[];
}

export interface RunFacts {
  /** The account's events (a lone contact's own), strictly after entry and up to now; at most 2,000. */
  readonly events: { name: string; at: Date; properties: Record<string, unknown> }[];
  readonly openSignalKinds: string[];
  readonly traits: Record<string, unknown>;
  readonly timezone: string | null;
  readonly completedTaskKeys: string[];
}

export async function loadRunFacts(trx: Transaction<Database>, query: RunFactsQuery): Promise<RunFacts> {
  const { accountId, contactId, enteredAt, now } = query;
  const subject =
    accountId !== null
      ? sql`account_id = ${accountId}`
      : contactId !== null
        ? sql`contact_id = ${contactId}`
        : sql`false`;
  const result = await prepared(sql<{
    events: { name: string | null; occurred_at: string; properties: Record<string, unknown> }[];
    signals: string[];
    traits: Record<string, unknown> | null;
    timezone: string | null;
    completed: string[];
  }>`select
    (select coalesce(json_agg(row), '[]') from (
      select name, occurred_at, properties from events
      where ${subject} and occurred_at > ${enteredAt} and occurred_at <= ${now} limit 2000) row) as events,
    (select coalesce(json_agg(kind), '[]') from signals
      where account_id = ${accountId} and cleared_at is null) as signals,
    (select traits from accounts where id = ${accountId}) as traits,
    (select timezone from contacts where id = ${contactId}) as timezone,
    (select coalesce(json_agg(idempotency_key), '[]') from tasks
      where idempotency_key = any(${[...query.taskKeys]}::text[]) and status = 'done') as completed`).execute(trx);
  const row = result.rows[0]!;
  return {
    events: row.events.map((event) => ({
      name: event.name ?? '',
      at: new Date(event.occurred_at),
      properties: event.properties,
    })),
    openSignalKinds: row.signals,
    traits: row.traits ?? {},
    timezone: row.timezone,
    completedTaskKeys: row.completed,
  };
}
