// Who is looking: an admin (a person, or a script with the admin token), a manager, or a rep. What they
// may see of the customers follows from it in one place: a rep's book is the accounts they own, a
// manager's their own and their reps', an admin's everything. Outside one's book an account is
// "not found", never "forbidden", so that a URL does not confirm what it names exists.
import type { AuditActor } from './audit.js';

export type Viewer =
  | { readonly kind: 'admin'; readonly actor: AuditActor; readonly user: SignedInUser | null }
  | {
      readonly kind: 'manager';
      readonly actor: AuditActor;
      readonly user: SignedInUser;
      readonly repEmails: readonly string[];
    }
  | { readonly kind: 'rep'; readonly actor: AuditActor; readonly user: SignedInUser };

/** A person of the business signed in as themselves. */
export interface SignedInUser {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
}

/** The accounts a viewer may see: all of them, or those owned by these users (e-mails, lower case). */
export type Book =
  | { readonly kind: 'everything' }
  | { readonly kind: 'owned-by'; readonly ownerEmails: readonly string[] };

export function bookOf(viewer: Viewer): Book {
  switch (viewer.kind) {
    case 'admin':
      return { kind: 'everything' };
    case 'manager':
      return { kind: 'owned-by', ownerEmails: [viewer.user.email, ...viewer.repEmails] };
    case 'rep':
      return { kind: 'owned-by', ownerEmails: [viewer.user.email] };
  }
}

/** Whether an account with this owner (its `owner_email`, null for none) is in the book. */
export function inBook(book: Book, ownerEmail: string | null): boolean {
  if (book.kind === 'everything') return true;
  return ownerEmail !== null && book.ownerEmails.includes(ownerEmail.toLowerCase());
}

/**
 * Whether the viewer may see a user's own views (their today list, tasks, oversight): themselves, a
 * manager their reps, an admin anyone.
 */
export function mayViewUser(viewer: Viewer, userEmail: string): boolean {
  const email = userEmail.toLowerCase();
  switch (viewer.kind) {
    case 'admin':
      return true;
    case 'manager':
      return email === viewer.user.email || viewer.repEmails.includes(email);
    case 'rep':
      return email === viewer.user.email;
  }
}
