// Choosing a password: the field twice, with the rule said up front (10 characters at least; a few words
// make one that is long and easy to remember). Used by the first-admin setup and after a sign-in link.
import { useState } from 'react';

export const minimumPasswordLength = 10;

export function NewPasswordFields({ label = 'Password' }: { label?: string }) {
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const mismatch = second !== '' && first !== second;
  return (
    <>
      <div className="field">
        <label htmlFor="new-password">{label}</label>
        <input
          id="new-password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={minimumPasswordLength}
          required
          aria-describedby="new-password-rule"
          value={first}
          onChange={(event) => setFirst(event.target.value)}
        />
        <p id="new-password-rule" className="hint">
          At least {minimumPasswordLength} characters. A few words you will remember make a good one.
        </p>
      </div>
      <div className="field">
        <label htmlFor="new-password-again">{label} again</label>
        <input
          id="new-password-again"
          name="passwordAgain"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={mismatch}
          aria-describedby={mismatch ? 'new-password-mismatch' : undefined}
          value={second}
          onChange={(event) => setSecond(event.target.value)}
        />
        {mismatch && (
          <p id="new-password-mismatch" className="hint error-text">
            The two passwords differ.
          </p>
        )}
      </div>
    </>
  );
}

/** The chosen password from a form with NewPasswordFields, or null when the two differ. */
export function chosenPassword(form: FormData): string | null {
  const password = String(form.get('password') ?? '');
  return password === String(form.get('passwordAgain') ?? '') ? password : null;
}
