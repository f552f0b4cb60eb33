// `tend backup` and `tend restore` on PostgreSQL, through PostgreSQL's own tools: pg_dump takes a
// consistent snapshot (one repeatable-read transaction) in its custom format while Tend runs, and
// pg_restore loads it into an empty database. The password goes to them in their environment, never
// on a command line that other users can list.
import { closeSync, existsSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { TendError } from '../domain/errors.js';
import { countRecords, type RecordCounts } from './backup-counts.js';
import { checkNewBackupFile, firstOf, isPostgresDump } from './backup-embedded.js';
import { openStore } from './database.js';

/** Where Debian and Ubuntu install each major version's client tools, besides the PATH. */
const debianClients = '/usr/lib/postgresql';

/** The newest installed version of a PostgreSQL client tool: a dump needs one at least as new as the server. */
function clientTool(name: 'pg_dump' | 'pg_restore'): string {
  const versions = existsSync(debianClients) ? readdirSync(debianClients).filter((entry) => /^\d+$/.test(entry)) : [];
  versions.sort((left, right) => Number(right) - Number(left));
  for (const version of versions) {
    const path = join(debianClients, version, 'bin', name);
    if (existsSync(path)) return path;
  }
  return name;
}

/** The URL without its password, and the password apart (for PGPASSWORD). */
function splitCredentials(url: string): { url: string; password: string | null; shown: string } {
  const parsed = new URL(url);
  const password = parsed.password === '' ? null : decodeURIComponent(parsed.password);
  parsed.password = '';
  const bare = parsed.toString();
  return { url: bare, password, shown: `${parsed.host}${parsed.pathname}` };
}

function run(tool: string, args: string[], password: string | null): Promise<void> {
  return new Promise((done, failed) => {
    const env = { ...process.env, ...(password === null ? {} : { PGPASSWORD: password }) };
    const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        const install = 'on Debian or Ubuntu: apt install postgresql-client';
        failed(
          new TendError(
            'unavailable',
            `${tool} was not found: install PostgreSQL's client tools (${install}), ` +
              'in the version of your server or newer.',
          ),
        );
      } else failed(error);
    });
    child.once('close', (code) => {
      if (code === 0) done();
      else failed(new TendError('unavailable', `${tool} failed (exit code ${code}): ${errors.trim() || 'no message'}`));
    });
  });
}

/** Dumps the database at `url` into `file`, a new owner-only file that appears only once complete. */
export async function backupPostgres(url: string, file: string): Promise<void> {
  checkNewBackupFile(file);
  const target = splitCredentials(url);
  const partial = `${file}.${process.pid}.partial`;
  closeSync(openSync(partial, 'wx', 0o600));
  try {
    const args = ['--format=custom', `--file=${partial}`, `--dbname=${target.url}`];
    await run(clientTool('pg_dump'), args, target.password);
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
}

/** Tables, views and sequences outside PostgreSQL's own schemas: an empty database has none. */
async function userRelations(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ name: string }>(`
      select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') and n.nspname not in ('pg_catalog', 'information_schema')
        and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'
      order by 1 limit 4`);
    return result.rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

/** Restores a pg_dump file into the empty database at `url`, in one transaction: all of it or nothing. */
export async function restorePostgres(file: string, url: string): Promise<RecordCounts> {
  const target = splitCredentials(url);
  if (!existsSync(file)) throw new TendError('invalid_file', `${file} does not exist.`);
  if (!isPostgresDump(file)) {
    const hint = 'an embedded backup is restored with DATABASE_URL unset';
    throw new TendError('invalid_file', `${file} is not a pg_dump file in the custom format (${hint}).`);
  }
  const present = await userRelations(url);
  if (present.length > 0) {
    throw new TendError(
      'conflict',
      `The database ${target.shown} is not empty (it holds ${firstOf(present)}). ` +
        'tend restore fills only an empty database: create a new one (createdb) and point DATABASE_URL at it.',
    );
  }
  await run(
    clientTool('pg_restore'),
    ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${target.url}`, file],
    target.password,
  );
  const store = await openStore({ kind: 'postgres', url }, { migrate: false, poolSize: 1 });
  try {
    return await countRecords(store.database);
  } finally {
    await store.close();
  }
}
