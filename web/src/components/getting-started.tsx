// What a fresh Tend says on Today: it has no accounts yet, and the three ways to get some — send events
// from your product, import a spreadsheet, or start the demo company.
import { Link } from 'wouter';
import type { Role } from '../api/session';
import { EmptyState } from './empty-state';

export function GettingStarted({ role, mine }: { role: Role; mine: boolean }) {
  const origin = window.location.origin;
  if (role === 'rep' || !mine) {
    return (
      <EmptyState title={mine ? 'You own no accounts yet' : 'This person owns no accounts yet'}>
        <p>
          Accounts come to a rep through their owner: the <code>owner</code> of an account is its rep's e-mail, set
          by your product's data or a spreadsheet import. Ask an admin of your Tend to give you your accounts; they
          show up here, ranked, as soon as one needs you.
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
            {`curl -u "$WRITE_KEY:" ${origin}/v1/group -H 'content-type: application/json' \\\n  -d '{"userId":"ann","groupId":"acme","traits":{"name":"Acme","revenue":240000,"owner":"rita@yourco.example"}}'`}
          </pre>
        </li>
        <li>
          <strong>Import a spreadsheet</strong> (CSV) of accounts, contacts and past calls:
          <pre className="secret">
            {'npx tend import users examples/users.csv\nnpx tend import accounts examples/accounts.csv\nnpx tend import interactions examples/interactions.csv'}
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
