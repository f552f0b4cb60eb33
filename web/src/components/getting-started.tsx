// What Today says when the list is empty because nobody owns accounts here: on a fresh Tend, the three
// ways to get customers in (send events, import a spreadsheet, start the demo); else whose lists to see.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import type { Role } from '../api/session';
import { EmptyState } from './empty-state';

export function GettingStarted({ role, mine }: { role: Role; mine: boolean }) {
  const origin = window.location.origin;
  // Whether the viewer's book has any account at all: a fresh Tend has none.
  const any = useQuery({
    queryKey: ['accounts', 'any'],
    queryFn: () => answer(api.GET('/api/v1/accounts', { params: { query: { sort: 'value', limit: 1 } } })),
    enabled: role !== 'rep',
  });
  if (role !== 'rep' && any.isPending) return null;
  if (role !== 'rep' && mine && any.data !== undefined && any.data.items.length > 0) {
    return (
      <EmptyState title="You own no accounts yourself">
        <p>
          Choose a rep's list above, or see how the team is doing in <Link href="/oversight">Oversight</Link> and all
          accounts in <Link href="/accounts">Accounts</Link>.
        </p>
      </EmptyState>
    );
  }
  if (role === 'rep' || !mine) {
    return (
      <EmptyState title={mine ? 'You own no accounts yet' : 'This person owns no accounts yet'}>
        <p>
          Accounts come to a rep through their owner: the <code>owner</code> of an account is its rep's e-mail, set by
          your product's data or a spreadsheet import. Ask an admin of your Tend to give you your accounts; they show up
          here, ranked, as soon as one needs you.
        </p>
      </EmptyState>
    );
  }
  return (
    <EmptyState title="Tend has no customers yet">
      <p>Tend ranks whom to contact once it knows your accounts. Three ways to get them in:</p>
      <ol>
        <li>
          <strong>Send events from your product</strong> with any Segment-compatible SDK: point its host at{' '}
          <code>{origin}</code> and use a write key (made in <Link href="/settings">Settings</Link>, or printed at first
          start). For example:
          <pre className="secret">
            {`curl -u "$WRITE_KEY:" ${origin}/v1/group -H 'content-type: application/json' \\\n` +
              `  -d '{"userId":"ann","groupId":"acme",` +
              `"traits":{"name":"Acme","revenue":240000,"owner":"rita@yourco.example"}}'`}
          </pre>
        </li>
        <li>
          <strong>Import a spreadsheet</strong> (CSV) of accounts, contacts and past calls:
          <pre className="secret">
            {'npx tend import users examples/users.csv\n' +
              'npx tend import accounts examples/accounts.csv\n' +
              'npx tend import interactions examples/interactions.csv'}
          </pre>
        </li>
        <li>
          <strong>Try the demo company</strong>: <code>npm run demo</code> starts a separate Tend with 300 accounts, a
          sales team and a year of history, and prints sign-in links.
        </li>
      </ol>
      <p>
        The API and its documentation are at <a href="/docs">/docs</a>.
      </p>
    </EmptyState>
  );
}
