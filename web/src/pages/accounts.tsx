// `/accounts`: the accounts of one's book — search by name or id, filter by owner, tier and signal, sort by
// value, health or days since the last conversation — a page at a time. Every choice is in the URL.
import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { answer, api } from '../api/client';
import { nameOf, type SignedInPerson, useViewer } from '../api/session';
import type { Query, Reply } from '../api/types';
import { EmptyState } from '../components/empty-state';
import { count, moneyMajor } from '../components/format';
import { PageTitle } from '../components/layout';
import { cursorPager, PagedTable, withQuery } from '../components/paged-table';
import { QueryState } from '../components/query-state';
import { type SignalWords, useSignalWords } from '../components/signal-words';

type Account = Reply<'/api/v1/accounts'>['items'][number];
type Sort = Query<'/api/v1/accounts'>['sort'];

const sorts: readonly { value: Sort; label: string }[] = [
  { value: 'value', label: 'Value (highest first)' },
  { value: 'health', label: 'Health (weakest first)' },
  { value: 'days-since-contact', label: 'Days since contact (longest first)' },
];

const pageSize = 50;

export function AccountsPage() {
  const viewer = useViewer().data as SignedInPerson;
  const [location, navigate] = useLocation();
  const search = useSearch();
  const parameters = new URLSearchParams(search);
  const text = (name: string) => parameters.get(name) ?? '';
  const sort = sorts.find((candidate) => candidate.value === parameters.get('sort'))?.value ?? 'value';
  const signalWords = useSignalWords();
  const signal = signalWords.kinds.find((kind) => kind === parameters.get('signal'));
  const query: Query<'/api/v1/accounts'> = {
    sort,
    limit: pageSize,
    ...(text('q') === '' ? {} : { q: text('q') }),
    ...(text('owner') === '' ? {} : { ownerId: text('owner') }),
    ...(text('tier') === '' ? {} : { tier: text('tier') }),
    ...(signal === undefined ? {} : { signal }),
    ...(parameters.get('order') === 'asc' || parameters.get('order') === 'desc'
      ? { order: parameters.get('order') as 'asc' | 'desc' }
      : {}),
    ...(text('cursor') === '' ? {} : { cursor: text('cursor') }),
  };
  const accounts = useQuery({
    queryKey: ['accounts', query],
    queryFn: () => answer(api.GET('/api/v1/accounts', { params: { query } })),
    placeholderData: (previous) => previous,
    // A signal named in the URL is known once the kinds have come: ask then, not first without it.
    enabled: text('signal') === '' || signalWords.ready,
  });
  const filter = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim() || null;
    navigate(
      withQuery(location, '', {
        q: value('q'),
        owner: value('owner'),
        tier: value('tier'),
        signal: value('signal'),
        sort: value('sort') === 'value' ? null : value('sort'),
      }),
    );
  };
  const filtered = ['q', 'owner', 'tier', 'signal'].some((name) => text(name) !== '');
  return (
    <>
      <PageTitle title="Accounts">Accounts</PageTitle>
      <p className="lead">{viewer.role === 'rep' ? 'The accounts you own.' : 'The accounts of your book.'}</p>
      <form className="filters" onSubmit={filter} aria-label="Find accounts" key={search}>
        <div className="field">
          <label htmlFor="accounts-q">Name or id</label>
          <input id="accounts-q" name="q" type="search" defaultValue={text('q')} maxLength={200} />
        </div>
        {viewer.role !== 'rep' && <OwnerChoice viewer={viewer} chosen={text('owner')} />}
        <div className="field">
          <label htmlFor="accounts-tier">Tier</label>
          <input id="accounts-tier" name="tier" defaultValue={text('tier')} size={6} maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="accounts-signal">Signal</label>
          <select id="accounts-signal" name="signal" defaultValue={signal ?? ''} key={signalWords.kinds.length}>
            <option value="">Any</option>
            {signalWords.kinds.map((kind) => (
              <option key={kind} value={kind}>
                {signalWords.word(kind)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="accounts-sort">Sort by</label>
          <select id="accounts-sort" name="sort" defaultValue={sort}>
            {sorts.map((candidate) => (
              <option key={candidate.value} value={candidate.value}>
                {candidate.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Show accounts</button>
        {filtered && (
          <Link href={location} className="button quiet-link">
            Clear the filters
          </Link>
        )}
      </form>
      <QueryState query={accounts} what="accounts">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title={filtered ? 'No account matches' : 'No accounts yet'}>
              <p>
                {filtered
                  ? 'Try fewer filters, or the beginning of a word of the name.'
                  : 'Accounts appear as your product sends them (a group call) or a spreadsheet is imported; ' +
                    'a rep sees the ones they own.'}
              </p>
            </EmptyState>
          ) : (
            <PagedTable<Account>
              caption={filtered ? 'Accounts that match' : 'Accounts'}
              rows={page.items}
              rowKey={(account) => account.id}
              columns={columnsNaming(signalWords)}
              pager={cursorPager(location, search, page.next)}
            />
          )
        }
      </QueryState>
    </>
  );
}

/** The table's columns; open signals named as the API names their kinds. */
const columnsNaming = (signalWords: SignalWords) => [
  {
    header: 'Account',
    cell: (account: Account) => (
      <Link href={`/accounts/${encodeURIComponent(account.id)}`}>{account.name ?? account.id}</Link>
    ),
  },
  { header: 'Owner', cell: (account: Account) => (account.owner === null ? '—' : nameOf(account.owner)) },
  { header: 'Tier', cell: (account: Account) => account.tier ?? '—' },
  { header: 'Value a year', numeric: true, cell: (account: Account) => moneyMajor(account.value, account.currency) },
  {
    header: 'Health',
    numeric: true,
    cell: (account: Account) => (account.healthScore === null ? '—' : count(account.healthScore)),
  },
  {
    header: 'Days since contact',
    numeric: true,
    cell: (account: Account) => (account.daysSinceContact === null ? 'never' : count(account.daysSinceContact)),
  },
  {
    header: 'Open signals',
    cell: (account: Account) => account.openSignals.map(signalWords.word).join(', ') || '—',
  },
];

/** Whose accounts: a manager's reps (or their own), an admin's choice of everyone. */
function OwnerChoice({ viewer, chosen }: { viewer: SignedInPerson; chosen: string }) {
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => answer(api.GET('/api/v1/users')),
    enabled: viewer.role === 'admin',
  });
  const people =
    viewer.role === 'admin'
      ? (users.data?.users ?? []).filter((user) => user.role !== 'admin')
      : [viewer, ...viewer.reps];
  return (
    <div className="field">
      <label htmlFor="accounts-owner">Owner</label>
      <select id="accounts-owner" name="owner" defaultValue={chosen} key={people.length}>
        <option value="">Anyone</option>
        {viewer.role === 'admin' && <option value="none">Nobody (no owner)</option>}
        {people.map((person) => (
          <option key={person.email} value={person.email}>
            {nameOf(person)}
          </option>
        ))}
      </select>
    </div>
  );
}
