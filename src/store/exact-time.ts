// An instant as text to the microsecond, whatever the session's DateStyle and TimeZone: what keyset
// cursors carry, so that the next page starts exactly after the last item (a JavaScript Date keeps
// milliseconds only, and rows written by the database itself have microseconds).
import { type RawBuilder, sql } from 'kysely';

/** `column` (a timestamptz) as `2026-01-02T10:00:00.123456Z`; it casts back with `::timestamptz`. */
export function exactTime(column: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
