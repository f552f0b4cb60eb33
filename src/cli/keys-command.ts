// `tend keys create|list|revoke`: write keys for event sources, each printed once and stored hashed;
// listed by prefix, and revoked by it (a revoked key is refused within seconds by a running Tend).
import type { Command } from 'commander';
import { TendError } from '../domain/errors.js';
import { type WriteKeyKind, writeKeyKinds } from '../domain/write-key-kinds.js';
import { systemClock } from '../engine/clocks.js';
import { openStore, type Store } from '../store/database.js';
import { createWriteKey, describeWriteKey, listWriteKeys, revokeWriteKey } from '../store/key-registry.js';
import { storeLocationFrom } from '../config/environment.js';
import { formatTable } from './models-output.js';

/** Who the audit log names for a change made here. */
export const commandLine = (command: string) => ({ kind: 'command-line', command }) as const;

/** Runs `work` on the store, beside a running Tend if there is one. */
export async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(storeLocationFrom(process.env), { shareRunning: true });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** A date as the lists show it, or a dash. */
export const shownTime = (at: Date | null): string => (at === null ? '—' : at.toISOString().replace('.000Z', 'Z'));

function kindOption(value: string): WriteKeyKind {
  if ((writeKeyKinds as readonly string[]).includes(value)) return value as WriteKeyKind;
  const message = `--kind must be ${writeKeyKinds.join(' or ')}; got ${JSON.stringify(value)}.`;
  throw new TendError('invalid_request', message, [
    { field: '--kind', message: `must be ${writeKeyKinds.join(' or ')}` },
  ]);
}

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('write keys for event sources');
  keys
    .command('create')
    .description('create a write key for a source (printed once)')
    .requiredOption('--source <name>', 'the source the key belongs to, e.g. web-app')
    .option(
      '--kind <kind>',
      'server (every call) or browser (track, page, screen, identify without account traits)',
      kindOption,
      'server',
    )
    .action((options: { source: string; kind: WriteKeyKind }) =>
      withStore(async (store) => {
        const wanted = { source: options.source, kind: options.kind };
        const { key, record } = await createWriteKey(
          store.database,
          wanted,
          commandLine('tend keys create'),
          systemClock.now(),
        );
        const kept = `Tend keeps only its hash and the prefix ${record.prefix}`;
        console.log(`${record.kind} write key for source "${record.source}" (shown once; ${kept}):\n${key}`);
      }),
    );
  keys
    .command('list')
    .description('every write key: prefix, source, kind, when created and revoked')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withStore(async (store) => {
        const listed = await listWriteKeys(store.database);
        if (options.json) return console.log(JSON.stringify({ writeKeys: listed }, null, 2));
        if (listed.length === 0) return console.log('No write keys: create one with `tend keys create --source NAME`.');
        const rows = listed.map((key) => [
          key.prefix,
          key.source,
          key.kind,
          shownTime(key.createdAt),
          shownTime(key.revokedAt),
        ]);
        console.log(formatTable(['prefix', 'source', 'kind', 'created', 'revoked'], rows));
      }),
    );
  keys
    .command('revoke')
    .description('revoke a write key by its prefix (as `tend keys list` shows it): requests with it are refused')
    .argument('<prefix>', 'the key prefix, e.g. wk_AbCd (or the whole key)')
    .action((prefix: string) =>
      withStore(async (store) => {
        const revoked = await revokeWriteKey(
          store.database,
          prefix,
          commandLine('tend keys revoke'),
          systemClock.now(),
        );
        console.log(`Revoked ${describeWriteKey(revoked)}: a running Tend refuses it within 10 seconds.`);
      }),
    );
}
