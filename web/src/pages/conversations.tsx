// `/conversations`: customers who wrote in, those waiting for an answer first and the longest wait first,
// then those answered. Filtered by `?show=` (waiting, answered) and `?accountId=` (from an account's page);
// each page of the list is a URL (`?cursor=`).
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useSearch } from 'wouter';
import { answer, api } from '../api/client';
import type { Query } from '../api/types';
import {
  type ConversationSummary,
  channelWords,
  customerName,
  isLate,
  statusWords,
} from '../components/conversation-words';
import { EmptyState } from '../components/empty-state';
import { dateTime, isoOf } from '../components/format';
import { PageTitle } from '../components/layout';
import { cursorOf, cursorPager, withQuery } from '../components/paged-table';
import { QueryState } from '../components/query-state';

type Show = 'all' | 'waiting' | 'answered';

const views: readonly { value: Show; label: string; empty: string }[] = [
  { value: 'all', label: 'All', empty: 'No customer has written in yet' },
  { value: 'waiting', label: 'Waiting for an answer', empty: 'Nobody is waiting for an answer' },
  { value: 'answered', label: 'Answered', empty: 'No conversation is answered yet' },
];

const pageSize = 50;

export function ConversationsPage() {
  const [location] = useLocation();
  const search = useSearch();
  const parameters = new URLSearchParams(search);
  const asked = parameters.get('show');
  const show: Show = views.some((view) => view.value === asked) ? (asked as Show) : 'all';
  const accountId = parameters.get('accountId');
  const cursor = cursorOf(search);
  const query: Query<'/api/v1/conversations'> = {
    limit: pageSize,
    ...(show === 'waiting' ? { status: 'open' as const } : show === 'answered' ? { status: 'answered' as const } : {}),
    ...(accountId === null ? {} : { accountId }),
    ...(cursor === null ? {} : { cursor }),
  };
  const conversations = useQuery({
    queryKey: ['conversations', show, accountId, cursor],
    queryFn: () => answer(api.GET('/api/v1/conversations', { params: { query } })),
  });
  const view = views.find((candidate) => candidate.value === show) ?? views[0]!;
  return (
    <>
      <PageTitle title="Conversations">Conversations</PageTitle>
      <p className="lead">
        Customers who wrote to you: whoever waits for an answer comes first, the longest wait first. Answer them here,
        in the same thread.
      </p>
      {accountId !== null && (
        <p>
          Only the conversations of account {accountId}.{' '}
          <Link href={withQuery(location, search, { accountId: null, cursor: null, trail: null })}>Show all</Link>
        </p>
      )}
      <nav aria-label="Which conversations" className="actions">
        {views.map((candidate) => (
          <Link
            key={candidate.value}
            className={candidate.value === show ? 'button' : 'button quiet-link'}
            aria-current={candidate.value === show ? 'page' : undefined}
            href={withQuery(location, search, {
              show: candidate.value === 'all' ? null : candidate.value,
              cursor: null,
              trail: null,
            })}
          >
            {candidate.label}
          </Link>
        ))}
      </nav>
      <QueryState query={conversations} what="conversations">
        {(list) => {
          if (list.conversations.length === 0 && cursor === null) return <NoConversations title={view.empty} />;
          const pager = cursorPager(location, search, list.next);
          return (
            <>
              <ul className="today-list" aria-label={`Conversations: ${view.label.toLowerCase()}`}>
                {list.conversations.map((conversation) => (
                  <ConversationItem key={conversation.id} conversation={conversation} />
                ))}
              </ul>
              {(pager.previous !== null || pager.next !== null) && (
                <nav className="pager" aria-label="Pages of conversations">
                  {pager.previous !== null ? <Link href={pager.previous}>Previous page</Link> : <span />}
                  <span>{pager.position}</span>
                  {pager.next !== null ? <Link href={pager.next}>Next page</Link> : <span />}
                </nav>
              )}
            </>
          );
        }}
      </QueryState>
    </>
  );
}

function ConversationItem({ conversation }: { conversation: ConversationSummary }) {
  const name = customerName(conversation);
  return (
    <li className={conversation.status === 'open' ? 'today-entry' : 'today-entry answered'} aria-label={name}>
      <header>
        <h2>
          <Link href={`/conversations/${conversation.id}`}>{name}</Link>
          {conversation.accountName !== null && <span className="rank"> · {conversation.accountName}</span>}
        </h2>
        <span className={isLate(conversation) ? 'tag severe' : 'tag'}>{statusWords(conversation)}</span>
      </header>
      {conversation.preview !== null && <p className="message-preview">“{conversation.preview}”</p>}
      <p className="hint">
        {channelWords(conversation)} · last message{' '}
        <time dateTime={isoOf(conversation.lastMessageAt)}>{dateTime(conversation.lastMessageAt)}</time>
        {conversation.owner !== null && <> · {conversation.owner.name ?? conversation.owner.email}'s customer</>}
      </p>
    </li>
  );
}

/** The empty list teaches where conversations come from. */
function NoConversations({ title }: { title: string }) {
  return (
    <EmptyState title={title}>
      <p>A customer's message lands here, in one conversation with them, when they:</p>
      <ul>
        <li>answer one of Tend's e-mails (each has its own reply address),</li>
        <li>write from their own e-mail address to any address on your reply domain, or</li>
        <li>send a text to your Tend number (except STOP, START and HELP).</li>
      </ul>
      <p>
        Your answer goes out in the same thread, by e-mail or text. Meanwhile Tend's automated messages to them wait
        (three days, unless your Tend is set otherwise), so that a person answers first. The account's owner answers;
        whoever has waited longest comes first.
      </p>
    </EmptyState>
  );
}
