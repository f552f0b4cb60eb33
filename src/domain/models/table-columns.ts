// Finds a named column in a parsed table, or says which columns there are: the first thing a user's
// own file gets wrong is a column name.
import type { RecordTable } from './feature-encoding.js';
import { ModelInputError } from './model-input-error.js';

/**
 * The index of `column` in the header; otherwise a ModelInputError naming it and listing the columns
 * the file has, so the fix is one look away. `role` says what the column was for ("customer column").
 */
export function requireColumn(table: Pick<RecordTable, 'header'>, column: string, role: string): number {
  const index = table.header.indexOf(column);
  if (index >= 0) return index;
  throw new ModelInputError(`The ${role} "${column}" is not in the header (columns: ${listColumns(table.header)}).`, {
    column,
  });
}

/** The header as a readable list, shortened past 40 columns. */
function listColumns(header: readonly string[]): string {
  const shown = header.slice(0, 40).map((name) => `"${name}"`);
  return header.length > 40 ? `${shown.join(', ')}, … (${header.length} in all)` : shown.join(', ');
}

/** The 1-based file line of a record, for error messages (record number + 1 when lines are unknown). */
export function lineOf(table: RecordTable, row: number): number {
  return table.lineNumbers?.[row] ?? row + 2;
}
