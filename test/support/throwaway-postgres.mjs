// Starts a throwaway PostgreSQL cluster from Debian's (or any) initdb/pg_ctl, for the test suite and the
// benchmarks. PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The folder holding initdb and pg_ctl, or null when PostgreSQL is not installed. */
export function findPostgresBinaries() {
  const candidates = [];
  for (const folder of (process.env.PATH ?? '').split(':')) candidates.push(folder);
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    for (const version of versions) candidates.push(`/usr/lib/postgresql/${version}/bin`);
  }
  for (const folder of candidates) {
    if (folder && existsSync(join(folder, 'initdb')) && existsSync(join(folder, 'pg_ctl'))) return folder;
  }
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function asDatabaseUser(command, args, options = {}) {
  const isRoot = process.getuid?.() === 0;
  const [file, fileArgs] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return execFileSync(file, fileArgs, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/**
 * Starts a cluster; returns { url, stop } or { skipped: reason }.
 * `tuning` adds server settings (e.g. for benchmarks).
 */
export async function startThrowawayPostgres({ tuning = [], durable = false } = {}) {
  const binaries = findPostgresBinaries();
  if (!binaries) return { skipped: "no initdb/pg_ctl found (install Debian's postgresql package)" };
  const isRoot = process.getuid?.() === 0;
  if (isRoot && spawnSync('id', ['postgres']).status !== 0)
    return { skipped: 'running as root and there is no "postgres" user to run the server as' };
  const directory = mkdtempSync(join(tmpdir(), 'tend-pg-'));
  chmodSync(directory, 0o777);
  const dataDirectory = join(directory, 'data');
  const port = await freePort();
  asDatabaseUser(join(binaries, 'initdb'), [
    '-D',
    dataDirectory,
    '-U',
    'tend',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-locale',
  ]);
  const settings = [
    `-p ${port}`,
    `-k ${directory}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=200',
    ...(durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    ...tuning.map((setting) => `-c ${setting}`),
  ].join(' ');
  asDatabaseUser(join(binaries, 'pg_ctl'), [
    '-D',
    dataDirectory,
    '-l',
    join(directory, 'server.log'),
    '-o',
    settings,
    '-w',
    'start',
  ]);
  let stopped = false;
  return {
    url: `postgres://tend@127.0.0.1:${port}/postgres`,
    binaries,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        asDatabaseUser(join(binaries, 'pg_ctl'), ['-D', dataDirectory, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}
