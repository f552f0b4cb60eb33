// `tend models check [--data DIR] [--json]`: runs every reproduction on the reference data sets and
// prints, per figure, the published value (with its tolerance), Tend's value and pass/FAIL, then
// `N passed, M failed`; exits 1 when any figure is out of tolerance.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TendError } from '../domain/errors.js';
import {
  modelCheckSections,
  publishedFigureSections,
  referenceFiles,
  tallyChecks,
  type CheckSection,
  type ReferenceTexts,
} from '../domain/models/reproductions/model-checks.js';
import { describeTarget, describeValue, reproductionPasses } from '../domain/models/reproductions/reproduction-row.js';
import { formatTable, printJson, readTextFile } from './models-output.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** --data, else TEND_REFERENCE_DATA, else ../shared/data/reference beside the project. */
function referenceDirectoryFrom(environment: Record<string, string | undefined>, option: string | undefined): string {
  return resolve(
    option ?? (environment.TEND_REFERENCE_DATA?.trim() || join(projectRoot, '..', 'shared', 'data', 'reference')),
  );
}

export async function modelsCheckCommand(options: { data?: string; json?: boolean }): Promise<void> {
  const directory = referenceDirectoryFrom(process.env, options.data);
  if (!existsSync(directory)) {
    throw new TendError(
      'invalid_file',
      `The reference data folder ${directory} does not exist: ` +
        'pass --data DIR (or set TEND_REFERENCE_DATA) naming the folder that holds cdnow/, telco/ and hillstrom/.',
      [{ field: '--data', message: 'does not exist' }],
    );
  }
  if (!options.json) console.log(`Tend's models against published figures, on the reference data in ${directory}\n`);
  const sections: CheckSection[] = [];
  const show = (section: CheckSection): void => {
    sections.push(section);
    if (!options.json) console.log(`${formatSection(section)}\n`);
  };
  // The figures kept in the code come first, so that they are checked even when a reference file is missing.
  for (const section of publishedFigureSections()) show(section);
  const texts = Object.fromEntries(
    Object.entries(referenceFiles).map(([key, file]) => [key, readTextFile(join(directory, file), 'reference file')]),
  ) as ReferenceTexts;
  for (const section of modelCheckSections(texts)) show(section);
  const { passed, failed } = tallyChecks(sections);
  if (options.json) {
    printJson({
      dataDirectory: directory,
      sections: sections.map((section) => ({
        title: section.title,
        source: section.source,
        rows: section.rows.map((row) => ({ ...row, target: describeTarget(row), passed: reproductionPasses(row) })),
      })),
      passed,
      failed,
    });
  } else {
    console.log(`${passed} passed, ${failed} failed`);
  }
  if (failed > 0) process.exitCode = 1;
}

function formatSection(section: CheckSection): string {
  const rows = section.rows.map((row) => [
    row.name,
    describeTarget(row),
    describeValue(row),
    reproductionPasses(row) ? 'pass' : 'FAIL',
  ]);
  const header = ['figure', 'published / target', 'Tend', 'result'];
  const table = formatTable(header, rows, ['left', 'right', 'right', 'left']);
  return `${section.title} (${section.source})\n${table}`;
}
