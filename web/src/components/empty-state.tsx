// What a page says when there is nothing to show: why, and what to do about it, in plain words.
import type { ReactNode } from 'react';

/** `level` 3 for a section of a page whose own heading is already an h2. */
export function EmptyState({ title, level = 2, children }: { title: string; level?: 2 | 3; children?: ReactNode }) {
  const Heading = level === 3 ? 'h3' : 'h2';
  return (
    <section className="empty-state" aria-label={title}>
      <Heading>{title}</Heading>
      {children}
    </section>
  );
}
