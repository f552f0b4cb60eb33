// stub
import { PageTitle } from '../components/layout';
export function OversightPage() {
  return <PageTitle title="oversight">oversight</PageTitle>;
}
