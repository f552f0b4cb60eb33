// `/tasks`: follow-ups — mine (open), overdue, escalated to me, done — each with its objective, talking
// points, account and due time, completed with an outcome. The view is in the URL (`?show=`).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { useBusinessNow } from '../api/clock';
import { answer, api } from '../api/client';
import { type SignedInPerson, useViewer } from '../api/session';
import type { Query, Reply } from '../api/types';
import { CompleteTask } from '../components/complete-task';
import { EmptyState } from '../components/empty-state';
import { dateTime, fromNow, words } from '../components/format';
import { PageTitle } from '../components/layout';
import { withQuery } from '../components/paged-table';
import { QueryState } from '../components/query-state';

type Task = Reply<'/api/v1/tasks'>['tasks'][number];
type View = 'mine' | 'overdue' | 'escalated' | 'done';

const views: readonly { value: View; label: string; empty: string }[] = [
  { value: 'mine', label: 'My open tasks', empty: 'You have no open tasks.' },
  { value: 'overdue', label: 'Overdue', empty: 'Nothing is overdue.' },
  { value: 'escalated', label: 'Escalated to me', empty: 'No task was escalated to you.' },
  { value: 'done', label: 'Done', empty: 'No task is done yet.' },
];

/** Tasks on one page; the server pages the rest (`?after=` holds the page's place). */
const pageSize = 50;

function queryOf(view: View, viewer: SignedInPerson, after: string | null): Query<'/api/v1/tasks'> {
  const page = { limit: pageSize, ...(after === null ? {} : { cursor: after }) };
  switch (view) {
    case 'mine':
      return { ownerId: viewer.email, status: 'open', ...page };
    case 'overdue':
      return { ...(viewer.role === 'rep' ? { ownerId: viewer.email } : {}), status: 'open', overdue: true, ...page };
    case 'escalated':
      return { escalatedTo: 'me', status: 'open', ...page };
    case 'done':
      return { ownerId: viewer.email, status: 'done', ...page };
  }
}

/** Where a task came from, in words: "the new-lead playbook" rather than its internal source tag. */
function sourceWords(source: string): string | null {
  if (source === 'api') return null;
  const [kind, playbook] = source.split(':');
  return kind === 'playbook' && playbook !== undefined ? `the ${playbook} playbook` : words(source);
}

export function TasksPage() {
  const viewer = useViewer().data as SignedInPerson;
  const [location] = useLocation();
  const search = useSearch();
  const parameters = new URLSearchParams(search);
  const asked = parameters.get('show');
  const after = parameters.get('after');
  const view: View = views.some((candidate) => candidate.value === asked) ? (asked as View) : 'mine';
  const [said, setSaid] = useState('');
  const now = useBusinessNow();
  const tasks = useQuery({
    queryKey: ['tasks', view, viewer.email, after],
    queryFn: () => answer(api.GET('/api/v1/tasks', { params: { query: queryOf(view, viewer, after) } })),
  });
  const shown = views.filter((candidate) => candidate.value !== 'escalated' || viewer.role !== 'rep');
  return (
    <>
      <PageTitle title="Tasks">Tasks</PageTitle>
      <p className="lead">Follow-ups with a deadline. A task not done in time goes to the owner's manager.</p>
      <nav aria-label="Which tasks" className="actions">
        {shown.map((candidate) => (
          <Link
            key={candidate.value}
            className={candidate.value === view ? 'button' : 'button quiet-link'}
            aria-current={candidate.value === view ? 'page' : undefined}
            href={withQuery(location, search, {
              show: candidate.value === 'mine' ? null : candidate.value,
              after: null,
            })}
          >
            {candidate.label}
          </Link>
        ))}
      </nav>
      <p className="visually-hidden" role="status" aria-live="polite">
        {said}
      </p>
      {said !== '' && <p className="notice success">{said}</p>}
      <QueryState query={tasks} what="tasks">
        {(list) => {
          const rows = list.tasks;
          if (rows.length === 0 && after === null) {
            return (
              <EmptyState title={views.find((candidate) => candidate.value === view)?.empty ?? 'No tasks.'}>
                <p>
                  Tasks come from playbooks (a step that asks a person to act) and from the API. Your list for the day
                  is on <Link href="/today">Today</Link>.
                </p>
              </EmptyState>
            );
          }
          return (
            <ul className="today-list" aria-label={views.find((candidate) => candidate.value === view)?.label}>
              {rows.map((task) => (
                <TaskItem key={task.id} task={task} viewer={viewer} now={now} onSaid={setSaid} />
              ))}
            </ul>
          );
        }}
      </QueryState>
      {tasks.data && (after !== null || tasks.data.next !== null) && (
        <nav className="pager" aria-label="Pages of tasks">
          {after !== null ? <Link href={withQuery(location, search, { after: null })}>First page</Link> : <span />}
          {tasks.data.next !== null && (
            <Link href={withQuery(location, search, { after: tasks.data.next })}>Next page</Link>
          )}
        </nav>
      )}
    </>
  );
}

function TaskItem(props: { task: Task; viewer: SignedInPerson; now: Date; onSaid: (message: string) => void }) {
  const { task, viewer, now, onSaid } = props;
  const late = task.status === 'open' && new Date(task.dueAt) < now;
  const source = sourceWords(task.source);
  const person = (email: string) => (email === viewer.email ? 'you' : email);
  const accountHref = task.accountId === null ? null : `/accounts/${encodeURIComponent(task.accountId)}`;
  return (
    <li className="today-entry">
      <header>
        <h2>{task.objective}</h2>
        <span className={late ? 'tag severe' : 'tag'}>
          {task.status === 'open' ? `${late ? 'Overdue' : 'Due'} ${fromNow(task.dueAt, now)}` : words(task.status)}
        </span>
      </header>
      <p>
        {accountHref !== null && (
          <>
            <Link href={accountHref}>{task.accountName ?? task.accountId}</Link> ·{' '}
          </>
        )}
        for {person(task.owner)} · due <time dateTime={task.dueAt}>{dateTime(task.dueAt)}</time>
        {task.escalatedTo !== null && <> · escalated to {person(task.escalatedTo)}</>}
        {source !== null && <> · from {source}</>}
      </p>
      {task.talkingPoints.length > 0 && (
        <>
          <h3>Talking points</h3>
          <ul>
            {task.talkingPoints.map((point) => (
              <li key={point}>{point}</li>
            ))}
          </ul>
        </>
      )}
      {task.status === 'open' ? (
        <CompleteTask taskId={task.id} objective={task.objective} onDone={onSaid} />
      ) : (
        <p>
          Outcome: {task.outcome === null ? '—' : words(task.outcome)}
          {task.note !== null && <> · {task.note}</>} ·{' '}
          <time dateTime={task.completedAt ?? undefined}>{dateTime(task.completedAt)}</time>
        </p>
      )}
    </li>
  );
}
