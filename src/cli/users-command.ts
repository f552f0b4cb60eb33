// `tend users link --email EMAIL [--send]`: a one-time sign-in link for a person (valid 24 hours), printed
// for whoever runs the command to pass on, as an admin would make one with the API; with --send, Tend also
// e-mails it to the person as an invitation (through TEND_SMTP_URL).
import type { Command } from 'commander';
import { readChannelSettings } from '../channels/channel-settings.js';
import { systemClock } from '../engine/clocks.js';
import { emailInvitation, openInvitationMail } from '../engine/invitations.js';
import { createSignInLink, linkUrl } from '../store/one-time-links.js';
import { settingsFrom } from '../config/environment.js';
import { commandLine, withStore } from './keys-command.js';

export function registerUsersCommands(program: Command): void {
  const users = program.command('users').description('the people who sign in to Tend');
  users
    .command('link')
    .description('print a one-time sign-in link for a person (one use, valid 24 hours)')
    .requiredOption('--email <address>', 'the person’s e-mail address (a user of Tend)')
    .option('--send', 'also e-mail it to them as an invitation (needs TEND_SMTP_URL and TEND_EMAIL_FROM)')
    .action((options: { email: string; send?: boolean }) =>
      withStore(async (store) => {
        const settings = settingsFrom(process.env);
        const publicUrl = settings.publicUrl ?? `http://localhost:${settings.port}`;
        // The link's 24 hours are real time; the audit entry is stamped alike (a command has no business clock).
        const now = systemClock.now();
        const at = { business: now, process: now };
        const actor = commandLine(options.send ? 'tend users link --send' : 'tend users link');
        if (options.send) {
          const opened = openInvitationMail(readChannelSettings(settings.channels ?? {}).email);
          try {
            const invitation = { idOrEmail: options.email, actor, inviter: null, publicUrl, at };
            const sent = await emailInvitation(store.database, opened.mail, invitation);
            const until = shown(sent.expiresAt);
            console.log(`Invitation e-mailed to ${sent.user.email}. The link (one use, valid until ${until}):`);
            console.log(sent.url);
          } finally {
            opened.close();
          }
          return;
        }
        const link = await createSignInLink(store.database, options.email, actor, at);
        console.log(`Sign-in link for ${link.user.email} (one use, valid until ${shown(link.expiresAt)}):`);
        console.log(linkUrl(publicUrl, 'sign-in', link.token));
      }),
    );
}

const shown = (at: Date): string => at.toISOString().replace('.000Z', 'Z');
