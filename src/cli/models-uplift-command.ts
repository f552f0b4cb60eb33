// `tend models uplift --csv FILE.csv --group COL --control VALUE --outcome COL[,COL…]`: per group the
// rate (0/1 outcomes, Wilson interval) or mean (t interval), and the lift over control with its
// 95 % interval (Newcombe for rates, Welch for means) and whether it is significant.
import { ModelInputError } from '../domain/models/model-input-error.js';
import { upliftReport, type GroupOutcome, type OutcomeComparison } from '../domain/models/uplift-report.js';
import { fixed, formatTable, inFile, listOption, percent, printJson, readCsvFile } from './models-output.js';

interface UpliftCommandOptions {
  csv: string;
  group: string;
  control: string;
  outcome: string;
  json?: boolean;
}

export async function upliftCommand(options: UpliftCommandOptions): Promise<void> {
  const outcomes = listOption(options.outcome);
  if (outcomes.length === 0) throw new ModelInputError('--outcome must name at least one column.');
  const table = readCsvFile(options.csv, 'CSV file');
  const report = inFile(options.csv, () =>
    upliftReport(table, { group: options.group, control: options.control, outcomes }),
  );
  if (options.json) {
    printJson({ file: options.csv, ...report });
    return;
  }
  const sizes = report.groups.map((group) => `${group.group} ${group.count}`).join(', ');
  console.log(
    `${options.csv}: groups by "${report.groupColumn}" (${sizes}); control "${report.control}". Intervals are 95 %.`,
  );
  for (const outcome of report.outcomes) console.log(`\n${formatOutcome(outcome)}`);
}

function formatOutcome(outcome: OutcomeComparison): string {
  const title =
    outcome.kind === 'rate'
      ? `"${outcome.outcome}" (0/1): rate per group, Wilson interval; lift in points, Newcombe interval`
      : `"${outcome.outcome}": mean per group, t interval; lift in the outcome's units, Welch interval`;
  const rows = outcome.groups.map((group) => {
    const [estimate, interval] = estimateCells(group);
    const lift = group.lift;
    if (lift === null) return [group.group, String(group.summary.count), estimate, interval, 'control', '', '', ''];
    const signed = (value: number): string => (value >= 0 ? '+' : '') + formatAmount(group, value);
    const relative = lift.relative === null ? '' : `${lift.relative >= 0 ? '+' : ''}${fixed(lift.relative * 100, 1)} %`;
    return [
      group.group,
      String(group.summary.count),
      estimate,
      interval,
      signed(lift.absolute),
      `[${formatAmount(group, lift.lower)}, ${formatAmount(group, lift.upper)}]`,
      relative,
      lift.significant ? 'yes' : 'no',
    ];
  });
  const estimateTitle = outcome.kind === 'rate' ? 'rate' : 'mean';
  return `${title}\n${formatTable(
    ['group', 'count', estimateTitle, 'interval', 'lift', 'lift interval', 'relative', 'significant'],
    rows,
    ['left', 'right', 'right', 'left', 'right', 'left', 'right', 'left'],
  )}`;
}

function estimateCells(group: GroupOutcome): [string, string] {
  switch (group.kind) {
    case 'rate':
      return [percent(group.summary.rate), `[${percent(group.summary.lower)}, ${percent(group.summary.upper)}]`];
    case 'mean':
      return [fixed(group.summary.mean, 4), `[${fixed(group.summary.lower, 4)}, ${fixed(group.summary.upper, 4)}]`];
    default: {
      const unknown: never = group;
      throw new Error(`Unknown outcome kind ${JSON.stringify(unknown)}`);
    }
  }
}

/** A lift or its bound: points of percentage for rates, the outcome's units for means. */
function formatAmount(group: GroupOutcome, value: number): string {
  return group.kind === 'rate' ? `${fixed(value * 100, 2)} pt` : fixed(value, 4);
}
