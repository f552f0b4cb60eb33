// Failed sign-ins, counted in the store rather than in memory, so that every Tend process sharing a
// database refuses the eleventh wrong password alike (domain/sign-in-rules.ts says when).
import type { Kysely } from 'kysely';
import {
  type SignInAdmission,
  signInAdmission,
  signInFailuresAllowed,
  signInFailureWindowMilliseconds,
} from '../domain/sign-in-rules.js';
import type { Database } from './schema.js';

/** Whether the account (an e-mail, known or not) and the address may try to sign in now. */
export async function signInAdmissionFor(
  database: Kysely<Database>,
  email: string,
  address: string,
  at: Date,
): Promise<SignInAdmission> {
  const since = new Date(at.getTime() - signInFailureWindowMilliseconds);
  const recent = (column: 'email' | 'address', value: string) =>
    database
      .selectFrom('sign_in_failures')
      .select('at')
      .where(column, '=', value)
      .where('at', '>', since)
      .orderBy('at', 'desc')
      .limit(signInFailuresAllowed)
      .execute();
  const byAccount = await recent('email', email.toLowerCase());
  const byAddress = await recent('address', address);
  return signInAdmission(
    byAccount.map((row) => row.at),
    byAddress.map((row) => row.at),
    at,
  );
}

/** Counts a failed sign-in, and forgets those too old to count. */
export async function recordSignInFailure(
  database: Kysely<Database>,
  email: string,
  address: string,
  at: Date,
): Promise<void> {
  await database.insertInto('sign_in_failures').values({ email: email.toLowerCase(), address, at }).execute();
  const before = new Date(at.getTime() - signInFailureWindowMilliseconds);
  await database.deleteFrom('sign_in_failures').where('at', '<', before).execute();
}

/** A person who signed in starts afresh: their account's earlier failures no longer count. */
export async function forgetAccountFailures(database: Kysely<Database>, email: string): Promise<void> {
  await database.deleteFrom('sign_in_failures').where('email', '=', email.toLowerCase()).execute();
}
