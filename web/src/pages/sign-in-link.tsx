// `/sign-in/{token}`: a one-time link an admin made for a person. Opening it signs them in (once), then
// offers to set a password for next time, or to go straight to Today.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { ApiError, answer, api } from '../api/client';
import { nameOf } from '../api/session';
import { PageTitle } from '../components/layout';
import { NewPasswordFields, chosenPassword } from '../components/new-password';
import { ErrorNotice, Loading } from '../components/query-state';

export function SignInLinkPage({ token }: { token: string }) {
  const queries = useQueryClient();
  const signIn = useMutation({
    mutationFn: () => answer(api.POST('/api/v1/sign-in/{token}', { params: { path: { token } } })),
    onSuccess: () => queries.clear(),
  });
  // A link works once: use it once, even when React renders this page twice.
  const used = useRef(false);
  useEffect(() => {
    if (used.current) return;
    used.current = true;
    signIn.mutate();
  }, [signIn]);
  return (
    <main id="main" className="narrow">
      <span className="brand">Tend</span>
      <PageTitle title="Sign in">
        {signIn.isSuccess ? `Welcome, ${nameOf(signIn.data.person)}` : 'Signing you in'}
      </PageTitle>
      {signIn.isPending && <Loading what="your link" />}
      {signIn.isError && (
        <>
          <ErrorNotice error={signIn.error} />
          <p>
            <Link href="/sign-in">Sign in with a password</Link> instead, or ask an admin for a new link.
          </p>
        </>
      )}
      {signIn.isSuccess && <SetPassword hasPassword={signIn.data.person.hasPassword} />}
    </main>
  );
}

function SetPassword({ hasPassword }: { hasPassword: boolean }) {
  const [error, setError] = useState<unknown>(null);
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: (newPassword: string) => answer(api.PUT('/api/v1/me/password', { body: { newPassword } })),
    onSuccess: () => queries.invalidateQueries(),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const password = chosenPassword(new FormData(event.currentTarget));
    if (password === null) {
      setError(new ApiError(400, 'The two passwords differ: type the same one twice.', []));
      return;
    }
    setError(null);
    save.mutate(password);
  };
  if (save.isSuccess) {
    return (
      <div className="notice success" role="status">
        <p>Your password is set: next time, sign in with your e-mail and it.</p>
        <p>
          <Link href="/today">Go to Today</Link>
        </p>
      </div>
    );
  }
  return (
    <>
      <p className="lead">
        You are signed in. {hasPassword ? 'Set a new password' : 'Set a password'} to sign in without a link next time.
      </p>
      {(error !== null || save.isError) && <ErrorNotice error={error ?? save.error} />}
      <form className="panel" onSubmit={submit} aria-label="Set a password">
        <NewPasswordFields label="New password" />
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            Set the password
          </button>
          <Link href="/today" className="button quiet-link">
            Not now: go to Today
          </Link>
        </div>
      </form>
    </>
  );
}
