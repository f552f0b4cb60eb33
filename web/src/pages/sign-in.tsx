// stub
import { PageTitle } from '../components/layout';
export function SignInPage() {
  return <PageTitle title="sign-in">sign-in</PageTitle>;
}
