// `/today`: a rep's ranked list of whom to contact today, each with why, how, what for, what to bring and
// what is at stake; from each entry, a touch or a task's outcome in two clicks. A manager may look at a
// rep's list (`?rep=`). A fresh install says how to get accounts in.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { answer, api } from '../api/client';
import { nameOf, type SignedInPerson, useViewer } from '../api/session';
import type { Reply } from '../api/types';
import { CompleteTask } from '../components/complete-task';
import { EmptyState } from '../components/empty-state';
import { dateTime, datesInWords, fromNow, money, words } from '../components/format';
import { PageTitle } from '../components/layout';
import { LogTouchForm, type TouchKind, touchButton, touchKindFor, touchKinds } from '../components/log-touch';
import { withQuery } from '../components/paged-table';
import { QueryState } from '../components/query-state';
import { useSignalWords } from '../components/signal-words';
import { GettingStarted } from '../components/getting-started';

type TodayList = Reply<'/api/v1/users/{id}/today'>;
type TodayEntry = TodayList['entries'][number];
type Task = Reply<'/api/v1/tasks'>['tasks'][number];

export function TodayPage() {
  const viewer = useViewer().data as SignedInPerson;
  const search = useSearch();
  const chosen = new URLSearchParams(search).get('rep');
  const whose = chosen ?? viewer.email;
  const today = useQuery({
    queryKey: ['today', whose],
    queryFn: () => answer(api.GET('/api/v1/users/{id}/today', { params: { path: { id: whose } } })),
  });
  const tasks = useQuery({
    queryKey: ['tasks', 'open', whose],
    queryFn: () =>
      answer(api.GET('/api/v1/tasks', { params: { query: { ownerId: whose, status: 'open', limit: 100 } } })),
  });
  const [said, setSaid] = useState('');
  const mine = whose === viewer.email;
  // A manager's reps are known by name at once; anyone else's list names them when it comes.
  const person = viewer.reps.find((rep) => rep.email === whose) ?? today.data?.rep;
  return (
    <>
      <PageTitle title="Today">
        {mine ? 'Today' : `Today for ${person === undefined ? whose : nameOf(person)}`}
      </PageTitle>
      <p className="lead">Whom to contact today, most important first, and why.</p>
      {viewer.role !== 'rep' && <RepPicker viewer={viewer} whose={whose} />}
      <p className="visually-hidden" role="status" aria-live="polite">
        {said}
      </p>
      {said !== '' && <p className="notice success">{said}</p>}
      <QueryState query={today} what="the list for today">
        {(list) =>
          list.entries.length === 0 ? (
            list.accountsOwned === 0 ? (
              <GettingStarted role={viewer.role} mine={mine} />
            ) : (
              <EmptyState title="Nobody needs you today">
                <p>
                  None of the {list.accountsOwned} accounts {mine ? 'you own' : 'in this book'} has an open signal right
                  now: every one is within its cadence. New signals appear here as they are raised.
                </p>
                <p>
                  <Link href="/accounts">See all accounts</Link> or <Link href="/tasks">your tasks</Link>.
                </p>
              </EmptyState>
            )
          ) : (
            <ol className="today-list" aria-label={`Whom to contact, as of ${dateTime(list.asOf)}`}>
              {list.entries.map((entry, index) => (
                <TodayItem
                  key={entry.accountId}
                  entry={entry}
                  rank={index + 1}
                  asOf={new Date(list.asOf)}
                  repEmail={list.rep.email}
                  tasks={(tasks.data?.tasks ?? []).filter((task) => task.accountId === entry.accountId)}
                  onSaid={setSaid}
                />
              ))}
            </ol>
          )
        }
      </QueryState>
      <OtherTasks
        tasks={tasks.data?.tasks ?? []}
        listed={new Set(today.data?.entries.map((entry) => entry.accountId) ?? [])}
        onSaid={setSaid}
      />
    </>
  );
}

function TodayItem(props: {
  entry: TodayEntry;
  rank: number;
  asOf: Date;
  repEmail: string;
  tasks: readonly Task[];
  onSaid: (message: string) => void;
}) {
  const { entry, rank, asOf, repEmail, tasks, onSaid } = props;
  const [logging, setLogging] = useState<TouchKind | null>(null);
  const signalWords = useSignalWords();
  const name = entry.name ?? entry.accountId;
  const headingId = `today-${rank}`;
  const suggested = touchKindFor(entry.suggestedMethod);
  const ordered = [suggested, ...touchKinds.filter((kind) => kind !== suggested)];
  return (
    <li className="today-entry" aria-labelledby={headingId}>
      <header>
        <h2 id={headingId}>
          <span className="rank">{rank}.</span>{' '}
          <Link href={`/accounts/${encodeURIComponent(entry.accountId)}`}>{name}</Link>
        </h2>
        <span>
          Tier {entry.tier} · worth {money(entry.valueMinor, entry.currency)} a year
        </span>
      </header>
      <ul className="tags" aria-label="Signals">
        {entry.signals.map((signal) => (
          <li key={signal} className="tag">
            {signalWords.word(signal)}
          </li>
        ))}
      </ul>
      <div className="entry-details">
        <div>
          <h3>Why</h3>
          <ul>
            {entry.why.map((reason) => (
              <li key={reason}>{datesInWords(reason)}</li>
            ))}
          </ul>
          <h3>How</h3>
          <p>
            {words(channelWords(entry.suggestedMethod))}{' '}
            {entry.contact === null ? 'the account' : contactWords(entry.contact)}
          </p>
          <h3>Objective</h3>
          <p>{words(entry.objective)}</p>
        </div>
        <div>
          <h3>Talking points</h3>
          {entry.talkingPoints.length === 0 ? (
            <p>Ask how things are going; listen for what changed.</p>
          ) : (
            <ul>
              {entry.talkingPoints.map((point) => (
                <li key={point}>{datesInWords(point)}</li>
              ))}
            </ul>
          )}
          <h3>At stake</h3>
          <p>{money(entry.valueAtStakeMinor, entry.currency)} a year if nobody acts</p>
          {entry.deadlineAt !== null && (
            <>
              <h3>Deadline</h3>
              <p>
                <time dateTime={entry.deadlineAt}>{dateTime(entry.deadlineAt)}</time> ({fromNow(entry.deadlineAt, asOf)}
                )
              </p>
            </>
          )}
        </div>
      </div>
      {tasks.map((task) => (
        <div key={task.id} className="panel">
          <p>
            Task: <strong>{task.objective}</strong>, due <time dateTime={task.dueAt}>{dateTime(task.dueAt)}</time>
          </p>
          <CompleteTask taskId={task.id} objective={task.objective} onDone={props.onSaid} />
        </div>
      ))}
      {logging === null ? (
        <div className="actions">
          {ordered.map((kind, index) => (
            <button
              key={kind}
              type="button"
              className={index === 0 ? undefined : 'quiet'}
              aria-describedby={headingId}
              onClick={() => setLogging(kind)}
            >
              {touchButton(kind)}
            </button>
          ))}
        </div>
      ) : (
        <LogTouchForm
          kind={logging}
          accountId={entry.accountId}
          accountName={name}
          repEmail={repEmail}
          objective={entry.objective}
          onClose={() => setLogging(null)}
          onLogged={(message) => {
            setLogging(null);
            onSaid(message);
          }}
        />
      )}
    </li>
  );
}

function contactWords(contact: NonNullable<TodayEntry['contact']>): string {
  const name = contact.name ?? contact.email ?? contact.id;
  const reach = [contact.phone, contact.name === null ? null : contact.email].filter((part) => part !== null);
  return reach.length === 0 ? name : `${name} (${reach.join(', ')})`;
}

function channelWords(channel: string): string {
  switch (channel) {
    case 'phone':
      return 'call';
    case 'video':
      return 'video call';
    case 'meeting':
      return 'meet';
    case 'email':
      return 'e-mail';
    case 'sms':
      return 'text';
    case 'letter':
      return 'write to';
    case 'chat':
      return 'chat with';
    default:
      return channel;
  }
}

/** Open tasks for accounts not on the list (or for no account): still the rep's to do today. */
function OtherTasks({
  tasks,
  listed,
  onSaid,
}: {
  tasks: readonly Task[];
  listed: ReadonlySet<string>;
  onSaid: (message: string) => void;
}) {
  const others = tasks.filter((task) => task.accountId === null || !listed.has(task.accountId));
  if (others.length === 0) return null;
  return (
    <section aria-labelledby="other-tasks">
      <h2 id="other-tasks">Other open tasks</h2>
      <ul className="today-list">
        {others.map((task) => (
          <li key={task.id} className="panel">
            <p>
              <strong>{task.objective}</strong>
              {task.accountId !== null && (
                <>
                  {' '}
                  for{' '}
                  <Link href={`/accounts/${encodeURIComponent(task.accountId)}`}>
                    {task.accountName ?? task.accountId}
                  </Link>
                </>
              )}
              , due <time dateTime={task.dueAt}>{dateTime(task.dueAt)}</time>
            </p>
            <CompleteTask taskId={task.id} objective={task.objective} onDone={onSaid} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A manager picks one of their reps (or themselves); an admin anyone with a book. */
function RepPicker({ viewer, whose }: { viewer: SignedInPerson; whose: string }) {
  const [location, navigate] = useLocation();
  const search = useSearch();
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => answer(api.GET('/api/v1/users')),
    enabled: viewer.role === 'admin',
  });
  const choices =
    viewer.role === 'admin'
      ? (users.data?.users ?? []).filter((user) => user.role !== 'admin' || user.email === viewer.email)
      : [viewer, ...viewer.reps];
  if (choices.length <= 1) return null;
  return (
    <form className="filters" aria-label="Whose list">
      <div className="field">
        <label htmlFor="today-rep">Whose list</label>
        <select
          id="today-rep"
          value={whose}
          onChange={(event) =>
            navigate(
              withQuery(location, search, { rep: event.target.value === viewer.email ? null : event.target.value }),
            )
          }
        >
          {choices.map((person) => (
            <option key={person.email} value={person.email}>
              {person.email === viewer.email ? `Mine (${nameOf(person)})` : nameOf(person)}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
