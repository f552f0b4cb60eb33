// stub
import { PageTitle } from '../components/layout';
export function SetupPage({ token }: { token: string }) {
  return <PageTitle title="setup">setup {token}</PageTitle>;
}
