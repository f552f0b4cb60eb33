// `/sign-in`: e-mail and password. After signing in, the person goes where they were going (`?next=`),
// or to Today. Without a password, a person signs in by a link an admin sends them.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { answer, api, destinationAfterSignIn } from '../api/client';
import { PageTitle } from '../components/layout';
import { ErrorNotice } from '../components/query-state';

export function SignInPage() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const queries = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = 'Sign in · Tend';
  }, []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const body = { email: String(form.get('email')), password: String(form.get('password')) };
      await answer(api.POST('/api/v1/sessions', { body }));
      queries.clear();
      navigate(destinationAfterSignIn(search), { replace: true });
    } catch (refusal) {
      setError(refusal);
      setBusy(false);
    }
  };

  return (
    <main id="main" className="narrow">
      <span className="brand">Tend</span>
      <PageTitle title="Sign in">Sign in</PageTitle>
      <p className="lead">Sign in to see whom to contact today.</p>
      {error !== null && <ErrorNotice error={error} />}
      <form className="panel" onSubmit={submit} aria-label="Sign in">
        <div className="field">
          <label htmlFor="email">E-mail</label>
          <input id="email" name="email" type="email" autoComplete="username" required />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="hint">
        No password yet, or forgot it? Ask an admin of your Tend for a sign-in link (Settings → Users, or
        <code> tend users link --email you@example.com</code>).
      </p>
    </main>
  );
}
