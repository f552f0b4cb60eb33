// What the audit log records: the changes a business must be able to account for, who made them and
// to what. The actions are a closed list so that a reader (or a regulator) can ask for one kind.

export const auditActions = [
  'user.saved',
  'user.disabled',
  'user.enabled',
  'user.password-changed',
  'user.sign-in-link-created',
  'user.notifications-changed',
  'write-key.created',
  'write-key.revoked',
  'admin-token.created',
  'admin-token.revoked',
  'consent.recorded',
  'do-not-contact.added',
  'do-not-contact.removed',
  'message.resent',
  'contact.erased',
  'contact.exported',
] as const;

export type AuditAction = (typeof auditActions)[number];

/** Who made a change: a person signed in, an admin token (by its label), or a command run on the server. */
export type AuditActor =
  | { readonly kind: 'admin-token'; readonly label: string }
  | { readonly kind: 'user'; readonly email: string }
  | { readonly kind: 'command-line'; readonly command: string }
  | { readonly kind: 'system'; readonly reason: string };

/** The actor in words, as the log stores and shows it. */
export function describeActor(actor: AuditActor): string {
  switch (actor.kind) {
    case 'admin-token':
      return `admin token "${actor.label}"`;
    case 'user':
      return `user ${actor.email}`;
    case 'command-line':
      return `command line (${actor.command})`;
    case 'system':
      return `Tend (${actor.reason})`;
  }
}

export interface AuditEntry {
  readonly actor: AuditActor;
  readonly action: AuditAction;
  /** What was changed: a user's e-mail, a key's prefix, a contact's id, an outbox message's id. */
  readonly subject: string;
  /** Settings and ids that say what changed; never a secret. */
  readonly details?: Readonly<Record<string, unknown>>;
}
