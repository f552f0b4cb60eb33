// `/oversight`: a manager's team, per rep — accounts owned, share within cadence, neglected accounts by
// value, async-only share, median response time, signals past their deadline, revenue at risk — each
// number linking to the accounts behind it, and coverage by tier as a chart. An admin sees the whole
// company or picks a manager (`?manager=`). The numbers are those of `GET /api/v1/users/{id}/oversight`;
// below them, what the health score weighs in the book (`GET /api/v1/health/model`). Sellers whose
// customers leave faster than the company's are named first, linking to retention by acquisition.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { answer, api } from '../api/client';
import { nameOf, type SignedInPerson, useViewer } from '../api/session';
import type { Reply } from '../api/types';
import { BookHealthWeights } from '../components/book-health-weights';
import { Chart, type ChartOption } from '../components/chart';
import { EmptyState } from '../components/empty-state';
import { count, money, share, wait } from '../components/format';
import { PageTitle } from '../components/layout';
import { flagInWords, usePeopleNames } from '../components/people-names';
import { withQuery } from '../components/paged-table';
import { QueryState } from '../components/query-state';
import { UnownedAccounts } from '../components/unowned-accounts';

type Oversight = Reply<'/api/v1/oversight'>;
type RepRow = Oversight['reps'][number];

/** The accounts behind a number: the account list, filtered as the number was counted. */
const accountsOf = (repEmail: string, filters: Record<string, string> = {}): string =>
  withQuery('/accounts', '', { owner: repEmail, ...filters });

export function OversightPage() {
  const viewer = useViewer().data as SignedInPerson;
  const search = useSearch();
  const manager = viewer.role === 'admin' ? new URLSearchParams(search).get('manager') : null;
  const names = usePeopleNames(viewer);
  const oversight = useQuery({
    queryKey: ['oversight', manager],
    queryFn: () =>
      answer(api.GET('/api/v1/oversight', { params: { query: manager === null ? {} : { managerId: manager } } })),
  });
  return (
    <>
      <PageTitle title="Oversight">Oversight</PageTitle>
      <p className="lead">
        Who is keeping up with their accounts, who is letting valuable ones go quiet, and what is at stake.
      </p>
      {viewer.role === 'admin' && <ManagerPicker chosen={manager} />}
      <p>
        <Link href="/oversight/retention">Retention by acquisition</Link>: which sellers, channels and campaigns win
        customers who stay.
      </p>
      <QueryState query={oversight} what="the team's figures">
        {(team) => (
          <>
            <SellersLosingCustomers team={team} names={names} />
            {team.unowned !== undefined && <UnownedAccounts unowned={team.unowned} />}
            {team.reps.length === 0 ? (
              <EmptyState title="No reps in this team yet">
                <p>
                  A rep joins a team when an admin sets their manager (Settings, or <code>tend import users</code> with
                  managerEmail).
                </p>
              </EmptyState>
            ) : (
              <>
                <TeamTable team={team} names={names} />
                <CoverageChart team={team} />
              </>
            )}
          </>
        )}
      </QueryState>
      <BookHealthWeights />
    </>
  );
}

/** The flag of the retention report, next to the seller's accounts and revenue won (in its words). */
function SellersLosingCustomers({ team, names }: { team: Oversight; names: ReadonlyMap<string, string> }) {
  if (team.sellersLosingCustomers.length === 0) return null;
  return (
    <section className="notice" aria-labelledby="sellers-losing-customers">
      <h2 id="sellers-losing-customers">Customers leaving faster</h2>
      <ul>
        {team.sellersLosingCustomers.map((flag) => (
          <li key={flag.seller}>
            {flagInWords(flag, names)} <Link href="/oversight/retention?by=seller">See retention by seller</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function TeamTable({ team, names }: { team: Oversight; names: ReadonlyMap<string, string> }) {
  return (
    <div className="table-scroll">
      <table>
        <caption>
          {team.manager === null ? 'The whole company' : `${nameOf(team.manager)}'s team`}: each number links to the
          accounts behind it
        </caption>
        <thead>
          <tr>
            <th scope="col">Rep</th>
            <th scope="col" className="numeric">
              Accounts
            </th>
            <th scope="col" className="numeric">
              Within cadence
            </th>
            <th scope="col">Neglected, most valuable first</th>
            <th scope="col" className="numeric">
              E-mail only
            </th>
            <th scope="col" className="numeric">
              Median answer time
            </th>
            <th scope="col" className="numeric">
              Signals past deadline
            </th>
            <th scope="col" className="numeric">
              Revenue at risk
            </th>
          </tr>
        </thead>
        <tbody>
          {team.reps.map((rep) => (
            <RepFigures
              key={rep.repEmail}
              rep={rep}
              name={names.get(rep.repEmail) ?? rep.repEmail}
              manager={team.manager?.email ?? null}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RepFigures({ rep, name, manager }: { rep: RepRow; name: string; manager: string | null }) {
  const who = rep.repEmail === manager ? `${name} (the manager)` : name;
  // Each currency on its own: francs and euros are never added together.
  const atRisk =
    rep.revenueAtRisk.length === 0
      ? [money(0, null)]
      : rep.revenueAtRisk.map((amount) => money(amount.amountMinor, amount.currency));
  return (
    <tr>
      <th scope="row" className="nowrap">
        {who}
      </th>
      <td className="numeric">
        <Link href={accountsOf(rep.repEmail)} aria-label={`${count(rep.accountsOwned)} accounts of ${name}`}>
          {count(rep.accountsOwned)}
        </Link>
      </td>
      <td className="numeric">
        <Link
          href={accountsOf(rep.repEmail, { sort: 'days-since-contact' })}
          aria-label={`${share(rep.withinCadenceShare)} of ${name}'s accounts within cadence`}
        >
          {share(rep.withinCadenceShare)}
        </Link>
      </td>
      <td>
        {rep.neglectedAccounts === 0 ? (
          'none'
        ) : (
          <>
            <Link
              href={accountsOf(rep.repEmail, { signal: 'neglected' })}
              aria-label={`${rep.neglectedAccounts} neglected accounts of ${name}`}
            >
              {count(rep.neglectedAccounts)} neglected
            </Link>
            <ol className="compact">
              {rep.neglected.slice(0, 3).map((account) => (
                <li key={account.accountId}>
                  <Link href={`/accounts/${encodeURIComponent(account.accountId)}`}>
                    {account.name ?? account.accountId}
                  </Link>
                </li>
              ))}
            </ol>
          </>
        )}
      </td>
      <td className="numeric">
        <Link
          href={accountsOf(rep.repEmail, { signal: 'async-only' })}
          aria-label={`${share(rep.asyncOnlyShare)} of ${name}'s accounts e-mail only`}
        >
          {share(rep.asyncOnlyShare)}
        </Link>
      </td>
      <td className="numeric">
        <Link
          href={accountsOf(rep.repEmail, { signal: 'slow-response' })}
          aria-label={`Median answer time of ${name}: ${wait(rep.medianResponseMinutes)}`}
        >
          {wait(rep.medianResponseMinutes)}
        </Link>
      </td>
      <td className="numeric">
        <Link
          href={accountsOf(rep.repEmail, { sort: 'health' })}
          aria-label={`${count(rep.signalsPastDeadline)} signals past deadline for ${name}`}
        >
          {count(rep.signalsPastDeadline)}
        </Link>
      </td>
      <td className="numeric">
        <Link
          href={accountsOf(rep.repEmail, { sort: 'health' })}
          aria-label={`Revenue at risk with ${name}: ${atRisk.join(', ')}`}
        >
          {atRisk.map((amount, index) => (
            <span key={amount}>
              {index > 0 && <br />}
              {amount}
            </span>
          ))}
        </Link>
      </td>
    </tr>
  );
}

/** The team's accounts per tier, within cadence or not: which tiers the team keeps up with. */
function CoverageChart({ team }: { team: Oversight }) {
  const tiers = useMemo(() => {
    const totals = new Map<string, { accounts: number; withinCadence: number }>();
    for (const rep of team.reps) {
      for (const tier of rep.tiers) {
        const name = tier.tier ?? 'not ranked yet';
        const total = totals.get(name) ?? { accounts: 0, withinCadence: 0 };
        total.accounts += tier.accounts;
        total.withinCadence += tier.withinCadence;
        totals.set(name, total);
      }
    }
    const unranked = 'not ranked yet';
    return [...totals.entries()]
      .sort(([a], [b]) => (a === unranked ? 1 : b === unranked ? -1 : a.localeCompare(b)))
      .map(([tier, total]) => ({ tier, ...total }));
  }, [team]);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 48, right: 16, top: 36, bottom: 32 },
      legend: { top: 0 },
      xAxis: { type: 'category', data: tiers.map((tier) => (tier.tier.length <= 3 ? `Tier ${tier.tier}` : tier.tier)) },
      yAxis: { type: 'value', name: 'accounts', minInterval: 1 },
      tooltip: { trigger: 'axis' },
      series: [
        { type: 'bar', name: 'Within cadence', stack: 'accounts', data: tiers.map((tier) => tier.withinCadence) },
        {
          type: 'bar',
          name: 'Neglected',
          stack: 'accounts',
          itemStyle: { color: '#a23b3b' },
          data: tiers.map((tier) => tier.accounts - tier.withinCadence),
        },
      ],
    }),
    [tiers],
  );
  if (tiers.length === 0) return null;
  return (
    <>
      <h2>Coverage by tier</h2>
      <Chart
        title={
          `${team.manager === null ? "The company's" : "The team's"} accounts per tier: ` +
          'within cadence, and neglected'
        }
        option={option}
        table={
          <table>
            <caption>Coverage by tier</caption>
            <thead>
              <tr>
                <th scope="col">Tier</th>
                <th scope="col" className="numeric">
                  Accounts
                </th>
                <th scope="col" className="numeric">
                  Within cadence
                </th>
                <th scope="col" className="numeric">
                  Share
                </th>
              </tr>
            </thead>
            <tbody>
              {tiers.map((tier) => (
                <tr key={tier.tier}>
                  <th scope="row">{tier.tier}</th>
                  <td className="numeric">{count(tier.accounts)}</td>
                  <td className="numeric">{count(tier.withinCadence)}</td>
                  <td className="numeric">{share(tier.accounts === 0 ? null : tier.withinCadence / tier.accounts)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
    </>
  );
}

/** An admin chooses whose team to look at. */
function ManagerPicker({ chosen }: { chosen: string | null }) {
  const [location, navigate] = useLocation();
  const search = useSearch();
  const users = useQuery({ queryKey: ['users'], queryFn: () => answer(api.GET('/api/v1/users')) });
  const managers = (users.data?.users ?? []).filter((user) => user.role === 'manager');
  return (
    <form className="filters" aria-label="Whose team">
      <div className="field">
        <label htmlFor="oversight-manager">Whose team</label>
        <select
          id="oversight-manager"
          value={chosen ?? ''}
          key={managers.length}
          onChange={(event) => navigate(withQuery(location, search, { manager: event.target.value }))}
        >
          <option value="">The whole company</option>
          {managers.map((manager) => (
            <option key={manager.email} value={manager.email}>
              {nameOf(manager)}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
