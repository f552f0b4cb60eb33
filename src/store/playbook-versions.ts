// Each loaded playbook version, recorded in the store at start, so that a run finishes on the version it
// began even after its file changed, and read back for such a run.
import type { Kysely } from 'kysely';
import type { LoadedPlaybooks } from '../config/playbook-library.js';
import type { Playbook } from '../domain/playbooks/playbook-definition.js';
import { validatePlaybook } from '../domain/playbooks/playbook-validation.js';
import type { Database } from './schema.js';

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
