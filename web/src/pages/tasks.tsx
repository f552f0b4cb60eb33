// stub
import { PageTitle } from '../components/layout';
export function TasksPage() {
  return <PageTitle title="tasks">tasks</PageTitle>;
}
