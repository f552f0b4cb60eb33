// Any address the app does not have (a mistyped or old link): says so, and where to go instead.
import { Link } from 'wouter';
import { PageTitle } from '../components/layout';

export function NotFoundPage() {
  return (
    <section className="notice" aria-label="Not found">
      <PageTitle title="Not found">Not found</PageTitle>
      <p>
        Tend has no page at this address. Check the link, or go to <Link href="/today">Today</Link>.
      </p>
    </section>
  );
}
