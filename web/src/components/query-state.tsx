// How a page looks while its data comes, and when the API refused: "not found" for what is not there or
// outside one's book (the API does not say which), else the API's own words.
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { ApiError } from '../api/client';
import { PageTitle } from './layout';

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function NotFoundNotice({ what }: { what: string }) {
  return (
    <section className="notice" aria-label="Not found">
      <PageTitle title="Not found">Not found</PageTitle>
      <p>
        There is no {what} here, or it is not in your book. Check the link, or go back to{' '}
        <Link href="/today">Today</Link>.
      </p>
    </section>
  );
}

/** The API's message, which says what was wrong and how to fix it (its field paths are for programs). */
export function ErrorNotice({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <div className="notice error" role="alert">
      <p>{message}</p>
    </div>
  );
}

export const isNotFound = (error: unknown): boolean => error instanceof ApiError && error.status === 404;

/** Renders a query's data, or its loading and error states. */
export function QueryState<T>({
  query,
  what,
  children,
}: {
  query: UseQueryResult<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.isError)
    return isNotFound(query.error) ? <NotFoundNotice what={what} /> : <ErrorNotice error={query.error} />;
  return <>{children(query.data)}</>;
}
