// Reads tend.config.yaml (tiers, cadences, signal thresholds, health weights) once at start and
// validates it; a wrong value stops Tend with its YAML path and what is allowed.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { TendError } from '../domain/errors.js';
import { validateTendConfig } from '../domain/relationship/config-validation.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';

/** The configuration at `path`, or the defaults when no file is named and none is in the working directory. */
export function loadTendConfig(path: string | null, workingDirectory: string): { config: TendConfig; source: string } {
  const file = path ?? resolve(workingDirectory, 'tend.config.yaml');
  if (!existsSync(file)) {
    if (path !== null)
      throw new TendError('invalid_configuration', `TEND_CONFIG names ${path}, which does not exist.`, [
        { field: 'TEND_CONFIG', message: 'names a missing file' },
      ]);
    return { config: validateTendConfig(undefined, 'defaults'), source: 'built-in defaults (no tend.config.yaml)' };
  }
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TendError('invalid_configuration', `${file} is not valid YAML: ${(error as Error).message}`, [
      { field: file, message: 'is not valid YAML' },
    ]);
  }
  return { config: validateTendConfig(raw, file), source: file };
}
