// Loads the playbooks (YAML files in TEND_PLAYBOOKS, default ./playbooks, else the built-in ones in
// examples/playbooks) once at start and validates every file (errors name the file, the path and what
// is allowed); store/playbook-versions.ts records each version, so a run finishes on the one it began.
import { fileURLToPath } from 'node:url';
import { type FieldProblem, listProblems, TendError } from '../domain/errors.js';
import type { Playbook } from '../domain/playbooks/playbook-definition.js';
import { validatePlaybook } from '../domain/playbooks/playbook-validation.js';
import { definitionFolder, readYamlFiles } from './yaml-folder.js';

export const builtInPlaybooks = fileURLToPath(new URL('../../examples/playbooks', import.meta.url));

export interface LoadedPlaybooks {
  readonly folder: string | null;
  readonly playbooks: readonly Playbook[];
  /** The raw definitions by `id@version`, as recorded. */
  readonly raw: ReadonlyMap<string, unknown>;
}

/** `setting`: a folder, 'none', or null for ./playbooks when present, else the built-in ones. */
export function loadPlaybooks(setting: string | null, workingDirectory: string): LoadedPlaybooks {
  if (setting === 'none') return { folder: null, playbooks: [], raw: new Map() };
  const folder = definitionFolder(setting, workingDirectory, 'playbooks', builtInPlaybooks, 'TEND_PLAYBOOKS');
  const problems: FieldProblem[] = [];
  const playbooks: Playbook[] = [];
  const raw = new Map<string, unknown>();
  const seen = new Map<string, string>();
  for (const { file, parsed } of readYamlFiles(folder, problems)) {
    try {
      const playbook = validatePlaybook(parsed, file);
      const earlier = seen.get(playbook.id);
      if (earlier)
        problems.push({
          field: `${file}: id`,
          message: `"${playbook.id}" is already the id of ${earlier}; every playbook needs its own id`,
        });
      seen.set(playbook.id, file);
      playbooks.push(playbook);
      raw.set(`${playbook.id}@${playbook.version}`, parsed);
    } catch (error) {
      if (error instanceof TendError) problems.push(...error.problems);
      else throw error;
    }
  }
  if (problems.length > 0) {
    throw new TendError(
      'invalid_configuration',
      `The playbooks in ${folder} have ${problems.length} problem(s): ${listProblems(problems)}`,
      problems,
    );
  }
  return { folder, playbooks, raw };
}
