// `tend users link --email EMAIL`: a one-time sign-in link for a person (valid 24 hours), printed for
// whoever runs the command to pass on, as an admin would make one with the API.
import type { Command } from 'commander';
import { systemClock } from '../engine/clocks.js';
import { createSignInLink, linkUrl } from '../store/one-time-links.js';
import { settingsFrom } from './environment.js';
import { commandLine, withStore } from './keys-command.js';

export function registerUsersCommands(program: Command): void {
  const users = program.command('users').description('the people who sign in to Tend');
  users
    .command('link')
    .description('print a one-time sign-in link for a person (one use, valid 24 hours)')
    .requiredOption('--email <address>', 'the person’s e-mail address (a user of Tend)')
    .action((options: { email: string }) =>
      withStore(async (store) => {
        const settings = settingsFrom(process.env);
        const publicUrl = settings.publicUrl ?? `http://localhost:${settings.port}`;
        // The link's 24 hours are real time; the audit entry is stamped alike (a command has no business clock).
        const now = systemClock.now();
        const at = { business: now, process: now };
        const link = await createSignInLink(store.database, options.email, commandLine('tend users link'), at);
        const until = link.expiresAt.toISOString().replace('.000Z', 'Z');
        console.log(`Sign-in link for ${link.user.email} (one use, valid until ${until}):`);
        console.log(linkUrl(publicUrl, 'sign-in', link.token));
      }),
    );
}
