// What the `tend models …` commands share: reading a user's file (errors name the file), aligned
// text tables, CSV output, number formats and option parsing that names the bad option.
import { readFileSync, writeFileSync } from 'node:fs';
import { TendError } from '../domain/errors.js';
import { parseCsvTable, type CsvTable } from '../domain/models/csv-table.js';
import { ModelInputError } from '../domain/models/model-input-error.js';

/** The whole text of a file; a missing or unreadable one is a `TendError` naming it (exit code 2). */
export function readTextFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message;
    throw new TendError('invalid_file', `Cannot read the ${what} ${file}: ${reason}.`, [
      { field: 'FILE', message: reason },
    ]);
  }
}

/** A CSV file with a header line, parsed with line numbers; its parse errors name the file. */
export function readCsvFile(file: string, what: string): CsvTable {
  const text = readTextFile(file, what);
  return inFile(file, () => parseCsvTable(text));
}

/** Runs `work`, prefixing the message of any ModelInputError it throws with the file it concerns. */
export function inFile<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ModelInputError) throw new ModelInputError(`${file}: ${error.message}`, error.location);
    throw error;
  }
}

/** Writes rows as CSV (quoted where needed); a path that cannot be written is a `TendError`. */
export function writeCsvFile(
  file: string,
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): void {
  const line = (fields: readonly (string | number | null)[]): string => fields.map(csvField).join(',');
  try {
    writeFileSync(file, `${[header, ...rows].map(line).join('\n')}\n`);
  } catch (error) {
    throw new TendError('invalid_file', `Cannot write ${file}: ${(error as Error).message}.`, [
      { field: '--out', message: 'cannot be written' },
    ]);
  }
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(Number(value.toPrecision(10))) : value;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Column alignment in a text table: numbers read best right-aligned. */
type Alignment = 'left' | 'right';

/** An aligned plain-text table, indented by two spaces, header first. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  alignment: readonly Alignment[] = [],
): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `  ${cells
      .map((cell, i) => ((alignment[i] ?? 'left') === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()}`;
  return [line(header), ...rows.map(line)].join('\n');
}

/** A number to `decimals` places, without a minus sign on zero. */
export function fixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return Number(text) === 0 ? text.replace('-', '') : text;
}

/** A share as a percentage, e.g. 0.1828 → "18.28 %". */
export function percent(value: number, decimals = 2): string {
  return `${fixed(value * 100, decimals)} %`;
}

/** Prints one JSON document on stdout. */
export function printJson(document: unknown): void {
  console.log(JSON.stringify(document, null, 2));
}

/** A number option, refusing anything else with the option's name (exit code 2). */
export function numberOption(
  raw: string | undefined,
  option: string,
  fallback: number,
  check: (value: number) => boolean,
  expected: string,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || !check(value))
    throw new ModelInputError(`${option} must be ${expected} (got "${raw}").`);
  return value;
}

/** A comma-separated list option ("a,b , c" → ["a", "b", "c"]). */
export function listOption(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
