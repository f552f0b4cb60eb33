// Where the next page of a list starts: the sort key and id of the last item shown, as an opaque text
// the caller sends back (`cursor`). Keyset paging, so a page costs the same however deep it is and an
// item added meanwhile neither repeats nor hides another.
import { TendError } from '../domain/errors.js';

/** One value of a cursor: a sort key (as text, exactly as the database gave it), an id, a phase. */
export type CursorPart = string | number | null;

export function encodeCursor(parts: readonly CursorPart[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/**
 * The parts of a cursor made by `encodeCursor` with `size` parts, or null when the text is not one (a
 * cursor from another list, an edited or truncated one): the caller answers 400 naming `cursor`.
 */
export function decodeCursor(text: string, size: number): CursorPart[] | null {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(text)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== size) return null;
  const valid = parsed.every(
    (part) => part === null || typeof part === 'string' || (typeof part === 'number' && Number.isFinite(part)),
  );
  return valid ? (parsed as CursorPart[]) : null;
}

/** An instant to the microsecond, as the lists write it into cursors (store/exact-time.ts). */
export const databaseTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Where a page of a list ordered by a time and then an id starts (tasks by due time, messages by when
 * they were made): the previous page's last time, exactly as the database gave it, and its id.
 */
export function timeAndIdPosition(cursor: string): { readonly at: string; readonly id: string } {
  const [at, id] = decodeCursor(cursor, 2) ?? [];
  if (typeof at !== 'string' || !databaseTimePattern.test(at) || typeof id !== 'string' || !uuidPattern.test(id)) {
    throw new TendError(
      'invalid_request',
      'The cursor is not one this list gave: send back `next` exactly as received.',
      [{ field: 'cursor', message: 'is not a cursor of this list' }],
    );
  }
  return { at, id };
}
