// Compares the groups of an experiment on one or more outcomes: a 0/1 outcome as a rate (Wilson
// interval, Newcombe lift), any other number as a mean (t interval, Welch lift). What `tend models
// uplift` prints.
import {
  compareMeans,
  compareRates,
  summariseMean,
  summariseRate,
  type Lift,
  type MeanSummary,
  type RateSummary,
} from './experiment-statistics.js';
import type { RecordTable } from './feature-encoding.js';
import { ModelInputError } from './model-input-error.js';
import { lineOf, requireColumn } from './table-columns.js';

/** Which column names the group, which group is the control, and which columns are outcomes. */
export interface UpliftOptions {
  group: string;
  control: string;
  outcomes: readonly string[];
}

/** One group on one outcome; `lift` is null for the control itself. */
export type GroupOutcome =
  | { kind: 'rate'; group: string; summary: RateSummary; lift: Lift | null }
  | { kind: 'mean'; group: string; summary: MeanSummary; lift: Lift | null };

export interface OutcomeComparison {
  outcome: string;
  kind: 'rate' | 'mean';
  /** The control first, then the other groups in the order they first appear. */
  groups: GroupOutcome[];
}

export interface UpliftReport {
  groupColumn: string;
  control: string;
  groups: { group: string; count: number }[];
  outcomes: OutcomeComparison[];
}

/**
 * Summarises each group on each outcome with 95 % intervals and its lift over the control, so a
 * holdout test can be read without a statistics package. Blank or non-numeric outcomes are refused
 * with their line, as is a control value that is not among the groups.
 */
export function upliftReport(table: RecordTable, options: UpliftOptions): UpliftReport {
  const groupIndex = requireColumn(table, options.group, 'group column');
  if (options.outcomes.length === 0) throw new ModelInputError('Name at least one outcome column.');
  const outcomeIndexes = options.outcomes.map((outcome) => requireColumn(table, outcome, 'outcome column'));
  const members = new Map<string, number[]>();
  table.records.forEach((record, row) => {
    const group = (record[groupIndex] ?? '').trim();
    if (group === '') {
      const line = lineOf(table, row);
      throw new ModelInputError(`Line ${line}: the group column "${options.group}" is blank.`, {
        line,
        column: options.group,
      });
    }
    const rows = members.get(group);
    if (rows === undefined) members.set(group, [row]);
    else rows.push(row);
  });
  if (!members.has(options.control)) {
    const known = [...members.keys()].map((group) => `"${group}"`).join(', ');
    throw new ModelInputError(
      `The control value "${options.control}" does not occur in column "${options.group}" (groups: ${known}).`,
      {
        column: options.group,
      },
    );
  }
  if (members.size < 2)
    throw new ModelInputError(
      `Column "${options.group}" has only the control group "${options.control}": nothing to compare it with.`,
      { column: options.group },
    );
  const order = [options.control, ...[...members.keys()].filter((group) => group !== options.control)];
  return {
    groupColumn: options.group,
    control: options.control,
    groups: order.map((group) => ({ group, count: members.get(group)!.length })),
    outcomes: options.outcomes.map((outcome, k) =>
      compareOutcome(table, outcome, outcomeIndexes[k]!, order, members, options.control),
    ),
  };
}

function compareOutcome(
  table: RecordTable,
  outcome: string,
  index: number,
  order: readonly string[],
  members: ReadonlyMap<string, number[]>,
  control: string,
): OutcomeComparison {
  const values = table.records.map((record, row) => {
    const text = (record[index] ?? '').trim();
    const value = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(value)) {
      const line = lineOf(table, row);
      throw new ModelInputError(`Line ${line}: the outcome "${text}" in column "${outcome}" is not a number.`, {
        line,
        column: outcome,
      });
    }
    return value;
  });
  const isRate = values.every((value) => value === 0 || value === 1);
  const groupValues = (group: string): number[] => members.get(group)!.map((row) => values[row]!);
  if (isRate) {
    const summaries = order.map((group) => {
      const own = groupValues(group);
      return summariseRate(own.filter((value) => value === 1).length, own.length);
    });
    const controlSummary = summaries[0]!;
    return {
      outcome,
      kind: 'rate',
      groups: order.map((group, i) => ({
        kind: 'rate',
        group,
        summary: summaries[i]!,
        lift: group === control ? null : compareRates(summaries[i]!, controlSummary),
      })),
    };
  }
  const summaries = order.map((group) => {
    const own = groupValues(group);
    if (own.length < 2) {
      throw new ModelInputError(
        `Group "${group}" has ${own.length} value of "${outcome}": a mean's interval needs at least two.`,
        { column: outcome },
      );
    }
    return summariseMean(own);
  });
  const controlSummary = summaries[0]!;
  return {
    outcome,
    kind: 'mean',
    groups: order.map((group, i) => ({
      kind: 'mean',
      group,
      summary: summaries[i]!,
      lift: group === control ? null : compareMeans(summaries[i]!, controlSummary),
    })),
  };
}
