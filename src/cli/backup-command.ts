// `tend backup FILE` and `tend restore FILE`: a consistent backup while Tend runs, and a restore into an
// empty data directory or database, on whichever store DATABASE_URL / TEND_DATA_DIR name.
import { resolve } from 'node:path';
import { assertNever } from '../domain/tracking-message.js';
import type { RecordCounts } from '../store/backup-counts.js';
import { backupEmbedded, restoreEmbedded } from '../store/backup-embedded.js';
import { backupPostgres, restorePostgres } from '../store/backup-postgres.js';
import { storeLocationFrom } from '../config/environment.js';
import { readErasureList, reapplyErasureList } from './erasures-command.js';

const shownTables = ['accounts', 'contacts', 'events', 'signals', 'tasks', 'journey_runs', 'outbox'] as const;

function summary(counts: RecordCounts): string {
  return shownTables
    .filter((table) => counts[table] !== undefined)
    .map((table) => `${counts[table]!.toLocaleString('en')} ${table}`)
    .join(', ');
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

export async function backupCommand(file: string): Promise<void> {
  const location = storeLocationFrom(process.env);
  const target = resolve(file);
  const began = performance.now();
  switch (location.kind) {
    case 'embedded': {
      const backup = await backupEmbedded(location.dataDirectory, target);
      const seconds = ((performance.now() - began) / 1000).toFixed(1);
      const size = `${backup.files} files, ${megabytes(backup.bytes)} before compression, ${seconds} s`;
      console.log(`Backed up the embedded database in ${location.dataDirectory} to ${target} (${size}).`);
      console.log(`Restore it with: TEND_DATA_DIR=EMPTY_DIRECTORY tend restore ${target}`);
      return;
    }
    case 'postgres': {
      await backupPostgres(location.url, target);
      const seconds = ((performance.now() - began) / 1000).toFixed(1);
      console.log(`Backed up the PostgreSQL database to ${target} with pg_dump (custom format, ${seconds} s).`);
      console.log(`Restore it with: DATABASE_URL=postgres://…/EMPTY_DATABASE tend restore ${target}`);
      return;
    }
    default:
      assertNever(location);
  }
}

export async function restoreCommand(file: string, options: { erasures?: string } = {}): Promise<void> {
  const location = storeLocationFrom(process.env);
  const source = resolve(file);
  // Read first: a list that cannot be read must stop the restore before anything is written.
  const erasures = options.erasures === undefined ? null : readErasureList(resolve(options.erasures));
  await restoreStore(location, source);
  if (erasures !== null) {
    const erased = await reapplyErasureList(location, erasures);
    console.log(`Re-applied ${erasures.length} erased identities: ${erased} people in the backup were erased again.`);
  }
}

async function restoreStore(location: ReturnType<typeof storeLocationFrom>, source: string): Promise<void> {
  switch (location.kind) {
    case 'embedded': {
      const restored = await restoreEmbedded(source, location.dataDirectory);
      const taken = restored.manifest.takenAt;
      console.log(`Restored the backup of ${taken} into ${location.dataDirectory}: ${summary(restored.counts)}.`);
      console.log(`Start Tend on it with: TEND_DATA_DIR=${location.dataDirectory} tend start`);
      return;
    }
    case 'postgres': {
      const counts = await restorePostgres(source, location.url);
      console.log(`Restored ${source} with pg_restore: ${summary(counts)}.`);
      return;
    }
    default:
      assertNever(location);
  }
}
