// Locates the shared reference data sets (../shared/data/reference) without copying them into the repo.
// A user's clone has no such folder: tests then skip with a notice; CI sets TEND_REQUIRE_REFERENCE=1
// so that a missing folder fails instead of silently skipping.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The reference folder, or null (after a one-line notice) when this clone has none beside it. */
export function referenceDirectory(): string | null {
  const directory = process.env.TEND_REFERENCE_DATA ?? join(projectRoot, '..', 'shared', 'data', 'reference');
  if (existsSync(directory)) return directory;
  if (process.env.TEND_REQUIRE_REFERENCE === '1') {
    throw new Error(`Reference data folder ${directory} is missing, and TEND_REQUIRE_REFERENCE=1 requires it.`);
  }
  console.warn(`[skip] reference data folder ${directory} not found: reproduction tests skipped.`);
  return null;
}

/** Path of one reference file, or null when the folder is absent. */
export function referenceFile(relativePath: string): string | null {
  const directory = referenceDirectory();
  return directory === null ? null : join(directory, relativePath);
}
