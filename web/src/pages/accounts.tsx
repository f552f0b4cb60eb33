// stub
import { PageTitle } from '../components/layout';
export function AccountsPage() {
  return <PageTitle title="accounts">accounts</PageTitle>;
}
