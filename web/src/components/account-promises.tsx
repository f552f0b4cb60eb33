// An account's promises on its page: what the customer was promised, by when and by whom, late ones first
// with what to raise on the next call, each with its history; a promise is recorded, marked kept, withdrawn
// or given a new date here (`/api/v1/accounts/{id}/promises`), and the signals and health follow.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useBusinessNow } from '../api/clock';
import { ApiError, answer, api } from '../api/client';
import { type SignedInPerson, useViewer } from '../api/session';
import type { RequestBody } from '../api/types';
import { EmptyState } from './empty-state';
import { calendarDayInWords, dateTime, datesInWords } from './format';
import { type AccountPromise, historyInWords, peopleInWords, standingTags, whenInWords } from './promise-words';
import { ErrorNotice, QueryState } from './query-state';
import { RecordPromiseForm } from './record-promise';
import { FormActions } from './form-actions';

type Change = RequestBody<'/api/v1/accounts/{accountId}/promises/{promiseId}', 'patch'>;
type Action = 'kept' | 'withdrawn' | 'due';

const actions: Record<Action, { button: string; submit: string; note: string; placeholder: string }> = {
  kept: {
    button: 'Mark kept',
    submit: 'Save as kept',
    note: 'Note (optional)',
    placeholder: 'What was delivered, e.g. the release it came in',
  },
  withdrawn: {
    button: 'Withdraw',
    submit: 'Withdraw the promise',
    note: 'Why (optional)',
    placeholder: 'e.g. the customer no longer needs it',
  },
  due: {
    button: 'Change the due date',
    submit: 'Save the new date',
    note: 'Why (optional)',
    placeholder: 'e.g. agreed with the customer on a call',
  },
};
const actionOrder: readonly Action[] = ['kept', 'due', 'withdrawn'];

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function AccountPromises({ accountId, accountName }: { accountId: string; accountName: string }) {
  const viewer = useViewer().data as SignedInPerson;
  const now = useBusinessNow();
  const queries = useQueryClient();
  const [recording, setRecording] = useState(false);
  const [said, setSaid] = useState('');
  const promises = useQuery({
    queryKey: ['account', accountId, 'promises'],
    queryFn: () => answer(api.GET('/api/v1/accounts/{accountId}/promises', { params: { path: { accountId } } })),
  });
  const written = async (message: string) => {
    setRecording(false);
    setSaid(message);
    // A promise moves the account's signals, its health score and the today list, not only this list.
    await Promise.all([
      queries.invalidateQueries({ queryKey: ['account', accountId] }),
      queries.invalidateQueries({ queryKey: ['today'] }),
    ]);
  };
  return (
    <section aria-label="Promises">
      <p className="visually-hidden" role="status" aria-live="polite">
        {said}
      </p>
      {said !== '' && <p className="notice success">{said}</p>}
      <QueryState query={promises} what="promises">
        {(list) =>
          list.promises.length === 0 ? (
            <NoPromises />
          ) : (
            <ul className="promises" aria-label={`Promises to ${accountName}`}>
              {list.promises.map((promise) => (
                <PromiseItem
                  key={promise.promiseId}
                  promise={promise}
                  now={now}
                  accountId={accountId}
                  onWritten={written}
                />
              ))}
            </ul>
          )
        }
      </QueryState>
      {recording ? (
        <RecordPromiseForm
          accountId={accountId}
          accountName={accountName}
          viewerEmail={viewer.email}
          colleagues={viewer.reps.map((rep) => rep.email)}
          onClose={() => setRecording(false)}
          onRecorded={written}
        />
      ) : (
        <div className="actions">
          <button type="button" onClick={() => setRecording(true)}>
            Record a promise
          </button>
        </div>
      )}
    </section>
  );
}

function NoPromises() {
  return (
    <EmptyState title="No promises recorded yet" level={3}>
      <p>
        A promise is anything the customer was told they would get by a certain day: a feature, a discount, a training,
        a call from engineering. Record it here with who delivers it, and Tend keeps watch: a week before it is due it
        flags it as due soon, and once it is late it tells the account's owner, with what to say to the customer.
      </p>
      <p>
        Promises made while selling can also come from your CRM, as <code>Promise Made</code> events, or from a
        spreadsheet with <code>tend import promises FILE.csv</code>.
      </p>
    </EmptyState>
  );
}

function PromiseItem(props: {
  promise: AccountPromise;
  now: Date;
  accountId: string;
  onWritten: (message: string) => Promise<void>;
}) {
  const { promise, now, accountId, onWritten } = props;
  const headingId = useId();
  const [acting, setActing] = useState<Action | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const queries = useQueryClient();
  const late = promise.standing === 'broken';
  const urgent = late || promise.standing === 'due-soon';
  const closed = promise.status !== 'open';
  return (
    <li className={`promise${late ? ' late' : ''}${closed ? ' closed' : ''}`} aria-labelledby={headingId}>
      <h3 id={headingId}>
        {promise.title} <span className={urgent ? 'tag severe' : 'tag'}>{standingTags[promise.standing]}</span>
      </h3>
      <p className="promise-when">{sentence(whenInWords(promise, now))}</p>
      <p className="hint">{peopleInWords(promise)}</p>
      {promise.talkingPoint !== null && (
        <p className="talking-point">
          <strong>Talking point:</strong> {datesInWords(promise.talkingPoint)}
        </p>
      )}
      <details className="promise-history">
        <summary>
          History<span className="visually-hidden"> of "{promise.title}"</span> ({promise.history.length})
        </summary>
        <ol>
          {promise.history.map((entry) => (
            <li key={`${entry.at}-${entry.event}`}>
              <time dateTime={entry.at}>{dateTime(entry.at)}</time>: {historyInWords(entry)}
              {entry.note !== null && <> — {datesInWords(entry.note)}</>}
            </li>
          ))}
        </ol>
      </details>
      {refusal !== null && (
        <div className="notice error" role="alert">
          <p>{datesInWords(refusal)}</p>
        </div>
      )}
      {!closed &&
        (acting === null ? (
          <div className="actions">
            {actionOrder.map((action) => (
              <button
                key={action}
                type="button"
                className="quiet"
                aria-label={`${actions[action].button}: ${promise.title}`}
                onClick={() => setActing(action)}
              >
                {actions[action].button}
              </button>
            ))}
          </div>
        ) : (
          <PromiseChangeForm
            action={acting}
            promise={promise}
            accountId={accountId}
            onClose={() => setActing(null)}
            onWritten={(message) => {
              setActing(null);
              setRefusal(null);
              return onWritten(message);
            }}
            onOvertaken={async (message) => {
              // Someone closed it meanwhile: say so where the rep acted, and show the promise as it now stands.
              setActing(null);
              setRefusal(message);
              await queries.invalidateQueries({ queryKey: ['account', accountId] });
            }}
          />
        ))}
    </li>
  );
}

function PromiseChangeForm(props: {
  action: Action;
  promise: AccountPromise;
  accountId: string;
  onClose: () => void;
  onWritten: (message: string) => Promise<void>;
  /** The promise was kept or withdrawn by someone else since the page showed it (the API's 409). */
  onOvertaken: (message: string) => Promise<void>;
}) {
  const { action, promise, accountId, onClose, onWritten, onOvertaken } = props;
  const id = useId();
  const formElement = useRef<HTMLFormElement>(null);
  // Opened on purpose: the first field takes the keyboard, so typing can begin at once.
  useEffect(() => formElement.current?.querySelector<HTMLElement>('input, textarea')?.focus(), []);
  const words = actions[action];
  const change = useMutation({
    mutationFn: (body: Change) =>
      answer(
        api.PATCH('/api/v1/accounts/{accountId}/promises/{promiseId}', {
          params: { path: { accountId, promiseId: promise.promiseId } },
          body,
        }),
      ),
    onSuccess: (after) => {
      const outcome = {
        kept: 'is marked kept',
        withdrawn: 'is withdrawn',
        due: `is now due ${calendarDayInWords(after.dueDay)}`,
      }[action];
      return onWritten(`The promise "${promise.title}" ${outcome}.`);
    },
    onError: (error) => (error instanceof ApiError && error.status === 409 ? onOvertaken(error.message) : undefined),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const note = String(form.get('note') ?? '').trim();
    const what: Change = action === 'due' ? { dueAt: String(form.get('dueAt') ?? '').trim() } : { status: action };
    change.mutate({ ...what, ...(note === '' ? {} : { note }) });
  };
  return (
    <form
      ref={formElement}
      className="log-form promise-form"
      onSubmit={submit}
      aria-label={`${words.button}: ${promise.title}`}
    >
      {action === 'due' && (
        <div className="field">
          <label htmlFor={`${id}-due`}>New due date</label>
          <input id={`${id}-due`} name="dueAt" type="date" required defaultValue={promise.dueDay ?? undefined} />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-note`}>{words.note}</label>
        <textarea id={`${id}-note`} name="note" maxLength={2000} placeholder={words.placeholder} />
      </div>
      {change.isError && !(change.error instanceof ApiError && change.error.status === 409) && (
        <ErrorNotice error={change.error} />
      )}
      <FormActions submit={words.submit} pending={change.isPending} onCancel={onClose} />
    </form>
  );
}
