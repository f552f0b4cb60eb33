// Reads a folder of YAML definition files (playbooks, message templates): which folder (the setting,
// else ./<name> in the working directory, else the built-in one), and each file parsed, in name order,
// with a problem named for a file that is not valid YAML.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { type FieldProblem, TendError } from '../domain/errors.js';

/**
 * The folder to read: `setting`, else `./<localName>` when present, else `builtIn`; a missing one is
 * refused, naming `variable`.
 */
export function definitionFolder(
  setting: string | null,
  workingDirectory: string,
  localName: string,
  builtIn: string,
  variable: string,
): string {
  const local = resolve(workingDirectory, localName);
  const folder = setting !== null ? resolve(setting) : existsSync(local) ? local : builtIn;
  if (!existsSync(folder))
    throw new TendError('invalid_configuration', `${variable} names ${folder}, which does not exist.`, [
      { field: variable, message: 'names a missing folder' },
    ]);
  return folder;
}

/** Every .yaml / .yml file of the folder, parsed; files that are not valid YAML go to `problems`. */
export function readYamlFiles(folder: string, problems: FieldProblem[]): { file: string; parsed: unknown }[] {
  const files: { file: string; parsed: unknown }[] = [];
  for (const file of readdirSync(folder)
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort()) {
    try {
      files.push({ file, parsed: parse(readFileSync(join(folder, file), 'utf8')) });
    } catch (error) {
      problems.push({ field: file, message: `is not valid YAML: ${(error as Error).message}` });
    }
  }
  return files;
}
