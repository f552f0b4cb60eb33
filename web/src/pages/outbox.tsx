// `/outbox`: what Tend sent or would send, newest first, with its status and the reason for it; the
// chosen e-mail (`?message=`) shown as the customer sees it, in a sandboxed frame where no script runs.
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useSearch } from 'wouter';
import { answer, api } from '../api/client';
import type { Reply } from '../api/types';
import { EmptyState } from '../components/empty-state';
import { dateTime, words } from '../components/format';
import { PageTitle } from '../components/layout';
import { PagedTable, cursorOf, cursorPager, withQuery } from '../components/paged-table';
import { QueryState } from '../components/query-state';

type Message = Reply<'/api/v1/outbox'>['messages'][number];
type Status = Message['status'];

const statuses: readonly Status[] = [
  'pending',
  'sending',
  'sent',
  'delivered-locally',
  'skipped',
  'failed',
  'unconfirmed',
];
const statusWords: Record<Status, string> = {
  pending: 'Waiting to be sent',
  sending: 'Being sent',
  sent: 'Sent',
  'delivered-locally': 'In the local mailbox (no provider set up)',
  skipped: 'Not sent',
  failed: 'Failed',
  unconfirmed: 'Unconfirmed',
};

const pageSize = 50;

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export function OutboxPage() {
  const [location, navigate] = useLocation();
  const search = useSearch();
  const parameters = new URLSearchParams(search);
  const status = statuses.find((candidate) => candidate === parameters.get('status')) ?? null;
  const cursor = cursorOf(search);
  const chosen = parameters.get('message');
  const outbox = useQuery({
    queryKey: ['outbox', status, cursor],
    queryFn: () =>
      answer(
        api.GET('/api/v1/outbox', {
          params: {
            query: { limit: pageSize, ...(status === null ? {} : { status }), ...(cursor === null ? {} : { cursor }) },
          },
        }),
      ),
  });
  return (
    <>
      <PageTitle title="Outbox">Outbox</PageTitle>
      <p className="lead">Every message Tend sent or would send to your customers, newest first, and why.</p>
      <form className="filters" aria-label="Filter the outbox">
        <div className="field">
          <label htmlFor="outbox-status">Status</label>
          <select
            id="outbox-status"
            value={status ?? ''}
            onChange={(event) =>
              navigate(
                withQuery(location, search, { status: event.target.value, cursor: null, trail: null, message: null }),
              )
            }
          >
            <option value="">Any</option>
            {statuses.map((candidate) => (
              <option key={candidate} value={candidate}>
                {statusWords[candidate]}
              </option>
            ))}
          </select>
        </div>
      </form>
      <QueryState query={outbox} what="the outbox">
        {({ messages, next }) => {
          if (messages.length === 0 && cursor === null) {
            return (
              <EmptyState title={status === null ? 'Nothing sent yet' : 'No message with this status'}>
                <p>
                  Playbooks send messages when they act (see <Link href="/playbooks">Playbooks</Link>). Without an
                  e-mail provider set up, Tend keeps them in its local mailbox, shown here.
                </p>
              </EmptyState>
            );
          }
          const preview = messages.find((message) => message.id === chosen) ?? null;
          return (
            <>
              {preview !== null && (
                <MessagePreview message={preview} closeHref={withQuery(location, search, { message: null })} />
              )}
              <PagedTable<Message>
                caption="Messages"
                rows={messages}
                rowKey={(message) => message.id}
                columns={[
                  {
                    header: 'When',
                    cell: (message) => <time dateTime={message.createdAt}>{dateTime(message.createdAt)}</time>,
                  },
                  { header: 'To', cell: (message) => message.recipient ?? message.contactId ?? '—' },
                  {
                    header: 'Message',
                    cell: (message) => (
                      <Link
                        href={withQuery(location, search, { message: message.id })}
                        aria-current={message.id === chosen ? 'true' : undefined}
                      >
                        {text(message.message?.subject) ?? `${words(message.channel)} message`}
                      </Link>
                    ),
                  },
                  { header: 'Channel', cell: (message) => words(message.channel) },
                  { header: 'Status', cell: (message) => statusWords[message.status] },
                  { header: 'Reason', cell: (message) => message.reason ?? '' },
                  {
                    header: 'Account',
                    cell: (message) =>
                      message.accountId === null ? (
                        '—'
                      ) : (
                        <Link href={`/accounts/${encodeURIComponent(message.accountId)}`}>
                          {message.accountName ?? message.accountId}
                        </Link>
                      ),
                  },
                ]}
                pager={cursorPager(location, search, next)}
              />
            </>
          );
        }}
      </QueryState>
    </>
  );
}

/**
 * The message as its recipient sees it. An e-mail's HTML comes from `/api/v1/outbox/{id}/preview`, under a
 * policy of its own (its styles, no script, nothing from outside), in a frame with `sandbox=""`: no script,
 * no form, no navigation. Inline in the page (`srcdoc`) the app's strict policy would refuse its styles.
 */
function MessagePreview({ message, closeHref }: { message: Message; closeHref: string }) {
  const subject = text(message.message?.subject);
  const html = text(message.message?.html);
  const plain = text(message.message?.text) ?? text(message.message?.body);
  return (
    <section className="panel" aria-labelledby="preview-title">
      <h2 id="preview-title">{subject ?? `${words(message.channel)} message`}</h2>
      <p className="hint">
        To {message.recipient ?? '—'} · {statusWords[message.status]}
        {message.reason !== null && <> · {message.reason}</>} · <Link href={closeHref}>Close the message</Link>
      </p>
      {html !== null ? (
        <iframe
          className="email-preview"
          title={`The e-mail "${subject ?? ''}" as sent`}
          sandbox=""
          src={`/api/v1/outbox/${encodeURIComponent(message.id)}/preview`}
          referrerPolicy="no-referrer"
        />
      ) : plain !== null ? (
        <pre className="secret">{plain}</pre>
      ) : (
        <p>This message has no text to show (it was not written yet, or it is not an e-mail or text).</p>
      )}
    </section>
  );
}
