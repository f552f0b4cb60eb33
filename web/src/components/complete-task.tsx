// "Complete task": the outcome of a follow-up (reached, no answer, saved, lost, other) and a note, in two
// clicks: the button opens the choice, "Save the outcome" records it (`POST /api/v1/tasks/{id}/complete`).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { answer, api } from '../api/client';
import type { RequestBody } from '../api/types';
import { ErrorNotice } from './query-state';

type Outcome = RequestBody<'/api/v1/tasks/{id}/complete', 'post'>['outcome'];

const outcomes: readonly { value: Outcome; label: string }[] = [
  { value: 'reached', label: 'Reached them' },
  { value: 'no-answer', label: 'No answer' },
  { value: 'saved', label: 'Saved the account' },
  { value: 'lost', label: 'Lost the account' },
  { value: 'other', label: 'Something else' },
];

export function CompleteTask({
  taskId,
  objective,
  onDone,
}: {
  taskId: string;
  objective: string;
  onDone?: (message: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const queries = useQueryClient();
  const complete = useMutation({
    mutationFn: (body: RequestBody<'/api/v1/tasks/{id}/complete', 'post'>) =>
      answer(api.POST('/api/v1/tasks/{id}/complete', { params: { path: { id: taskId } }, body })),
    onSuccess: async (_task, body) => {
      setOpen(false);
      onDone?.(
        `Task "${objective}" completed: ` +
          `${outcomes.find((outcome) => outcome.value === body.outcome)?.label ?? body.outcome}.`,
      );
      await queries.invalidateQueries();
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const note = String(form.get('note') ?? '').trim();
    complete.mutate({ outcome: String(form.get('outcome')) as Outcome, ...(note === '' ? {} : { note }) });
  };
  if (!open) {
    return (
      <button
        type="button"
        className="quiet"
        onClick={() => setOpen(true)}
        aria-expanded="false"
        aria-controls={`${id}-form`}
      >
        Complete task
      </button>
    );
  }
  return (
    <form id={`${id}-form`} className="log-form" onSubmit={submit} aria-label={`Complete task: ${objective}`}>
      <fieldset>
        <legend>Outcome</legend>
        <div className="choices">
          {outcomes.map((outcome, index) => (
            <label key={outcome.value}>
              <input type="radio" name="outcome" value={outcome.value} defaultChecked={index === 0} /> {outcome.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note (optional)</label>
        <textarea id={`${id}-note`} name="note" maxLength={2000} />
      </div>
      {complete.isError && <ErrorNotice error={complete.error} />}
      <div className="actions">
        <button type="submit" disabled={complete.isPending}>
          Save the outcome
        </button>
        <button type="button" className="quiet" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
