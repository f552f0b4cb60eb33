// Rows of the events table written in bulk, as one array per column (unnest) rather than a bound
// parameter per value: fewer bytes to parse, and a statement text that stays the same whatever the
// number of rows, so that it can be prepared once (see prepared-statements).
import { type RawBuilder, sql } from 'kysely';

export interface EventRow {
  readonly id: string;
  readonly source_id: string;
  readonly message_id: string;
  readonly type: string;
  readonly name: string | null;
  readonly contact_id: string | null;
  readonly anonymous_id: string | null;
  readonly account_id: string | null;
  readonly occurred_at: Date;
  readonly received_at: Date;
  /** JSON text. */
  readonly properties: string;
  /** JSON text. */
  readonly context: string;
}

export function insertEventRows(rows: readonly EventRow[]): RawBuilder<unknown> {
  const column = <K extends keyof EventRow>(key: K) => rows.map((row) => row[key]);
  return sql`insert into events (id, source_id, message_id, type, name, contact_id, anonymous_id, account_id,
      occurred_at, received_at, properties, context)
    select id, source_id, message_id, type, name, contact_id, anonymous_id, account_id, occurred_at, received_at,
      properties, context
    from unnest(${column('id')}::uuid[], ${column('source_id')}::uuid[], ${column('message_id')}::text[],
                ${column('type')}::text[], ${column('name')}::text[], ${column('contact_id')}::text[],
                ${column('anonymous_id')}::text[], ${column('account_id')}::text[],
                ${column('occurred_at')}::timestamptz[], ${column('received_at')}::timestamptz[],
                ${column('properties')}::jsonb[], ${column('context')}::jsonb[])
      as row(id, source_id, message_id, type, name, contact_id, anonymous_id, account_id, occurred_at, received_at,
        properties, context)`;
}
