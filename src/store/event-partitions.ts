// Keeps a monthly partition of the events table for every month that events arrive for, so old
// months can be detached or dropped whole. Rows for a month with no partition yet would land in the
// default partition; creating the partition first keeps that partition empty. With a retention set,
// the daily maintenance detaches and drops the months that lie wholly before it: a month goes at
// once, with its indexes, instead of a delete that leaves dead rows behind on every page.
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

/** How long the drop of one month waits for the events table before it leaves that month for the next day. */
const dropLockTimeout = '1s';

/** Remembers which partitions exist so that the hot ingest path asks the database only for new months. */
export class EventPartitions {
  private readonly known = new Set<string>();
  private loaded = false;

  constructor(private readonly database: Kysely<Database>) {}

  /** The months with a partition, as the database has them now (another process may have added some). */
  private async months(): Promise<string[]> {
    const result = await sql<{ name: string }>`
      select child.relname as name from pg_inherits
      join pg_class parent on parent.oid = pg_inherits.inhparent
      join pg_class child on child.oid = pg_inherits.inhrelid
      where parent.relname = 'events'`.execute(this.database);
    return result.rows.flatMap((row) => /^events_(\d{6})$/.exec(row.name)?.[1] ?? []);
  }

  private async load(): Promise<void> {
    for (const key of await this.months()) this.known.add(key);
    this.loaded = true;
  }

  /**
   * Detaches and drops every month whose events all lie before `cutoff`; returns the months dropped.
   * A month whose lock cannot be had soon (long reads of the events table) is left for the next day.
   */
  async dropMonthsBefore(cutoff: Date): Promise<string[]> {
    const dropped: string[] = [];
    for (const key of (await this.months()).sort()) {
      if (new Date(monthBounds(key).to).getTime() > cutoff.getTime()) continue;
      try {
        await this.database.transaction().execute(async (transaction) => {
          await sql.raw(`set local lock_timeout = '${dropLockTimeout}'`).execute(transaction);
          await sql.raw(`alter table events detach partition events_${key}`).execute(transaction);
          await sql.raw(`drop table events_${key}`).execute(transaction);
        });
      } catch (error) {
        // Another process dropped it first, or the table stayed busy: the next day tries again.
        if (/lock timeout|does not exist|is not a partition/i.test(String(error))) continue;
        throw error;
      }
      this.known.delete(key);
      dropped.push(key);
    }
    return dropped;
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
