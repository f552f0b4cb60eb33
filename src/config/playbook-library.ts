// Loads the playbooks (YAML files in TEND_PLAYBOOKS, default ./playbooks, else the built-in ones in
// examples/playbooks) once at start, validates every file (errors name the file, the path and what
// is allowed), and records each version in the store, so that a run finishes on the version it began.
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { type FieldProblem, TendError } from '../domain/errors.js';
import type { Playbook } from '../domain/playbooks/playbook-definition.js';
import { validatePlaybook } from '../domain/playbooks/playbook-validation.js';
import type { Database } from '../store/schema.js';
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
      `The playbooks in ${folder} have ${problems.length} problem(s): ${problems.map((problem) => `${problem.field} ${problem.message}`).join('; ')}`,
      problems,
    );
  }
  return { folder, playbooks, raw };
}

/** Records the loaded versions; a version already recorded keeps its first definition for its runs. */
export async function recordPlaybooks(database: Kysely<Database>, loaded: LoadedPlaybooks, now: Date): Promise<void> {
  for (const playbook of loaded.playbooks) {
    const definition = JSON.stringify(loaded.raw.get(`${playbook.id}@${playbook.version}`) ?? {});
    await database
      .insertInto('playbooks')
      .values({
        id: playbook.id,
        version: playbook.version,
        name: playbook.name,
        enabled: playbook.enabled,
        definition,
        source_file: loaded.folder,
        loaded_at: now,
      })
      .onConflict((conflict) =>
        conflict.column('id').doUpdateSet({
          version: playbook.version,
          name: playbook.name,
          enabled: playbook.enabled,
          definition,
          source_file: loaded.folder,
          loaded_at: now,
        }),
      )
      .execute();
    await database
      .insertInto('playbook_versions')
      .values({ playbook_id: playbook.id, version: playbook.version, definition, loaded_at: now })
      .onConflict((conflict) => conflict.columns(['playbook_id', 'version']).doNothing())
      .execute();
  }
  // Playbooks whose file is gone stay on record (their results), but no longer start runs.
  const ids = loaded.playbooks.map((playbook) => playbook.id);
  let query = database.updateTable('playbooks').set({ enabled: false });
  if (ids.length > 0) query = query.where('id', 'not in', ids);
  await query.execute();
}

/** A playbook version for a run: the loaded one, or the recorded definition of an older version. */
export async function playbookVersion(
  database: Kysely<Database>,
  loaded: LoadedPlaybooks,
  id: string,
  version: number,
): Promise<Playbook | null> {
  const current = loaded.playbooks.find((playbook) => playbook.id === id && playbook.version === version);
  if (current) return current;
  const row = await database
    .selectFrom('playbook_versions')
    .select('definition')
    .where('playbook_id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? validatePlaybook(row.definition, `${id} v${version} (recorded)`) : null;
}
