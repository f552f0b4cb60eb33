// E-mails a person their one-time sign-in link (an invitation) through the SMTP server Tend sends with.
// A staff e-mail, not a customer message: no consent list, caps, tracking or outbox. The e-mail goes out
// first and the link is saved only once it was sent, so a failed send leaves no working link behind; the
// e-mail itself (it holds the token) is never stored or logged.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ChannelError, type StaffMailer } from '../channels/channel-messages.js';
import type { EmailChannelSettings } from '../channels/channel-settings.js';
import { createSmtpMailer } from '../channels/smtp-mailer.js';
import type { AuditActor } from '../domain/audit.js';
import { TendError } from '../domain/errors.js';
import { invitationEmail } from '../domain/invitation-email.js';
import type { SignedInUser } from '../domain/viewer.js';
import {
  createSignInLink,
  linkLifetimeMilliseconds,
  linkUrl,
  newLinkToken,
  signInLinkUser,
} from '../store/one-time-links.js';
import type { Database } from '../store/schema.js';

/** How invitations can go out: through the SMTP server (TEND_SMTP_URL), or not at all without one. */
export type InvitationMail =
  | { readonly kind: 'smtp'; readonly mailer: StaffMailer; readonly from: string }
  | { readonly kind: 'not-configured' };

export interface InvitationRequest {
  /** The person invited: a user's id or e-mail. */
  readonly idOrEmail: string;
  readonly actor: AuditActor;
  /** The person who asked, named in the e-mail; null for an admin token or a command. */
  readonly inviter: SignedInUser | null;
  readonly publicUrl: string;
  readonly at: { readonly business: Date; readonly process: Date };
}

/** The refusal when no SMTP server is set: nothing is made, and it says how to set one. */
function smtpNotConfigured(): TendError {
  return new TendError(
    'conflict',
    'Tend cannot e-mail the link: no SMTP server is configured. Set TEND_SMTP_URL ' +
      '(e.g. smtp://user:password@mail.example.com:587) and TEND_EMAIL_FROM (e.g. "Acme <tend@acme.com>") ' +
      'and restart Tend; or make the link without sending it and pass it on yourself.',
    [{ field: 'body.send', message: 'needs TEND_SMTP_URL' }],
  );
}

/**
 * Sends the invitation and then saves its link (with an audit entry saying it was e-mailed). Refused
 * before anything is sent for an unknown or disabled person, or without SMTP.
 */
export async function emailInvitation(
  database: Kysely<Database>,
  mail: InvitationMail,
  request: InvitationRequest,
): Promise<{ url: string; expiresAt: Date; user: { id: string; email: string } }> {
  if (mail.kind === 'not-configured') throw smtpNotConfigured();
  const user = await signInLinkUser(database, request.idOrEmail);
  const token = newLinkToken();
  const url = linkUrl(request.publicUrl, 'sign-in', token);
  const inviter = request.inviter;
  const words = invitationEmail({
    invitee: { email: user.email, name: user.name },
    inviter: inviter === null ? null : { email: inviter.email, name: inviter.name },
    url,
    validHours: linkLifetimeMilliseconds / 3_600_000,
  });
  try {
    await mail.mailer.sendToStaff({
      idempotencyKey: `invitation:${randomUUID()}`,
      to: { address: user.email, ...(user.name === null ? {} : { name: user.name }) },
      from: mail.from,
      ...(inviter === null ? {} : { replyTo: inviter.email }),
      ...words,
    });
  } catch (error) {
    if (error instanceof ChannelError) throw notSent(user.email, error);
    throw error;
  }
  const link = await createSignInLink(database, user.id, request.actor, request.at, { token });
  return { url, expiresAt: link.expiresAt, user: link.user };
}

/** The e-mail did not go: say why, and that its link never became valid (so there is nothing to undo). */
function notSent(email: string, error: ChannelError): TendError {
  // The channel's words are written for the outbox, which retries by itself; here nobody retries.
  const outboxWords = /; (it will be retried|the server may have taken the message, so it is not sent again)$/;
  const reason = error.message.replace(outboxWords, '');
  const arrived = error.outcomeUnknown ? ' If it arrives after all, its link does not work.' : '';
  return new TendError(
    'unavailable',
    `The invitation e-mail to ${email} was not sent: ${reason}. No sign-in link was made.${arrived} ` +
      'Try again once the SMTP server works, or make the link without sending it and pass it on yourself.',
    [{ field: 'body.send', message: 'the e-mail was not sent' }],
  );
}

/** For a command run on the server: invitations through the SMTP server its settings name, if any. */
export function openInvitationMail(email: EmailChannelSettings): { mail: InvitationMail; close(): void } {
  if (email.kind !== 'smtp') return { mail: { kind: 'not-configured' }, close: () => undefined };
  const mailer = createSmtpMailer({ smtpUrl: email.smtpUrl, allowPlaintext: email.allowPlaintext });
  return { mail: { kind: 'smtp', mailer, from: email.from }, close: () => mailer.close() };
}
