// stub
import { PageTitle } from '../components/layout';
export function SignInLinkPage({ token }: { token: string }) {
  return <PageTitle title="sign-in-link">sign-in-link {token}</PageTitle>;
}
