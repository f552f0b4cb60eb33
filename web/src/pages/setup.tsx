// `/setup/{token}`: the first admin, from the link `npm start` prints while Tend has none — name, e-mail
// and a password; then they are signed in and see Today (which says how to get customers in).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { ApiError, answer, api } from '../api/client';
import { PageTitle } from '../components/layout';
import { NewPasswordFields, chosenPassword } from '../components/new-password';
import { ErrorNotice, Loading } from '../components/query-state';

const refusals: Record<string, string> = {
  unknown:
    'This set-up link is not known. Check that it was copied whole; restarting Tend (`npm start`) prints a new one.',
  used: 'This set-up link was used already. Sign in with the admin it created.',
  expired: 'This set-up link expired. Restart Tend (`npm start`) to get a new one.',
  'admin-exists': 'Tend has an admin already: sign in, or ask an admin for a sign-in link.',
};

export function SetupPage({ token }: { token: string }) {
  const [, navigate] = useLocation();
  const queries = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const state = useQuery({
    queryKey: ['setup', token],
    queryFn: () => answer(api.GET('/api/v1/setup/{token}', { params: { path: { token } } })),
  });
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = chosenPassword(form);
    if (password === null) {
      setError(new ApiError(400, 'The two passwords differ: type the same one twice.', []));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = { name: String(form.get('name')), email: String(form.get('email')), password };
      await answer(api.POST('/api/v1/setup/{token}', { params: { path: { token } }, body }));
      queries.clear();
      navigate('/today', { replace: true });
    } catch (refusal) {
      setError(refusal);
      setBusy(false);
    }
  };
  return (
    <main id="main" className="narrow">
      <span className="brand">Tend</span>
      <PageTitle title="Set up Tend">Set up Tend</PageTitle>
      {state.isPending && <Loading what="the set-up link" />}
      {state.isError && <ErrorNotice error={state.error} />}
      {state.data && !state.data.valid && (
        <div className="notice error" role="alert">
          <p>{refusals[state.data.reason ?? 'unknown'] ?? refusals.unknown}</p>
          <p>
            <Link href="/sign-in">Go to sign-in</Link>
          </p>
        </div>
      )}
      {state.data?.valid && (
        <>
          <p className="lead">
            You are the first person here: create your admin account. Admins add the team (reps and managers) and see
            everything.
          </p>
          {error !== null && <ErrorNotice error={error} />}
          <form className="panel" onSubmit={submit} aria-label="Create the first admin">
            <div className="field">
              <label htmlFor="setup-name">Your name</label>
              <input id="setup-name" name="name" autoComplete="name" required maxLength={200} />
            </div>
            <div className="field">
              <label htmlFor="setup-email">Your e-mail</label>
              <input id="setup-email" name="email" type="email" autoComplete="email" required />
            </div>
            <NewPasswordFields />
            <button type="submit" disabled={busy}>
              {busy ? 'Creating…' : 'Create the admin and sign in'}
            </button>
          </form>
        </>
      )}
    </main>
  );
}
