// `tend import accounts|contacts|interactions|promises FILE.csv [--map col=field …]`: with a progress bar and
// a summary; rejected rows go to a file with their line numbers and reasons.
import { statSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { TendError } from '../domain/errors.js';
import { type ImportKind, importKinds } from '../domain/import-rows.js';
import { systemClock } from '../engine/clocks.js';
import { importCsv, parseColumnMap } from '../ingest/csv-import.js';
import { openStore } from '../store/database.js';
import { settingsFrom, storeLocationFrom } from '../config/environment.js';
import { loadTendConfig } from '../config/config-file.js';

export async function importCommand(
  kind: string,
  file: string,
  options: { map?: string[]; rejected?: string },
): Promise<void> {
  if (!(importKinds as readonly string[]).includes(kind)) {
    throw new TendError(
      'invalid_request',
      `tend import ${kind}: the kind must be one of ${[...importKinds, 'users'].join(', ')}.`,
      [{ field: 'KIND', message: 'is unknown' }],
    );
  }
  const columnMap = parseColumnMap(options.map ?? []);
  // Interactions are dated within the same window as events (tend.config.yaml's ingest section).
  const eventTimes = loadTendConfig(settingsFrom(process.env).configPath, process.cwd()).config.ingest;
  const store = await openStore(storeLocationFrom(process.env), { shareRunning: true });
  const total = (() => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  })();
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: `importing ${kind} [{bar}] {percentage}% | {rows} rows`, stream: process.stderr })
    : null;
  bar?.start(Math.max(total, 1), 0, { rows: 0 });
  try {
    const summary = await importCsv(store.database, systemClock, {
      kind: kind as ImportKind,
      eventTimes,
      file,
      columnMap,
      ...(options.rejected ? { rejectedFile: options.rejected } : {}),
      onProgress: (bytes, rows) => bar?.update(bytes, { rows }),
    });
    bar?.stop();
    console.log(
      `${file}: ${summary.rows} rows; imported ${summary.imported} ` +
        `(${summary.changed} new or changed, ${summary.unchanged} already up to date), ` +
        `rejected ${summary.rejected.length}.`,
    );
    if (summary.rejectedFile) {
      for (const row of summary.rejected.slice(0, 5)) console.log(`  line ${row.line}: ${row.reason}`);
      if (summary.rejected.length > 5) console.log(`  … and ${summary.rejected.length - 5} more`);
      console.log(`Rejected rows, with line numbers and reasons: ${summary.rejectedFile}`);
      process.exitCode = 1;
    }
  } finally {
    bar?.stop();
    await store.close();
  }
}
