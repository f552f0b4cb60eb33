// stub
import { PageTitle } from '../components/layout';
export function AccountPage({ id }: { id: string }) {
  return <PageTitle title="account">account {id}</PageTitle>;
}
