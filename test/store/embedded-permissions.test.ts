// The embedded database is Tend's user's alone, whatever the umask (containers often run with 002):
// the data directory is 0700 and both sockets in it 0600, and a directory that was left open is
// closed at start with a warning that names it and its old mode.
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupSocketPath } from '../../src/store/backup-socket.js';
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres.js';
import { usingPostgres } from '../support/test-tend.js';

const parent = mkdtempSync(join(tmpdir(), 'tend-permissions-'));
const directory = join(parent, 'data');
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');

async function withUmask<T>(mask: number, work: () => Promise<T>): Promise<T> {
  const before = process.umask(mask);
  try {
    return await work();
  } finally {
    process.umask(before);
  }
}

describe.skipIf(usingPostgres())('the embedded database on a shared machine', () => {
  it('creates the data directory 0700 and its sockets 0600 under umask 002', async () => {
    const embedded = await withUmask(0o002, () => startEmbeddedPostgres(directory));
    try {
      expect(modeOf(directory)).toBe('0700');
      expect(modeOf(join(directory, '.s.PGSQL.5432'))).toBe('0600');
      expect(modeOf(backupSocketPath(directory))).toBe('0600');
    } finally {
      await embedded.stop();
    }
  }, 120_000);

  it('closes a data directory others could enter, and says so naming it and its old mode', async () => {
    chmodSync(directory, 0o775);
    const warnings: Error[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    process.on('warning', listen);
    const embedded = await withUmask(0o002, () => startEmbeddedPostgres(directory));
    try {
      expect(modeOf(directory)).toBe('0700');
      expect(modeOf(join(directory, '.s.PGSQL.5432'))).toBe('0600');
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      const expected = `The data directory ${directory} was open to other users (mode 0775)`;
      expect(warnings.map((warning) => warning.message)).toEqual([expect.stringContaining(expected)]);
    } finally {
      process.off('warning', listen);
      await embedded.stop();
    }
  }, 120_000);
});
