// `tend tokens create|list|revoke`: admin tokens for the admin API, each printed once and stored
// hashed; listed by label and prefix, and revoked by either.
import type { Command } from 'commander';
import { systemClock } from '../engine/clocks.js';
import { createAdminToken, describeAdminToken, listAdminTokens, revokeAdminToken } from '../store/token-registry.js';
import { commandLine, shownTime, withStore } from './keys-command.js';
import { formatTable } from './models-output.js';

export function registerTokensCommands(program: Command): void {
  const tokens = program.command('tokens').description('admin tokens for the admin API');
  tokens
    .command('create')
    .description('create an admin token (printed once)')
    .requiredOption('--label <name>', 'who or what uses it, e.g. "crm-sync" (the audit log names its changes by it)')
    .action((options: { label: string }) =>
      withStore(async (store) => {
        const { token, record } = await createAdminToken(
          store.database,
          options.label,
          commandLine('tend tokens create'),
          systemClock.now(),
        );
        const kept = `Tend keeps only its hash and the prefix ${record.prefix}`;
        console.log(`Admin token "${record.label}" (shown once; ${kept}):\n${token}`);
      }),
    );
  tokens
    .command('list')
    .description('every admin token: label, prefix, when created and revoked')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withStore(async (store) => {
        const listed = await listAdminTokens(store.database);
        if (options.json) return console.log(JSON.stringify({ adminTokens: listed }, null, 2));
        if (listed.length === 0)
          return console.log('No admin tokens: create one with `tend tokens create --label NAME`.');
        const rows = listed.map((token) => [
          token.label,
          token.prefix ?? '(not kept)',
          shownTime(token.createdAt),
          shownTime(token.revokedAt),
        ]);
        console.log(formatTable(['label', 'prefix', 'created', 'revoked'], rows));
      }),
    );
  tokens
    .command('revoke')
    .description('revoke an admin token by its label or prefix: requests with it are refused')
    .argument('<label-or-prefix>', 'the label, or the prefix as `tend tokens list` shows it')
    .action((which: string) =>
      withStore(async (store) => {
        const revoked = await revokeAdminToken(
          store.database,
          which,
          commandLine('tend tokens revoke'),
          systemClock.now(),
        );
        console.log(
          `Revoked the admin token ${describeAdminToken(revoked)}: a running Tend refuses it within 10 seconds.`,
        );
      }),
    );
}
