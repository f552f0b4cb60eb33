// "Log a call" (or a meeting, an e-mail): what happened with a customer, in two clicks — the button opens
// the form with the likeliest outcome chosen, "Save" records the touch (`POST /api/v1/interactions`).
// A conversation (a call that reached them, a meeting held) is two-way and clears neglect; the rest do not.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { answer, api } from '../api/client';
import { ErrorNotice } from './query-state';
import { FormActions } from './form-actions';

export type TouchKind = 'call' | 'meeting' | 'email';

interface TouchOutcome {
  readonly label: string;
  readonly twoWay: boolean;
}

const kinds: Record<TouchKind, { button: string; noun: string; channel: string; outcomes: readonly TouchOutcome[] }> = {
  call: {
    button: 'Log a call',
    noun: 'call',
    channel: 'phone',
    outcomes: [
      { label: 'Reached them', twoWay: true },
      { label: 'No answer', twoWay: false },
      { label: 'Left a message', twoWay: false },
    ],
  },
  meeting: {
    button: 'Log a meeting',
    noun: 'meeting',
    channel: 'meeting',
    outcomes: [
      { label: 'Met them', twoWay: true },
      { label: 'They did not come', twoWay: false },
    ],
  },
  email: {
    button: 'Log an e-mail',
    noun: 'e-mail',
    channel: 'email',
    outcomes: [
      { label: 'Sent, no answer yet', twoWay: false },
      { label: 'They answered', twoWay: true },
    ],
  },
};

export const touchKinds = Object.keys(kinds) as TouchKind[];
export const touchButton = (kind: TouchKind): string => kinds[kind].button;

/** The kind of touch a suggested channel calls for (a video call is logged as a call). */
export function touchKindFor(channel: string): TouchKind {
  if (channel === 'meeting') return 'meeting';
  if (channel === 'email' || channel === 'letter' || channel === 'chat' || channel === 'sms') return 'email';
  return 'call';
}

export function LogTouchForm(props: {
  kind: TouchKind;
  accountId: string;
  accountName: string;
  repEmail: string;
  objective?: string;
  onClose: () => void;
  onLogged: (message: string) => void;
}) {
  const { kind, accountId, accountName, repEmail, objective, onClose, onLogged } = props;
  const id = useId();
  const queries = useQueryClient();
  const [outcomeIndex, setOutcomeIndex] = useState(0);
  const described = kinds[kind];
  const log = useMutation({
    mutationFn: ({ note, outcome }: { note: string; outcome: TouchOutcome }) =>
      answer(
        api.POST('/api/v1/interactions', {
          body: {
            accountId,
            rep: repEmail,
            channel: described.channel,
            direction: 'outbound',
            actor: 'rep',
            twoWay: outcome.twoWay,
            ...(objective === undefined ? {} : { objective }),
            summary: note === '' ? outcome.label : `${outcome.label}. ${note}`,
          },
        }),
      ),
    onSuccess: async (_answer, { outcome }) => {
      onLogged(`The ${described.noun} with ${accountName} is logged (${outcome.label.toLowerCase()}).`);
      await queries.invalidateQueries();
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const note = String(new FormData(event.currentTarget).get('note') ?? '').trim();
    const outcome = described.outcomes[outcomeIndex] ?? described.outcomes[0]!;
    log.mutate({ note, outcome });
  };
  return (
    <form className="log-form" onSubmit={submit} aria-label={`${described.button} with ${accountName}`}>
      <fieldset>
        <legend>How did the {described.noun} go?</legend>
        <div className="choices">
          {described.outcomes.map((outcome, index) => (
            <label key={outcome.label}>
              <input
                type="radio"
                name="outcome"
                value={index}
                checked={index === outcomeIndex}
                onChange={() => setOutcomeIndex(index)}
              />{' '}
              {outcome.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note (optional)</label>
        <textarea id={`${id}-note`} name="note" maxLength={2000} placeholder="What you talked about, what comes next" />
      </div>
      {log.isError && <ErrorNotice error={log.error} />}
      <FormActions submit={`Save the ${described.noun}`} pending={log.isPending} onCancel={onClose} />
    </form>
  );
}
