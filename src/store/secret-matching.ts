// How a write key or an admin token is named on the command line and in the API: by its prefix (or the
// start of it), a token also by its label. A name that fits several working ones is refused with the
// candidates named, so that nobody revokes the wrong one.
import { TendError } from '../domain/errors.js';

/** A LIKE pattern for what starts with `prefix`, taken literally. */
export const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

/** When a key or token was created, and revoked if it was. */
export function createdAndRevoked(record: { readonly createdAt: Date; readonly revokedAt: Date | null }): string {
  const revoked = record.revokedAt === null ? '' : `, revoked ${record.revokedAt.toISOString()}`;
  return `created ${record.createdAt.toISOString()}${revoked}`;
}

/** The one working candidate, or a refusal naming what was found and where to look. */
export function theOneWorking<Row>(
  which: string,
  what: string,
  working: readonly Row[],
  all: readonly Row[],
  described: (row: Row) => string,
  listCommand: string,
): Row {
  const [only, ...others] = working;
  if (only !== undefined && others.length === 0) return only;
  const field = what === 'write key' ? 'prefix' : 'token';
  if (working.length > 1) {
    const listed = working.map(described).join('; ');
    const message =
      `${JSON.stringify(which)} fits ${working.length} working ${what}s: ${listed}. ` +
      `Give more of the prefix (or the whole ${what}) to choose one.`;
    throw new TendError('conflict', message, [{ field, message: `fits ${working.length} ${what}s` }]);
  }
  if (all.length > 0) {
    const listed = all.map(described).join('; ');
    const message = `${JSON.stringify(which)} names only revoked ${what}s: ${listed}. Nothing was changed.`;
    throw new TendError('conflict', message, [{ field, message: 'is revoked already' }]);
  }
  const message = `No ${what} fits ${JSON.stringify(which)}: \`${listCommand}\` shows the prefixes.`;
  throw new TendError('not_found', message, [{ field, message: `names no ${what}` }]);
}
