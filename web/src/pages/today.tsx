// stub
import { PageTitle } from '../components/layout';
export function TodayPage() {
  return <PageTitle title="today">today</PageTitle>;
}
