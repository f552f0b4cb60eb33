// `/oversight/retention`: retention by acquisition. Per seller, channel, campaign or quarter won: how many
// customers are still with us 3, 6 and 12 months after they were won, how much revenue stays, what the
// model expects over the coming years, and which sellers' customers leave faster than the company's.
// The numbers are those of `GET /api/v1/reports/retention`; a group too small to judge says so in words.
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useSearch } from 'wouter';
import { answer, api } from '../api/client';
import { type SignedInPerson, useViewer } from '../api/session';
import type { Reply } from '../api/types';
import { EmptyState } from '../components/empty-state';
import { count, money, share } from '../components/format';
import { PageTitle } from '../components/layout';
import { flagInWords, usePeopleNames } from '../components/people-names';
import { withQuery } from '../components/paged-table';
import { QueryState } from '../components/query-state';

type Report = Reply<'/api/v1/reports/retention'>;
type Figures = Report['company'];
type Grouping = 'seller' | 'channel' | 'campaign' | 'quarter';

const groupings: readonly { value: Grouping; label: string; column: string }[] = [
  { value: 'seller', label: 'Seller who won them', column: 'Seller' },
  { value: 'channel', label: 'Channel they came through', column: 'Channel' },
  { value: 'campaign', label: 'Campaign', column: 'Campaign' },
  { value: 'quarter', label: 'Quarter they were won in', column: 'Quarter won' },
];

const groupingOf = (value: string | null): Grouping =>
  groupings.find((grouping) => grouping.value === value)?.value ?? 'seller';

export function RetentionPage() {
  const viewer = useViewer().data as SignedInPerson;
  const search = useSearch();
  const by = groupingOf(new URLSearchParams(search).get('by'));
  const names = usePeopleNames(viewer);
  const report = useQuery({
    queryKey: ['retention', by],
    queryFn: () => answer(api.GET('/api/v1/reports/retention', { params: { query: { by } } })),
  });
  return (
    <>
      <PageTitle title="Retention by acquisition">Retention by acquisition</PageTitle>
      <p className="lead">
        Which customers we win are the ones we keep: for each seller, channel, campaign or quarter, the share of
        customers still with us after 3, 6 and 12 months, against the whole company.{' '}
        {viewer.role === 'rep'
          ? 'You see the customers you won.'
          : viewer.role === 'manager'
            ? 'You see the customers your team won.'
            : 'You see the whole company.'}{' '}
        {viewer.role !== 'rep' && <Link href="/oversight">Back to oversight</Link>}
      </p>
      <GroupingPicker chosen={by} />
      <QueryState query={report} what="the retention report">
        {(figures) =>
          figures.groups.length === 0 ? (
            <Teaching />
          ) : (
            <>
              <FlaggedSellers report={figures} names={names} />
              <RetentionTable report={figures} by={by} names={names} />
              <Projection report={figures} by={by} names={names} />
              {figures.groups.every((group) => group.key === null) && <Teaching />}
            </>
          )
        }
      </QueryState>
    </>
  );
}

function GroupingPicker({ chosen }: { chosen: Grouping }) {
  const [location, navigate] = useLocation();
  const search = useSearch();
  return (
    <form className="filters" aria-label="Group the customers">
      <div className="field">
        <label htmlFor="retention-by">Group customers by</label>
        <select
          id="retention-by"
          value={chosen}
          onChange={(event) => navigate(withQuery(location, search, { by: event.target.value }))}
        >
          {groupings.map((grouping) => (
            <option key={grouping.value} value={grouping.value}>
              {grouping.label}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}

function FlaggedSellers({ report, names }: { report: Report; names: ReadonlyMap<string, string> }) {
  if (report.by !== 'seller') return null;
  if (report.sellersLosingCustomers.length === 0)
    return (
      <p>
        No seller's customers leave markedly faster than the company's (more gone within 6 months, beyond what chance
        explains).
      </p>
    );
  return (
    <section className="notice" aria-labelledby="flagged-sellers">
      <h2 id="flagged-sellers">Customers leaving faster</h2>
      <ul>
        {report.sellersLosingCustomers.map((flag) => (
          <li key={flag.seller}>{flagInWords(flag, names)}</li>
        ))}
      </ul>
    </section>
  );
}

/** "89 % (86–91 %)" for a judged share; the reason in words otherwise. */
function Judged({ judgement }: { judgement: Figures['retention'][number]['judgement'] }) {
  switch (judgement.kind) {
    case 'judged':
      return (
        <>
          {share(judgement.share)}{' '}
          <span className="hint nowrap">
            ({share(judgement.lower)}–{share(judgement.upper)})
          </span>
        </>
      );
    case 'too-few':
    case 'not-fitted':
      return <span className="hint">{judgement.words}</span>;
  }
}

function groupName(key: string | null, by: Grouping, names: ReadonlyMap<string, string>): string {
  if (key === null) return 'not recorded';
  return by === 'seller' ? (names.get(key) ?? key) : key;
}

function RetentionTable({ report, by, names }: { report: Report; by: Grouping; names: ReadonlyMap<string, string> }) {
  const column = groupings.find((grouping) => grouping.value === by)?.column ?? 'Group';
  const rows = [{ key: 'company', name: 'The whole company', figures: report.company as Figures }].concat(
    report.groups.map((group) => ({ key: group.key ?? 'none', name: groupName(group.key, by, names), figures: group })),
  );
  return (
    <div className="table-scroll">
      <table>
        <caption>
          Customers still with us after 3, 6 and 12 months (95 % interval in brackets), among those won long enough ago
        </caption>
        <thead>
          <tr>
            <th scope="col">{column}</th>
            <th scope="col" className="numeric">
              Accounts won
            </th>
            <th scope="col">After 3 months</th>
            <th scope="col">After 6 months</th>
            <th scope="col">After 12 months</th>
            <th scope="col">Yearly revenue kept</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.name}</th>
              <td className="numeric">{count(row.figures.accounts)}</td>
              {row.figures.retention.map((horizon) => (
                <td key={horizon.months}>
                  <Judged judgement={horizon.judgement} />
                </td>
              ))}
              <td>
                {row.figures.revenueRetained.length === 0
                  ? 'no revenue recorded'
                  : row.figures.revenueRetained.map((money_) => (
                      <div key={money_.currency ?? 'none'}>
                        {share(money_.share)} of {money(money_.wonMinor, money_.currency)}
                      </div>
                    ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Projection({ report, by, names }: { report: Report; by: Grouping; names: ReadonlyMap<string, string> }) {
  const rows = [{ key: 'company', name: 'The whole company', figures: report.company as Figures }].concat(
    report.groups.map((group) => ({ key: group.key ?? 'none', name: groupName(group.key, by, names), figures: group })),
  );
  return (
    <>
      <h2>What to expect</h2>
      <p>
        From how long each group's customers have stayed so far, the share of newly won customers expected still to be
        with us after 1, 2, 3 and 5 years, and what a customer won is worth over that life.
      </p>
      <div className="table-scroll">
        <table>
          <caption>Expected share of customers left, and their worth</caption>
          <thead>
            <tr>
              <th scope="col">{groupings.find((grouping) => grouping.value === by)?.column ?? 'Group'}</th>
              <th scope="col">After 1 year</th>
              <th scope="col">2 years</th>
              <th scope="col">3 years</th>
              <th scope="col">5 years</th>
              <th scope="col">Worth per customer won</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const projection = row.figures.projection;
              return (
                <tr key={row.key}>
                  <th scope="row">{row.name}</th>
                  {projection.kind === 'judged' ? (
                    projection.shareLeft.map((left) => <td key={left.years}>{share(left.share)}</td>)
                  ) : (
                    <td colSpan={4} className="hint">
                      {projection.words}
                    </td>
                  )}
                  <td>
                    {'unknown' in row.figures.lifetimeValue ? (
                      <span className="hint">{row.figures.lifetimeValue.unknown}</span>
                    ) : (
                      row.figures.lifetimeValue.perCurrency.map((value) => (
                        <div key={value.currency ?? 'none'}>{money(value.amountMinor, value.currency)}</div>
                      ))
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <details>
        <summary>How the projection works</summary>
        <p>
          Tend fits the shifted-beta-geometric model (Fader and Hardie, 2007) to each group's customers, month by month:
          every customer has their own monthly chance of leaving, and those chances vary from customer to customer. α
          and β describe that variety (the average monthly chance is α / (α + β)); a group where those likely to leave
          have mostly left already keeps the rest longer. The worth of a customer is their average yearly revenue over
          their expected life, a euro next year counting as 91 cents today.
        </p>
        <ul>
          {rows.map((row) =>
            row.figures.projection.kind === 'judged' ? (
              <li key={row.key}>
                {`${row.name}: α = ${row.figures.projection.alpha.toFixed(3)}, `}
                {`β = ${row.figures.projection.beta.toFixed(3)} (${row.figures.projection.monthsObserved} months seen)`}
              </li>
            ) : null,
          )}
        </ul>
      </details>
    </>
  );
}

/** What to send so that the report has something to show. */
function Teaching() {
  return (
    <EmptyState title="Tell Tend how each customer was won">
      <p>
        Send the seller, the channel and the campaign with each account, as traits of a <code>group</code> call:
      </p>
      <pre>
        {`analytics.group('acme', {
  acquiredAt: '2026-01-15',
  acquiredBy: 'sam@yourco.example',
  acquisitionChannel: 'partner',
  campaign: 'spring-fair'
})`}
      </pre>
      <p>
        or as columns of an accounts import: <code>acquired_at, acquired_by, acquisition_channel, campaign</code> (
        <code>tend import accounts FILE.csv</code>, with <code>--map</code> for other column names). Without{' '}
        <code>acquiredAt</code>, an account counts as won when Tend first saw it. A customer is lost when it cancels (
        <code>Subscription Cancelled</code>) or, without a contract, when its buying pattern says it has stopped.
      </p>
    </EmptyState>
  );
}
