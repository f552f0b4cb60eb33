// The routes: one page per URL, each loaded when first opened (so charts load only with the pages that
// draw them). Sign-in, first-admin setup and sign-in links are open to all; every other page needs a session.
import { type ComponentType, lazy, Suspense } from 'react';
import { Redirect, Route, Switch } from 'wouter';
import { useViewer } from './api/session';
import { Layout } from './components/layout';
import { ErrorNotice, Loading } from './components/query-state';

function page<Name extends string, Props>(load: () => Promise<{ [Key in Name]: ComponentType<Props> }>, name: Name) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const TodayPage = page(() => import('./pages/today'), 'TodayPage');
const AccountsPage = page(() => import('./pages/accounts'), 'AccountsPage');
const AccountPage = page(() => import('./pages/account'), 'AccountPage');
const OversightPage = page(() => import('./pages/oversight'), 'OversightPage');
const RetentionPage = page(() => import('./pages/retention'), 'RetentionPage');
const TasksPage = page(() => import('./pages/tasks'), 'TasksPage');
const ConversationsPage = page(() => import('./pages/conversations'), 'ConversationsPage');
const ConversationPage = page(() => import('./pages/conversation'), 'ConversationPage');
const PlaybooksPage = page(() => import('./pages/playbooks'), 'PlaybooksPage');
const PlaybookPage = page(() => import('./pages/playbook'), 'PlaybookPage');
const OutboxPage = page(() => import('./pages/outbox'), 'OutboxPage');
const SettingsPage = page(() => import('./pages/settings'), 'SettingsPage');
const NotificationsPage = page(() => import('./pages/notifications'), 'NotificationsPage');
const SignInPage = page(() => import('./pages/sign-in'), 'SignInPage');
const SetupPage = page(() => import('./pages/setup'), 'SetupPage');
const SignInLinkPage = page(() => import('./pages/sign-in-link'), 'SignInLinkPage');
const NotFoundPage = page(() => import('./pages/not-found'), 'NotFoundPage');

export function App() {
  return (
    <Suspense fallback={<Loading what="the page" />}>
      <Switch>
        <Route path="/">
          <Redirect to="/today" replace />
        </Route>
        <Route path="/sign-in">
          <SignInPage />
        </Route>
        <Route path="/sign-in/:token">{(params) => <SignInLinkPage token={params.token} />}</Route>
        <Route path="/setup/:token">{(params) => <SetupPage token={params.token} />}</Route>
        <Route>
          <SignedIn />
        </Route>
      </Switch>
    </Suspense>
  );
}

/** The pages behind the session: the layout for whoever is signed in, and the page the URL names. */
function SignedIn() {
  const viewer = useViewer();
  if (viewer.isPending) return <Loading what="your session" />;
  // A 401 has already sent the person to the sign-in page (api/client.ts).
  if (viewer.isError) return <ErrorNotice error={viewer.error} />;
  return (
    <Layout viewer={viewer.data}>
      <Suspense fallback={<Loading what="the page" />}>
        <Switch>
          <Route path="/today">
            <TodayPage />
          </Route>
          <Route path="/accounts">
            <AccountsPage />
          </Route>
          <Route path="/accounts/:id">{(params) => <AccountPage id={params.id} />}</Route>
          <Route path="/oversight">
            <OversightPage />
          </Route>
          <Route path="/oversight/retention">
            <RetentionPage />
          </Route>
          <Route path="/tasks">
            <TasksPage />
          </Route>
          <Route path="/conversations">
            <ConversationsPage />
          </Route>
          <Route path="/conversations/:id">{(params) => <ConversationPage id={params.id} />}</Route>
          <Route path="/playbooks">
            <PlaybooksPage />
          </Route>
          <Route path="/playbooks/:id">{(params) => <PlaybookPage id={params.id} />}</Route>
          <Route path="/outbox">
            <OutboxPage />
          </Route>
          <Route path="/settings">
            <SettingsPage />
          </Route>
          <Route path="/notifications">
            <NotificationsPage />
          </Route>
          <Route>
            <NotFoundPage />
          </Route>
        </Switch>
      </Suspense>
    </Layout>
  );
}
