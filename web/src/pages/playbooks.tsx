// stub
import { PageTitle } from '../components/layout';
export function PlaybooksPage() {
  return <PageTitle title="playbooks">playbooks</PageTitle>;
}
