// The raw-COPY baseline for the ingest benchmark: the very rows Tend stored in `events` are exported,
// the table is truncated, and the rows are COPYed back in. That is the fastest the database can take
// those rows, the bar Tend's HTTP ingest is measured against.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

const columns =
  'id, source_id, message_id, type, name, contact_id, anonymous_id, account_id, occurred_at, received_at, properties, context';

/** Rows of `events` in COPY text format, cut at row boundaries into pieces of about this size. */
const pieceBytes = 16 * 1024 * 1024;

export interface ExportedEvents {
  readonly pieces: Buffer[];
  readonly rows: number;
  readonly bytes: number;
}

export interface CopyResult {
  readonly rows: number;
  readonly milliseconds: number;
}

/**
 * Reads the stored events `which` selects, all by default (COPY TO STDOUT: a partitioned table is
 * copied through a query).
 */
export async function exportEvents(client: pg.Client, which = 'true'): Promise<ExportedEvents> {
  const pieces: Buffer[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let rows = 0;
  let bytes = 0;
  const flush = (): void => {
    const joined = Buffer.concat(pending);
    const end = joined.lastIndexOf(10) + 1; // a piece ends after a whole row
    if (end > 0) pieces.push(joined.subarray(0, end));
    pending = end < joined.length ? [joined.subarray(end)] : [];
    pendingBytes = joined.length - end;
  };
  for await (const chunk of client.query(copyTo(`copy (select ${columns} from events where ${which}) to stdout`))) {
    const buffer = chunk as Buffer;
    for (let at = buffer.indexOf(10); at !== -1; at = buffer.indexOf(10, at + 1)) rows++;
    bytes += buffer.length;
    pending.push(buffer);
    pendingBytes += buffer.length;
    if (pendingBytes >= pieceBytes) flush();
  }
  flush();
  if (pendingBytes > 0) throw new Error('COPY TO ended in the middle of a row');
  return { pieces, rows, bytes };
}

async function countEvents(query: (text: string) => Promise<{ rows: unknown[] }>): Promise<number> {
  const result = await query('select count(*)::int as count from events');
  return (result.rows[0] as { count: number }).count;
}

/**
 * PostgreSQL: truncates `events` (keeping its partitions and indexes), checkpoints, then times one
 * COPY FROM STDIN of every row in one transaction.
 */
export async function copyIntoPostgres(client: pg.Client, exported: ExportedEvents): Promise<CopyResult> {
  await client.query('truncate events');
  await client.query('checkpoint');
  const began = performance.now();
  await client.query('begin');
  await pipeline(Readable.from(exported.pieces), client.query(copyFrom(`copy events (${columns}) from stdin`)));
  await client.query('commit');
  const milliseconds = performance.now() - began;
  const rows = await countEvents((text) => client.query(text));
  return { rows, milliseconds };
}

/**
 * PGlite: COPY FROM STDIN does not pass through pglite-socket (electric-sql/pglite PR #1028, open), so
 * the data directory is opened in this thread and fed with PGlite's own COPY FROM '/dev/blob', one
 * piece per statement, all in one transaction. Tend must be stopped: PGlite allows one owner.
 */
export async function copyIntoPglite(dataDirectory: string, exported: ExportedEvents): Promise<CopyResult> {
  const database = await PGlite.create({ dataDir: join(dataDirectory, 'pgdata'), relaxedDurability: false });
  try {
    await database.exec('truncate events');
    await database.exec('checkpoint');
    const began = performance.now();
    await database.exec('begin');
    for (const piece of exported.pieces) {
      await database.query(`copy events (${columns}) from '/dev/blob'`, [], { blob: new Blob([piece]) });
    }
    await database.exec('commit');
    const milliseconds = performance.now() - began;
    const rows = await countEvents((text) => database.query(text));
    return { rows, milliseconds };
  } finally {
    await database.close();
  }
}
