// stub
import { PageTitle } from '../components/layout';
export function PlaybookPage({ id }: { id: string }) {
  return <PageTitle title="playbook">playbook {id}</PageTitle>;
}
