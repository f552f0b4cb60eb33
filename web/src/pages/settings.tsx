// stub
import { PageTitle } from '../components/layout';
export function SettingsPage() {
  return <PageTitle title="settings">settings</PageTitle>;
}
