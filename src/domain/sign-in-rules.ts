// The rules of signing in, apart from any store: how many wrong passwords an account or an address may
// try before it must wait, and what makes a password long enough. Pure: the failures and the time are given.

/** Failed sign-ins allowed per account, and per address, within the window; the next is refused. */
export const signInFailuresAllowed = 10;
export const signInFailureWindowMilliseconds = 15 * 60_000;

/** Passwords shorter than this are refused; a few words make a long password that is easy to remember. */
export const minimumPasswordLength = 10;
/** Longer passwords are refused: hashing a megabyte on every try would be a way to tire Tend out. */
export const maximumPasswordLength = 1024;

export type SignInAdmission =
  | { readonly kind: 'admitted' }
  | { readonly kind: 'refused'; readonly by: 'account' | 'address'; readonly retryAfterSeconds: number };

/**
 * Whether a sign-in may be tried, given the times of the recent failures for the account and for the
 * address (newest first, at least the last `signInFailuresAllowed` of the window). Refused until the
 * oldest of the last allowed failures leaves the window.
 */
export function signInAdmission(
  accountFailures: readonly Date[],
  addressFailures: readonly Date[],
  at: Date,
): SignInAdmission {
  const waitFor = (failures: readonly Date[]): number | null => {
    const recent = failures.filter((failure) => at.getTime() - failure.getTime() < signInFailureWindowMilliseconds);
    if (recent.length < signInFailuresAllowed) return null;
    const oldestCounted = recent.map((failure) => failure.getTime()).sort((a, b) => b - a)[signInFailuresAllowed - 1]!;
    return Math.max(1, Math.ceil((oldestCounted + signInFailureWindowMilliseconds - at.getTime()) / 1000));
  };
  const account = waitFor(accountFailures);
  if (account !== null) return { kind: 'refused', by: 'account', retryAfterSeconds: account };
  const address = waitFor(addressFailures);
  if (address !== null) return { kind: 'refused', by: 'address', retryAfterSeconds: address };
  return { kind: 'admitted' };
}

/** What is wrong with a new password, in words for the person choosing it, or null when it will do. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < minimumPasswordLength) {
    return (
      `must be at least ${minimumPasswordLength} characters long (it has ${length}): a few words in a row make a ` +
      'password that is easy to remember and hard to guess'
    );
  }
  if (password.length > maximumPasswordLength) return `must be at most ${maximumPasswordLength} characters long`;
  if (password.trim() === '') return 'must not be only spaces';
  return null;
}
