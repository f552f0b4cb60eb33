// Imports accounts, contacts or interactions from a CSV file: streams it (files larger than memory are
// fine), maps columns to fields, writes good rows in chunks and reports each rejected row with its line
// number and reason. Importing the same file twice changes nothing.
import { createReadStream, existsSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import { type ImportKind, type ImportRow, defaultFieldFor, readImportRow } from '../domain/import-rows.js';
import { writeImportChunk } from '../store/import-writer.js';
import { defaultEventTimeWindow, type EventTimeWindow } from '../domain/time-limits.js';
import type { Database } from '../store/schema.js';

export interface ImportOptions {
  readonly kind: ImportKind;
  readonly file: string;
  /** Column → field, from `--map col=field`; unmapped columns use their own names. */
  readonly columnMap: Record<string, string>;
  /** Where rejected rows go; default FILE.rejected.csv beside the input. */
  readonly rejectedFile?: string;
  readonly onProgress?: (bytesRead: number, rowsRead: number) => void;
  readonly chunkSize?: number;
  /** Which interaction times are accepted around the clock's now: tend.config.yaml's ingest section. */
  readonly eventTimes?: EventTimeWindow;
}

export interface ImportSummary {
  readonly rows: number;
  readonly imported: number;
  readonly changed: number;
  readonly unchanged: number;
  readonly rejected: { line: number; reason: string }[];
  readonly rejectedFile: string | null;
}

/** Parses `col=field` options into a map, naming the first malformed one. */
export function parseColumnMap(pairs: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1)
      throw new TendError(
        'invalid_request',
        `--map ${JSON.stringify(pair)} is not COLUMN=FIELD (for example --map "Company Name=name").`,
        [{ field: '--map', message: 'must be COLUMN=FIELD' }],
      );
    map[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return map;
}

/**
 * One cell of the rejected-rows file, safe to open in a spreadsheet: a cell that starts with `=`, `+`,
 * `-`, `@`, a tab or a carriage return would run as a formula there (CSV injection; OWASP's advice is
 * a leading `'`), and the rows are the input's, which anyone may have written.
 */
export function spreadsheetCell(value: string): string {
  const inert = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(inert) ? `"${inert.replaceAll('"', '""')}"` : inert;
}

export async function importCsv(
  database: Kysely<Database>,
  clock: Clock,
  options: ImportOptions,
): Promise<ImportSummary> {
  if (!existsSync(options.file))
    throw new TendError('invalid_file', `There is no file ${options.file}.`, [
      { field: 'FILE', message: 'does not exist' },
    ]);
  const chunkSize = options.chunkSize ?? 500;
  const stream = createReadStream(options.file);
  let bytesRead = 0;
  stream.on('data', (chunk) => {
    bytesRead += chunk.length;
  });
  const parser = stream.pipe(
    parse({ bom: true, columns: false, skip_empty_lines: true, relax_column_count: true, info: true, trim: false }),
  );
  let header: string[] | null = null;
  let fields: string[] = [];
  let rows = 0;
  let changed = 0;
  let unchanged = 0;
  const rejected: { line: number; reason: string; raw: string[] }[] = [];
  let pending: ImportRow[] = [];
  const flush = async () => {
    const outcome = await writeImportChunk(database, pending, clock.now());
    changed += outcome.changed;
    unchanged += outcome.unchanged;
    pending = [];
  };
  try {
    for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (header === null) {
        header = record.record.map((cell) => cell.trim());
        const unknownMapped = Object.keys(options.columnMap).filter((column) => !header?.includes(column));
        if (unknownMapped.length > 0)
          throw new TendError(
            'invalid_file',
            `--map names column(s) ${unknownMapped.map((column) => JSON.stringify(column)).join(', ')} that ` +
              `${options.file} does not have; its columns are ${header.join(', ')}.`,
            [{ field: '--map', message: 'names a missing column' }],
          );
        fields = header.map((column) => options.columnMap[column] ?? defaultFieldFor(options.kind, column));
        continue;
      }
      rows++;
      const line = record.info.lines;
      if (record.record.length !== header.length) {
        rejected.push({
          line,
          reason: `has ${record.record.length} fields; the header has ${header.length}`,
          raw: record.record,
        });
        continue;
      }
      const mapped: Record<string, string> = {};
      fields.forEach((field, index) => {
        mapped[field] = record.record[index] ?? '';
      });
      const verdict = readImportRow(options.kind, mapped, {
        now: clock.now(),
        window: options.eventTimes ?? defaultEventTimeWindow,
      });
      if (!verdict.ok) rejected.push({ line, reason: verdict.reason, raw: record.record });
      else pending.push(verdict.row);
      if (pending.length >= chunkSize) await flush();
      options.onProgress?.(bytesRead, rows);
    }
  } catch (error) {
    if (error instanceof TendError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new TendError(
      'invalid_file',
      `${options.file} is not a readable CSV file: ${message}. Rows before the problem were imported; ` +
        'fix it and import again (nothing is imported twice).',
      [{ field: 'FILE', message }],
    );
  }
  if (header === null)
    throw new TendError('invalid_file', `${options.file} is empty: it needs a header line naming its columns.`, [
      { field: 'FILE', message: 'is empty' },
    ]);
  await flush();
  options.onProgress?.(bytesRead, rows);
  let rejectedFile: string | null = null;
  if (rejected.length > 0) {
    rejectedFile = options.rejectedFile ?? options.file.replace(/(\.csv)?$/i, '.rejected.csv');
    const lines = [
      ['line', 'reason', ...header].map(spreadsheetCell).join(','),
      ...rejected.map((row) => [String(row.line), row.reason, ...row.raw].map(spreadsheetCell).join(',')),
    ];
    writeFileSync(rejectedFile, `${lines.join('\n')}\n`);
  }
  return {
    rows,
    imported: changed + unchanged,
    changed,
    unchanged,
    rejected: rejected.map(({ line, reason }) => ({ line, reason })),
    rejectedFile,
  };
}
