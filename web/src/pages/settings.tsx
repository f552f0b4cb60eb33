// `/settings` (admins): the people who sign in and their roles, the write keys that send events, and the
// policy in force, read-only. Others see that the page is for admins (the API refuses them too).
import { type SignedInPerson, useViewer } from '../api/session';
import { EmptyState } from '../components/empty-state';
import { PageTitle } from '../components/layout';
import { SettingsKeys } from '../components/settings-keys';
import { SettingsPeople } from '../components/settings-people';
import { SettingsPolicy } from '../components/settings-policy';

export function SettingsPage() {
  const viewer = useViewer().data as SignedInPerson;
  if (viewer.role !== 'admin') {
    return (
      <>
        <PageTitle title="Settings">Settings</PageTitle>
        <EmptyState title="Settings are for admins">
          <p>Ask an admin of your Tend to change people, keys or the policy.</p>
        </EmptyState>
      </>
    );
  }
  return (
    <>
      <PageTitle title="Settings">Settings</PageTitle>
      <p className="lead">Who signs in, what sends events, and the rules Tend follows.</p>
      <section aria-labelledby="people-title">
        <h2 id="people-title">People</h2>
        <SettingsPeople viewer={viewer} />
      </section>
      <section aria-labelledby="keys-title">
        <h2 id="keys-title">Write keys</h2>
        <SettingsKeys />
      </section>
      <section aria-labelledby="policy-title">
        <h2 id="policy-title">Policy</h2>
        <SettingsPolicy />
      </section>
    </>
  );
}
