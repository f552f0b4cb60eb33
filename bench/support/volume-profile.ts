// Where the ingest's time goes as the store grows: at each slice of a run (a tenth of its requests),
// the slice's rate, the CPU the Tend process spent on it (its main thread apart from the others: the
// embedded database's worker, the garbage collector), its memory, and what the database holds and did
// (table and index sizes, dead rows, pages read from outside its buffers, WAL, checkpoints).
import { loadavg } from 'node:os';
import { readFileSync, readdirSync } from 'node:fs';
import type pg from 'pg';

export interface VolumeSlice {
  /** Events sent by the end of the slice. */
  readonly events: number;
  readonly eventsPerSecond: number;
  /** The Tend process's CPU per 1,000 events of the slice: its main thread, and all its other threads. */
  readonly mainCpuMilliseconds: number;
  readonly otherCpuMilliseconds: number;
  /** The machine's one-minute load average at the slice's end (2 cores). */
  readonly load: number;
  readonly rssMegabytes: number | null;
  readonly database: DatabaseFigures | null;
  /** Pages the database read from outside its buffers, and WAL written, per 1,000 events of the slice. */
  readonly blocksReadPerThousand: number | null;
  readonly walMegabytesPerThousand: number | null;
  /** Checkpoints during the slice. */
  readonly checkpoints: number | null;
}

interface DatabaseFigures {
  readonly databaseMegabytes: number;
  readonly eventsMegabytes: number;
  readonly eventIndexesMegabytes: number;
  readonly receiptsMegabytes: number;
  readonly receiptIndexesMegabytes: number;
  readonly allIndexesMegabytes: number;
  readonly partitions: number;
  /** The tables with the most dead rows (never vacuumed on the embedded database during a run). */
  readonly deadRows: string;
  readonly blocksRead: number;
  readonly walLsn: string;
  readonly checkpointsSoFar: number | null;
}

interface Reading {
  readonly events: number;
  readonly at: number;
  readonly cpu: { main: number; other: number } | null;
  readonly database: DatabaseFigures | null;
}

const megabytes = (bytes: number): number => bytes / 1024 / 1024;

/** CPU seconds of a process's main thread and of its other threads, from /proc. */
function threadCpuSeconds(pid: number): { main: number; other: number } | null {
  try {
    let main = 0;
    let other = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const fields = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
      if (Number(task) === pid) main += seconds;
      else other += seconds;
    }
    return { main, other };
  } catch {
    return null;
  }
}

function residentMegabytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function checkpointsSoFar(client: pg.Client): Promise<number | null> {
  for (const query of [
    'select (num_timed + num_requested)::int as count from pg_stat_checkpointer',
    'select (checkpoints_timed + checkpoints_req)::int as count from pg_stat_bgwriter',
  ]) {
    try {
      const result = await client.query<{ count: number }>(query);
      return result.rows[0]?.count ?? null;
    } catch {
      // The other version's view.
    }
  }
  return null;
}

async function databaseFigures(client: pg.Client): Promise<DatabaseFigures> {
  const partitions = "from pg_inherits where inhparent = 'events'::regclass";
  const sizes = await client.query<Record<string, number | string>>(`select
      pg_database_size(current_database())::float8 as database,
      coalesce((select sum(pg_table_size(inhrelid)) ${partitions}), 0)::float8 as events,
      coalesce((select sum(pg_indexes_size(inhrelid)) ${partitions}), 0)::float8 as event_indexes,
      pg_table_size('event_receipts')::float8 as receipts,
      pg_indexes_size('event_receipts')::float8 as receipt_indexes,
      (select sum(pg_indexes_size(oid)) from pg_class
        where relkind = 'r' and relnamespace = 'public'::regnamespace)::float8 as all_indexes,
      (select count(*) ${partitions})::int as partitions,
      (select coalesce(blks_read, 0) from pg_stat_database where datname = current_database())::float8 as blocks_read,
      pg_current_wal_lsn()::text as wal_lsn`);
  const dead = await client.query<{ relname: string; n_dead_tup: number }>(
    'select relname, n_dead_tup::int from pg_stat_user_tables where n_dead_tup > 0 order by n_dead_tup desc limit 3',
  );
  const row = sizes.rows[0]!;
  return {
    databaseMegabytes: megabytes(Number(row.database)),
    eventsMegabytes: megabytes(Number(row.events)),
    eventIndexesMegabytes: megabytes(Number(row.event_indexes)),
    receiptsMegabytes: megabytes(Number(row.receipts)),
    receiptIndexesMegabytes: megabytes(Number(row.receipt_indexes)),
    allIndexesMegabytes: megabytes(Number(row.all_indexes)),
    partitions: Number(row.partitions),
    deadRows: dead.rows.map((table) => `${table.relname} ${table.n_dead_tup}`).join(', ') || 'none',
    blocksRead: Number(row.blocks_read),
    walLsn: String(row.wal_lsn),
    checkpointsSoFar: await checkpointsSoFar(client),
  };
}

/** Parses a WAL position (`16/B374D848`) into bytes. */
const lsnBytes = (lsn: string): number => {
  const [high, low] = lsn.split('/');
  return Number.parseInt(high ?? '0', 16) * 2 ** 32 + Number.parseInt(low ?? '0', 16);
};

/**
 * Takes a reading at each slice's end (`mark`) over its own database connection (`connect`: a probe
 * costs a few catalogue reads, once a slice); a reading that fails leaves the database figures out.
 */
export class VolumeProfile {
  readonly slices: VolumeSlice[] = [];
  private client: pg.Client | null = null;
  private last: Reading | null = null;

  constructor(
    private readonly pid: number,
    private readonly connect: () => Promise<pg.Client>,
  ) {}

  private async reading(): Promise<DatabaseFigures | null> {
    try {
      this.client ??= await this.connect();
      return await databaseFigures(this.client);
    } catch {
      return null;
    }
  }

  /** The start of the run: readings to measure the first slice from. */
  async begin(): Promise<void> {
    this.last = { events: 0, at: performance.now(), cpu: threadCpuSeconds(this.pid), database: await this.reading() };
  }

  async mark(events: number): Promise<VolumeSlice | null> {
    const previous = this.last;
    if (previous === null || events <= previous.events) return null;
    const at = performance.now();
    const cpu = threadCpuSeconds(this.pid);
    const database = await this.reading();
    const thousands = (events - previous.events) / 1000;
    const before = previous.database;
    const walWritten = database && before ? megabytes(lsnBytes(database.walLsn) - lsnBytes(before.walLsn)) : 0;
    const checkpointsNow = database?.checkpointsSoFar ?? null;
    const checkpointsBefore = before?.checkpointsSoFar ?? null;
    const slice: VolumeSlice = {
      events,
      eventsPerSecond: (events - previous.events) / ((at - previous.at) / 1000),
      mainCpuMilliseconds: cpu && previous.cpu ? ((cpu.main - previous.cpu.main) * 1000) / thousands : Number.NaN,
      otherCpuMilliseconds: cpu && previous.cpu ? ((cpu.other - previous.cpu.other) * 1000) / thousands : Number.NaN,
      load: loadavg()[0] ?? Number.NaN,
      rssMegabytes: residentMegabytes(this.pid),
      database,
      blocksReadPerThousand: database && before ? (database.blocksRead - before.blocksRead) / thousands : null,
      walMegabytesPerThousand: database && before ? walWritten / thousands : null,
      checkpoints: checkpointsNow !== null && checkpointsBefore !== null ? checkpointsNow - checkpointsBefore : null,
    };
    this.slices.push(slice);
    this.last = { events, at, cpu, database };
    return slice;
  }

  async end(): Promise<void> {
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}

const fixed = (value: number | null | undefined, digits: number): string =>
  value === null || value === undefined || Number.isNaN(value) ? '?' : value.toFixed(digits);

/** The slices as a Markdown table, for the benchmark's notes. */
export function volumeTable(slices: readonly VolumeSlice[]): string {
  const header = [
    'events',
    'events/s',
    'main CPU ms/k',
    'other CPU ms/k',
    'load',
    'RSS MB',
    'DB MB',
    'events+idx MB',
    'receipts+idx MB',
    'all idx MB',
    'blocks read/k',
    'WAL MB/k',
    'ckpt',
    'most dead rows',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const slice of slices) {
    const database = slice.database;
    lines.push(
      `| ${[
        slice.events.toLocaleString('en'),
        Math.round(slice.eventsPerSecond).toLocaleString('en'),
        fixed(slice.mainCpuMilliseconds, 0),
        fixed(slice.otherCpuMilliseconds, 0),
        fixed(slice.load, 2),
        fixed(slice.rssMegabytes, 0),
        fixed(database?.databaseMegabytes, 0),
        database ? `${database.eventsMegabytes.toFixed(0)}+${database.eventIndexesMegabytes.toFixed(0)}` : '?',
        database ? `${database.receiptsMegabytes.toFixed(0)}+${database.receiptIndexesMegabytes.toFixed(0)}` : '?',
        fixed(database?.allIndexesMegabytes, 0),
        fixed(slice.blocksReadPerThousand, 0),
        fixed(slice.walMegabytesPerThousand, 2),
        slice.checkpoints === null ? '?' : String(slice.checkpoints),
        database?.deadRows ?? '?',
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
