// `/accounts/{id}`: one account — name, tier, value, owner; its health with its history; its open signals;
// what it was promised; the contact audit; its people; and everything that happened, newest first.
// Outside one's book the API answers "not found", and so does this page.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useBusinessNow } from '../api/clock';
import { answer, api } from '../api/client';
import { nameOf, type SignedInPerson, useViewer } from '../api/session';
import type { Reply } from '../api/types';
import { AccountAudit } from '../components/account-audit';
import { AccountConversations } from '../components/account-conversations';
import { AccountHealth } from '../components/account-health';
import { AccountPeople } from '../components/account-people';
import { AccountPromises } from '../components/account-promises';
import { AccountTimeline } from '../components/account-timeline';
import { count, dateTime, daysAgo, fromNow, moneyMajor, reasonsInWords } from '../components/format';
import { PageTitle } from '../components/layout';
import { LogTouchForm, type TouchKind, touchButton, touchKinds } from '../components/log-touch';
import { QueryState } from '../components/query-state';
import { useSignalWords } from '../components/signal-words';

type Summary = Reply<'/api/v1/accounts/{accountId}/summary'>;

export function AccountPage({ id }: { id: string }) {
  const summary = useQuery({
    queryKey: ['account', id, 'summary'],
    queryFn: () => answer(api.GET('/api/v1/accounts/{accountId}/summary', { params: { path: { accountId: id } } })),
  });
  return (
    <>
      <p>
        <Link href="/accounts">All accounts</Link>
      </p>
      <QueryState query={summary} what="account">
        {(account) => <AccountDetails account={account} />}
      </QueryState>
    </>
  );
}

function AccountDetails({ account }: { account: Summary }) {
  const viewer = useViewer().data as SignedInPerson;
  const now = useBusinessNow();
  const name = account.name ?? account.id;
  return (
    <>
      <PageTitle title={name}>{name}</PageTitle>
      <p className="lead">
        {[account.id, account.tier === null ? null : `tier ${account.tier}`, account.lifecycleStage, account.plan]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <dl className="facts">
        <div>
          <dt>Value a year</dt>
          <dd>{moneyMajor(account.value, account.currency)}</dd>
        </div>
        <div>
          <dt>Revenue a year</dt>
          <dd>{moneyMajor(account.revenue, account.currency)}</dd>
        </div>
        <div>
          <dt>Profit a year</dt>
          <dd>{moneyMajor(account.profit, account.currency)}</dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>
            {account.owner === null
              ? 'nobody'
              : `${nameOf(account.owner)}${account.owner.known ? '' : ' (not a Tend user)'}`}
          </dd>
        </div>
        <div>
          <dt>Health</dt>
          <dd>{account.healthScore === null ? 'not scored yet' : `${count(account.healthScore)} / 100`}</dd>
        </div>
        <div>
          <dt>Last real conversation</dt>
          <dd>{account.daysSinceContact === null ? 'never' : daysAgo(account.daysSinceContact)}</dd>
        </div>
      </dl>
      <LogActions account={account} repEmail={viewer.email} />
      <h2>Health</h2>
      <AccountHealth accountId={account.id} />
      <h2>Open signals</h2>
      <OpenSignals account={account} now={now} />
      <h2>Promises</h2>
      <AccountPromises accountId={account.id} accountName={name} />
      <h2>Conversations</h2>
      <AccountConversations accountId={account.id} accountName={name} />
      <h2>Contact audit</h2>
      <AccountAudit accountId={account.id} />
      <h2>People</h2>
      <AccountPeople accountId={account.id} />
      <h2>Timeline</h2>
      <AccountTimeline accountId={account.id} />
    </>
  );
}

function LogActions({ account, repEmail }: { account: Summary; repEmail: string }) {
  const [logging, setLogging] = useState<TouchKind | null>(null);
  const [said, setSaid] = useState('');
  return (
    <section aria-label="Log a touch">
      <p className="visually-hidden" role="status" aria-live="polite">
        {said}
      </p>
      {said !== '' && <p className="notice success">{said}</p>}
      {logging === null ? (
        <div className="actions">
          {touchKinds.map((kind, index) => (
            <button
              key={kind}
              type="button"
              className={index === 0 ? undefined : 'quiet'}
              onClick={() => setLogging(kind)}
            >
              {touchButton(kind)}
            </button>
          ))}
        </div>
      ) : (
        <LogTouchForm
          kind={logging}
          accountId={account.id}
          accountName={account.name ?? account.id}
          repEmail={repEmail}
          onClose={() => setLogging(null)}
          onLogged={(message) => {
            setLogging(null);
            setSaid(message);
          }}
        />
      )}
    </section>
  );
}

function OpenSignals({ account, now }: { account: Summary; now: Date }) {
  const signalWords = useSignalWords();
  if (account.openSignals.length === 0) return <p>No open signals: nothing needs attention here right now.</p>;
  return (
    <div className="table-scroll">
      <table>
        <caption>Open signals, most severe first</caption>
        <thead>
          <tr>
            <th scope="col">Signal</th>
            <th scope="col" className="numeric">
              Severity
            </th>
            <th scope="col">Since</th>
            <th scope="col">Deadline</th>
            <th scope="col">Owner</th>
            <th scope="col" className="numeric">
              At stake
            </th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {account.openSignals.map((signal) => (
            <tr key={signal.id}>
              <th scope="row">{signalWords.word(signal.kind)}</th>
              <td className="numeric">{count(signal.severity)}</td>
              <td>
                <time dateTime={signal.raisedAt}>{dateTime(signal.raisedAt)}</time>
              </td>
              <td>
                {signal.deadlineAt === null ? (
                  '—'
                ) : (
                  <>
                    <time dateTime={signal.deadlineAt}>{dateTime(signal.deadlineAt)}</time> (
                    {fromNow(signal.deadlineAt, now)})
                  </>
                )}
              </td>
              <td>{signal.owner ?? '—'}</td>
              <td className="numeric">{moneyMajor(signal.valueAtStake, account.currency)}</td>
              <td>{reasonsInWords(signal.reasons)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
