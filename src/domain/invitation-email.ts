// The invitation a person of the business gets with their sign-in link: a short, plain-text e-mail that
// says who invited them, what Tend is, and that the link works once within its hours. Not a customer
// message: no template, no tracking, nothing to unsubscribe from.

export interface Invitation {
  readonly invitee: { readonly email: string; readonly name: string | null };
  /** Who asked for it when a person did; an admin token or a command on the server names nobody. */
  readonly inviter: { readonly email: string; readonly name: string | null } | null;
  readonly url: string;
  readonly validHours: number;
}

/** One line, no control characters: a name typed into a form must not break a header or the layout. */
const oneLine = (text: string): string => text.replace(/[\p{Cc}\s]+/gu, ' ').trim();

/** The subject and text of the invitation e-mail. */
export function invitationEmail(invitation: Invitation): { subject: string; text: string } {
  const inviteeName = oneLine(invitation.invitee.name ?? '');
  const inviter = invitation.inviter;
  const inviterName = inviter === null ? '' : oneLine(inviter.name ?? '');
  const inviterWords =
    inviter === null ? null : inviterName === '' ? inviter.email : `${inviterName} (${inviter.email})`;
  const subject = inviter === null ? 'You are invited to Tend' : `${inviterName || inviter.email} invited you to Tend`;
  const askAgain = inviter === null ? 'an admin of your Tend' : inviterName || inviter.email;
  const text = [
    `Hello${inviteeName === '' ? '' : ` ${inviteeName}`},`,
    '',
    inviterWords === null ? 'You are invited to Tend.' : `${inviterWords} invited you to Tend.`,
    'Tend is where your team sees which customers to contact today, and why.',
    '',
    'Sign in with this link:',
    invitation.url,
    '',
    `It works once and expires in ${invitation.validHours} hours. Once signed in, you can choose a password.`,
    `If it has expired, ask ${askAgain} for a new one.`,
    '',
    'If you did not expect this e-mail, you can ignore it.',
    '',
  ].join('\n');
  return { subject, text };
}
