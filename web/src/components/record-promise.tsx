// "Record a promise": what was promised to the customer, by when, who delivers it and who promised it
// (`POST /api/v1/accounts/{id}/promises`, the same as a `Promise Made` event from the CRM).
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef } from 'react';
import { answer, api } from '../api/client';
import type { RequestBody } from '../api/types';
import { calendarDayInWords } from './format';
import { ErrorNotice } from './query-state';
import { FormActions } from './form-actions';

type NewPromise = RequestBody<'/api/v1/accounts/{accountId}/promises', 'post'>;

/** Teams a promise is often delivered by; anyone's e-mail or another team's name is as good. */
const teams = ['onboarding', 'support', 'engineering', 'finance'];

export function RecordPromiseForm(props: {
  accountId: string;
  accountName: string;
  viewerEmail: string;
  colleagues: readonly string[];
  onClose: () => void;
  onRecorded: (message: string) => Promise<void>;
}) {
  const { accountId, accountName, viewerEmail, colleagues, onClose, onRecorded } = props;
  const id = useId();
  const formElement = useRef<HTMLFormElement>(null);
  // Opened on purpose: the first field takes the keyboard, so typing can begin at once.
  useEffect(() => formElement.current?.querySelector<HTMLElement>('input, textarea')?.focus(), []);
  const record = useMutation({
    mutationFn: (body: NewPromise) =>
      answer(api.POST('/api/v1/accounts/{accountId}/promises', { params: { path: { accountId } }, body })),
    onSuccess: (made) => onRecorded(`The promise "${made.title}" is recorded, due ${calendarDayInWords(made.dueDay)}.`),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => String(form.get(name) ?? '').trim();
    const [owner, madeBy, note] = [field('owner'), field('madeBy'), field('note')];
    record.mutate({
      title: field('title'),
      dueAt: field('dueAt'),
      ...(owner === '' ? {} : { owner }),
      ...(madeBy === '' ? {} : { madeBy }),
      ...(note === '' ? {} : { note }),
    });
  };
  return (
    <form
      ref={formElement}
      className="log-form promise-form"
      onSubmit={submit}
      aria-label={`Record a promise to ${accountName}`}
    >
      <div className="field">
        <label htmlFor={`${id}-title`}>What was promised</label>
        <input
          id={`${id}-title`}
          name="title"
          required
          maxLength={500}
          aria-describedby={`${id}-title-hint`}
          placeholder="Single sign-on"
        />
        <p className="hint" id={`${id}-title-hint`}>
          In the customer's words, short enough to raise on a call.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-due`}>Due by</label>
        <input id={`${id}-due`} name="dueAt" type="date" required aria-describedby={`${id}-due-hint`} />
        <p className="hint" id={`${id}-due-hint`}>
          The last day it may be delivered on. The day after, it counts as late.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-owner`}>Who delivers it (optional)</label>
        <input
          id={`${id}-owner`}
          name="owner"
          maxLength={320}
          list={`${id}-people`}
          aria-describedby={`${id}-owner-hint`}
        />
        <p className="hint" id={`${id}-owner-hint`}>
          A colleague's e-mail or a team, such as {teams.join(', ')}.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-made-by`}>Who promised it</label>
        <input
          id={`${id}-made-by`}
          name="madeBy"
          maxLength={320}
          list={`${id}-people`}
          defaultValue={viewerEmail}
          aria-describedby={`${id}-made-by-hint`}
        />
        <p className="hint" id={`${id}-made-by-hint`}>
          Usually the seller who closed the deal. Leave it empty and it is you.
        </p>
      </div>
      <datalist id={`${id}-people`}>
        {[viewerEmail, ...colleagues, ...teams].map((choice) => (
          <option key={choice} value={choice} />
        ))}
      </datalist>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note (optional)</label>
        <textarea
          id={`${id}-note`}
          name="note"
          maxLength={2000}
          placeholder="Where it was promised, what exactly the customer expects"
        />
      </div>
      {record.isError && <ErrorNotice error={record.error} />}
      <FormActions submit="Save the promise" pending={record.isPending} onCancel={onClose} />
    </form>
  );
}
