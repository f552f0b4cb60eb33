// `/conversations/{id}`: one customer's thread, oldest first — what they wrote, what people answered, and
// Tend's automated messages — how long they have waited, and a box to answer them in the same thread.
// Outside one's book the API answers "not found", and so does this page.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useRef, useState } from 'react';
import { Link } from 'wouter';
import { answer, api } from '../api/client';
import type { Reply } from '../api/types';
import {
  type ConversationSummary,
  customerName,
  isLate,
  messageState,
  statusWords,
  type ThreadMessage,
} from '../components/conversation-words';
import { dateTime, isoOf } from '../components/format';
import { PageTitle } from '../components/layout';
import { ErrorNotice, QueryState } from '../components/query-state';

type Thread = Reply<'/api/v1/conversations/{id}'>;

/** The longest answer the API takes on each channel (one text message, or a long e-mail). */
const longest = { email: 20_000, sms: 1_600 } as const;

export function ConversationPage({ id }: { id: string }) {
  const thread = useQuery({
    queryKey: ['conversation', id],
    queryFn: () => answer(api.GET('/api/v1/conversations/{id}', { params: { path: { id } } })),
  });
  return (
    <>
      <p>
        <Link href="/conversations">All conversations</Link>
      </p>
      <QueryState query={thread} what="conversation">
        {(loaded) => <ConversationDetails thread={loaded} />}
      </QueryState>
    </>
  );
}

function ConversationDetails({ thread }: { thread: Thread }) {
  const { conversation } = thread;
  const name = customerName(conversation);
  return (
    <>
      <PageTitle title={`Conversation with ${name}`}>{name}</PageTitle>
      <p className="lead">
        {conversation.accountId !== null && (
          <>
            <Link href={`/accounts/${encodeURIComponent(conversation.accountId)}`}>
              {conversation.accountName ?? conversation.accountId}
            </Link>{' '}
            ·{' '}
          </>
        )}
        {conversation.owner === null ? 'no owner' : `owned by ${conversation.owner.name ?? conversation.owner.email}`}
      </p>
      {conversation.status === 'open' ? (
        <p>
          <span className={isLate(conversation) ? 'tag severe' : 'tag'}>{statusWords(conversation)}</span> {name} has
          waited for an answer since{' '}
          <time dateTime={isoOf(conversation.waitingSince)}>{dateTime(conversation.waitingSince)}</time>.
        </p>
      ) : (
        <p>
          Answered on <time dateTime={isoOf(conversation.answeredAt)}>{dateTime(conversation.answeredAt)}</time>.
        </p>
      )}
      {thread.automationPausedUntil !== null && (
        <p className="hint">
          Because {name} wrote, Tend's automated messages to them wait until{' '}
          <time dateTime={isoOf(thread.automationPausedUntil)}>{dateTime(thread.automationPausedUntil)}</time>, so that
          a person answers first.
        </p>
      )}
      <h2>Messages</h2>
      {thread.olderNotShown && <p className="hint">Older messages are not shown: these are the latest.</p>}
      <ol className="thread" aria-label="Messages, oldest first">
        {thread.messages.map((message) => (
          <ThreadEntry key={message.id} message={message} customer={name} />
        ))}
      </ol>
      <ReplyForm conversation={conversation} />
    </>
  );
}

function ThreadEntry({ message, customer }: { message: ThreadMessage; customer: string }) {
  const who =
    message.author === 'customer'
      ? `${customer} wrote`
      : message.author === 'person'
        ? `${message.byName ?? message.by ?? 'Someone'} answered`
        : `Tend sent${message.template === null ? '' : ` (${message.template})`}`;
  const how = message.channel === 'sms' ? 'text' : 'e-mail';
  const state = messageState(message);
  return (
    <li className={`message from-${message.author}`}>
      <p className="message-meta">
        <strong>{who}</strong> · {how} · <time dateTime={isoOf(message.at)}>{dateTime(message.at)}</time>
      </p>
      {message.subject !== null && <p className="message-subject">{message.subject}</p>}
      <p className="message-text">{message.text ?? 'Not written yet: it is made from its template when it goes.'}</p>
      {state !== null && <p className="hint">{state}</p>}
    </li>
  );
}

function ReplyForm({ conversation }: { conversation: ConversationSummary }) {
  const id = useId();
  const queries = useQueryClient();
  const box = useRef<HTMLTextAreaElement>(null);
  const [said, setSaid] = useState('');
  const name = customerName(conversation);
  const send = useMutation({
    mutationFn: (text: string) =>
      answer(
        api.POST('/api/v1/conversations/{id}/reply', { params: { path: { id: conversation.id } }, body: { text } }),
      ),
    onSuccess: async () => {
      if (box.current !== null) box.current.value = '';
      setSaid(`Your answer to ${name} is on its way.`);
      await queries.invalidateQueries();
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaid('');
    send.mutate(String(new FormData(event.currentTarget).get('text') ?? ''));
  };
  const how =
    conversation.channel === 'sms'
      ? `as a text to ${conversation.customerAddress}`
      : `by e-mail to ${conversation.customerAddress}, in the same thread`;
  return (
    <form className="log-form reply-form" onSubmit={submit} aria-label={`Answer ${name}`}>
      <div className="field">
        <label htmlFor={`${id}-text`}>Your answer to {name}</label>
        <textarea
          id={`${id}-text`}
          ref={box}
          name="text"
          required
          rows={6}
          maxLength={longest[conversation.channel]}
          aria-describedby={`${id}-how`}
        />
        <p className="hint" id={`${id}-how`}>
          Sent {how}, with your name.
        </p>
      </div>
      {send.isError && <ErrorNotice error={send.error} />}
      <p className="visually-hidden" role="status" aria-live="polite">
        {said}
      </p>
      {said !== '' && <p className="notice success">{said}</p>}
      <div className="actions">
        <button type="submit" disabled={send.isPending}>
          Send the answer
        </button>
      </div>
    </form>
  );
}
