// The accounts nobody owns, on the company's Oversight: no today list shows them and no notice reaches
// anyone when they go quiet, so the page names them and says how to give each an owner.
import { Link } from 'wouter';
import type { Reply } from '../api/types';
import { count, money } from './format';
import { withQuery } from './paged-table';

type Unowned = NonNullable<Reply<'/api/v1/oversight'>['unowned']>;

export function UnownedAccounts({ unowned }: { unowned: Unowned }) {
  if (unowned.accounts === 0) return null;
  const atRisk = unowned.revenueAtRisk.map((amount) => money(amount.amountMinor, amount.currency)).join(' + ');
  return (
    <section aria-labelledby="unowned-heading" className="notice">
      <h2 id="unowned-heading">Accounts nobody owns</h2>
      <p>
        {count(unowned.accounts)} {unowned.accounts === 1 ? 'account has' : 'accounts have'} no owner
        {unowned.neglected > 0 ? `, ${count(unowned.neglected)} of them neglected` : ''}
        {atRisk === '' ? '' : `, with ${atRisk} at risk`}. Nobody is told when they go quiet and no today list shows
        them. Give each an owner: the <code>owner</code> trait of the account (a <code>group</code> call, or the owner
        column of <code>tend import accounts</code>).
      </p>
      <ul aria-label="The most valuable accounts nobody owns">
        {unowned.mostValuable.map((account) => (
          <li key={account.accountId}>
            <Link href={`/accounts/${encodeURIComponent(account.accountId)}`}>{account.name ?? account.accountId}</Link>
          </li>
        ))}
      </ul>
      {unowned.accounts > unowned.mostValuable.length && (
        <p>
          <Link href={withQuery('/accounts', '', { owner: 'none' })}>
            All {count(unowned.accounts)} accounts nobody owns
          </Link>
        </p>
      )}
    </section>
  );
}
