// Once per test run: a migrated embedded data directory that each test file copies, instead of
// paying PGlite's initdb (several seconds) per file. Not needed on PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/database.js';

export default async function setup(): Promise<() => void> {
  if (process.env.TEST_DATABASE_URL) return () => {};
  const directory = mkdtempSync(join(tmpdir(), 'tend-template-'));
  const store = await openStore({ kind: 'embedded', dataDirectory: directory });
  await store.close();
  process.env.TEND_TEST_TEMPLATE = directory;
  return () => rmSync(directory, { recursive: true, force: true });
}
