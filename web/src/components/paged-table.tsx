// A table of a page of rows the server chose, with links to the pages before and after: each page of a
// list is a URL (its place in the query string), so it can be bookmarked and shared.
import type { ReactNode } from 'react';
import { Link } from 'wouter';

export interface Column<Row> {
  readonly header: string;
  readonly cell: (row: Row) => ReactNode;
  /** Numbers align right. */
  readonly numeric?: boolean;
}

export interface Pager {
  /** The URL of the page before, or null on the first. */
  readonly previous: string | null;
  /** The URL of the page after, or null on the last. */
  readonly next: string | null;
  /** Where this page stands, e.g. "Accounts 51–100 of 312". */
  readonly position?: string;
}

export function PagedTable<Row>(props: {
  caption: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  pager?: Pager;
}) {
  const { caption, columns, rows, rowKey, pager } = props;
  return (
    <div className="paged-table">
      <div className="table-scroll">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.header} scope="col" className={column.numeric ? 'numeric' : undefined}>
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td key={column.header} className={column.numeric ? 'numeric' : undefined}>
                    {column.cell(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pager && (pager.previous !== null || pager.next !== null) && (
        <nav className="pager" aria-label={`Pages of ${caption.toLowerCase()}`}>
          {pager.previous !== null ? <Link href={pager.previous}>Previous page</Link> : <span />}
          {pager.position && <span>{pager.position}</span>}
          {pager.next !== null ? <Link href={pager.next}>Next page</Link> : <span />}
        </nav>
      )}
    </div>
  );
}

/** The current URL with some query parameters changed (null removes one): for filters and pages. */
export function withQuery(path: string, search: string, changes: Record<string, string | null>): string {
  const parameters = new URLSearchParams(search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === '') parameters.delete(name);
    else parameters.set(name, value);
  }
  const query = parameters.toString();
  return query === '' ? path : `${path}?${query}`;
}

const firstPage = '~';

/**
 * Links to the pages before and after a keyset page: `cursor` is where this page starts (the previous
 * answer's `next`), `trail` the cursors of the pages before it, so "Previous page" is a URL too. Two
 * lists on one page keep their places apart with a prefix (`peopleCursor`, `peopleTrail`).
 */
export function cursorPager(path: string, search: string, next: string | null | undefined, prefix = ''): Pager {
  const names =
    prefix === '' ? { cursor: 'cursor', trail: 'trail' } : { cursor: `${prefix}Cursor`, trail: `${prefix}Trail` };
  const parameters = new URLSearchParams(search);
  const cursor = parameters.get(names.cursor);
  const trail = (parameters.get(names.trail) ?? '').split('.').filter((part) => part !== '');
  const previousCursor = trail[trail.length - 1];
  return {
    previous:
      cursor === null
        ? null
        : withQuery(path, search, {
            [names.cursor]: previousCursor === undefined || previousCursor === firstPage ? null : previousCursor,
            [names.trail]: trail.slice(0, -1).join('.') || null,
          }),
    next:
      next === null || next === undefined
        ? null
        : withQuery(path, search, { [names.cursor]: next, [names.trail]: [...trail, cursor ?? firstPage].join('.') }),
    position: `Page ${trail.length + 1}`,
  };
}

/** The cursor a keyset list starts this page at (see cursorPager), for the API's `cursor`. */
export function cursorOf(search: string, prefix = ''): string | null {
  return new URLSearchParams(search).get(prefix === '' ? 'cursor' : `${prefix}Cursor`);
}
