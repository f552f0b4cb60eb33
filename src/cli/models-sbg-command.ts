// `tend models fit sbg --survivors N0,N1,… | --csv FILE [--ahead N] [--json]`: fits the shifted-beta-geometric
// retention model to one cohort's survivor counts, or to one cohort per CSV row, and projects who stays.
import { ModelInputError } from '../domain/models/model-input-error.js';
import {
  fitShiftedBetaGeometric,
  projectSurvival,
  type ShiftedBetaGeometricFit,
  TooFewToJudgeError,
} from '../domain/models/shifted-beta-geometric.js';
import { fixed, formatTable, numberOption, percent, printJson, readCsvFile } from './models-output.js';

export interface SbgCommandOptions {
  survivors?: string;
  csv?: string;
  ahead?: string;
  json?: boolean;
}

interface Cohort {
  name: string;
  survivors: number[];
  /** Where its counts came from, for errors: `--survivors`, or the file and line. */
  source: string;
}

/** A cohort fitted, or one whose counts cannot tell α from β yet (nobody lost, or nobody left). */
type CohortResult =
  | { kind: 'fitted'; cohort: Cohort; fit: ShiftedBetaGeometricFit; projection: number[] }
  | { kind: 'too-few'; cohort: Cohort; reason: string };

const DEFAULT_AHEAD = 5;

export async function fitSbgCommand(options: SbgCommandOptions): Promise<void> {
  if ((options.survivors === undefined) === (options.csv === undefined)) {
    throw new ModelInputError(
      'Give either --survivors N0,N1,… (one cohort) or --csv FILE (one cohort per row), not both or neither.',
    );
  }
  const ahead = numberOption(
    options.ahead,
    '--ahead',
    DEFAULT_AHEAD,
    (value) => Number.isInteger(value) && value >= 1 && value <= 1000,
    'a whole number of periods from 1 to 1000',
  );
  const cohorts =
    options.survivors === undefined
      ? cohortsFromCsv(options.csv!)
      : [{ name: 'cohort', survivors: survivorsOption(options.survivors), source: '--survivors' }];
  const results = cohorts.map((cohort) => fitCohort(cohort, ahead));
  if (options.json) {
    printJson({ model: 'sbg', ahead, cohorts: results.map(jsonResult) });
    return;
  }
  printResults(results, ahead);
}

function fitCohort(cohort: Cohort, ahead: number): CohortResult {
  try {
    const fit = fitShiftedBetaGeometric(cohort.survivors);
    return { kind: 'fitted', cohort, fit, projection: projectSurvival(fit, fit.periods + ahead).slice(fit.periods) };
  } catch (error) {
    // A young cohort is no mistake in the file: it is reported, and the others are fitted.
    if (error instanceof TooFewToJudgeError) return { kind: 'too-few', cohort, reason: error.reason };
    if (error instanceof ModelInputError)
      throw new ModelInputError(`${cohort.source}: ${error.message}`, error.location);
    throw error;
  }
}

/** `--survivors 1000,869,743`: whole numbers, the first the cohort's size. */
function survivorsOption(raw: string): number[] {
  const fields = raw.split(',').map((field) => field.trim());
  return fields.map((field, i) => {
    const value = Number(field);
    if (field === '' || !Number.isInteger(value) || value < 0) {
      throw new ModelInputError(
        `--survivors must be whole numbers of customers separated by commas, the cohort's size first ` +
          `(e.g. 1000,869,743): "${field}" (number ${i + 1}) is not.`,
      );
    }
    return value;
  });
}

/**
 * One cohort per row after a header line: the cohort's name, then its survivors at the start and the end
 * of each period. A younger cohort leaves its last cells blank.
 */
function cohortsFromCsv(file: string): Cohort[] {
  const table = readCsvFile(file, 'cohort file');
  const fail = (line: number, message: string): never => {
    throw new ModelInputError(`${file}: Line ${line}${message}`, { line });
  };
  if (table.header.length < 3) {
    fail(
      1,
      ': the header has fewer than 3 columns. Expected a header line, then one row per cohort: ' +
        'its name, its size, and its survivors at the end of each period (e.g. cohort,0,1,2,3).',
    );
  }
  if (table.records.length === 0) fail(1, ': the file has a header but no cohort rows.');
  return table.records.map((record, row) => {
    const line = table.lineNumbers[row]!;
    const name = record[0]!.trim() || `line ${line}`;
    const cells = record.slice(1).map((cell) => cell.trim());
    const filled = cells.findLastIndex((cell) => cell !== '') + 1;
    const survivors = cells.slice(0, filled).map((cell, i) => {
      const value = Number(cell);
      if (cell === '' || !Number.isInteger(value) || value < 0) {
        const what = cell === '' ? 'is blank before later counts' : `"${cell}" is not a whole number ≥ 0`;
        fail(line, ` (cohort "${name}"), column "${table.header[i + 1]}": ${what}.`);
      }
      return value;
    });
    if (survivors.length < 2) fail(line, ` (cohort "${name}"): needs its size and at least one period's survivors.`);
    return { name, survivors, source: `${file}: Line ${line} (cohort "${name}")` };
  });
}

function jsonResult(result: CohortResult): Record<string, unknown> {
  const { name, survivors } = result.cohort;
  if (result.kind === 'too-few') {
    return { cohort: name, customers: survivors[0], periods: survivors.length - 1, tooFewToJudge: result.reason };
  }
  const { fit, projection } = result;
  return {
    cohort: name,
    customers: fit.cohortSize,
    periods: fit.periods,
    alpha: fit.alpha,
    beta: fit.beta,
    logLikelihood: fit.logLikelihood,
    projection: projection.map((share, i) => ({
      period: fit.periods + i + 1,
      survivalShare: share,
      expectedCustomers: share * fit.cohortSize,
    })),
  };
}

function printResults(results: readonly CohortResult[], ahead: number): void {
  console.log(
    `sBG (shifted-beta-geometric, Fader & Hardie 2007) on ${results.length} cohort${results.length === 1 ? '' : 's'}.`,
  );
  const rows = results.map((result) => {
    const { name, survivors } = result.cohort;
    if (result.kind === 'too-few') {
      return [name, String(survivors[0]), String(survivors.length - 1), '–', '–', '–'];
    }
    const { fit } = result;
    return [
      name,
      String(fit.cohortSize),
      String(fit.periods),
      fixed(fit.alpha, 4),
      fixed(fit.beta, 4),
      fixed(fit.logLikelihood, 3),
    ];
  });
  console.log(
    formatTable(['cohort', 'customers', 'periods', 'α', 'β', 'log-likelihood'], rows, [
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
    ]),
  );
  for (const result of results) {
    if (result.kind === 'too-few') console.log(`${result.cohort.name}: too few to judge: it needs ${result.reason}.`);
  }
  const fitted = results.filter((result) => result.kind === 'fitted');
  if (fitted.length === 0) return;
  console.log(
    `Projected share still customers (and how many), 1 to ${ahead} periods after each cohort's last observed one:`,
  );
  const steps = Array.from({ length: ahead }, (_, i) => i + 1);
  const projections = fitted.map(({ cohort, fit, projection }) => [
    cohort.name,
    ...projection.map((share) => `${percent(share, 1)} (${fixed(share * fit.cohortSize, 0)})`),
  ]);
  console.log(
    formatTable(['cohort', ...steps.map((step) => `+${step}`)], projections, [
      'left',
      ...steps.map(() => 'right' as const),
    ]),
  );
}
