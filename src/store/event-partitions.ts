// Keeps a monthly partition of the events table for every month that events arrive for, so old
// months can be detached or dropped whole. Rows for a month with no partition yet would land in the
// default partition; creating the partition first keeps that partition empty.
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

export function monthKey(at: Date): string {
  return `${at.getUTCFullYear()}${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
}

function monthBounds(key: string): { from: string; to: string } {
  const year = Number(key.slice(0, 4));
  const month = Number(key.slice(4, 6));
  const from = new Date(Date.UTC(year, month - 1, 1)).toISOString();
  const to = new Date(Date.UTC(year, month, 1)).toISOString();
  return { from, to };
}

/** Remembers which partitions exist so that the hot ingest path asks the database only for new months. */
export class EventPartitions {
  private readonly known = new Set<string>();
  private loaded = false;

  constructor(private readonly database: Kysely<Database>) {}

  private async load(): Promise<void> {
    const result = await sql<{ name: string }>`
      select child.relname as name from pg_inherits
      join pg_class parent on parent.oid = pg_inherits.inhparent
      join pg_class child on child.oid = pg_inherits.inhrelid
      where parent.relname = 'events'`.execute(this.database);
    for (const row of result.rows) {
      const match = /^events_(\d{6})$/.exec(row.name);
      if (match?.[1]) this.known.add(match[1]);
    }
    this.loaded = true;
  }

  /** Makes sure each month of the given instants has its partition. */
  async ensure(instants: Iterable<Date>): Promise<void> {
    const wanted = new Set<string>();
    for (const at of instants) wanted.add(monthKey(at));
    if (!this.loaded) await this.load();
    for (const key of wanted) {
      if (this.known.has(key)) continue;
      const { from, to } = monthBounds(key);
      try {
        await sql
          .raw(`create table if not exists events_${key} partition of events for values from ('${from}') to ('${to}')`)
          .execute(this.database);
      } catch (error) {
        // Another process created it at the same moment, or rows for this month already sit in the
        // default partition (then they stay there and stay correct): either way, inserts still work.
        if (!/already exists|would be violated|updated partition constraint/i.test(String(error))) throw error;
      }
      this.known.add(key);
    }
  }
}
