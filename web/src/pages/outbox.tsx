// stub
import { PageTitle } from '../components/layout';
export function OutboxPage() {
  return <PageTitle title="outbox">outbox</PageTitle>;
}
