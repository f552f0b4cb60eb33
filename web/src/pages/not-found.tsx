// stub
import { PageTitle } from '../components/layout';
export function NotFoundPage() {
  return <PageTitle title="not-found">not-found</PageTitle>;
}
