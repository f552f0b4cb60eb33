// The Hillstrom (MineThatData 2008) e-mail test figures Tend's experiment statistics must
// reproduce, as rows `tend models check` prints: each group's size and rates, and the men's lift.
import {
  compareMeans,
  compareRates,
  summariseMean,
  summariseRate,
  type Lift,
  type MeanSummary,
  type RateSummary,
} from '../experiment-statistics.js';
import type { RecordTable } from '../feature-encoding.js';
import { ModelInputError } from '../model-input-error.js';
import { withinRow, type ReproductionRow } from './reproduction-row.js';

/** One arm of the test: its size, visit and conversion rates, and spend per customer. */
export interface HillstromGroup {
  segment: string;
  visits: RateSummary;
  conversions: RateSummary;
  spend: MeanSummary;
}

/** Lifts of one arm over the no-e-mail arm. */
export interface HillstromLift {
  segment: string;
  visits: Lift;
  conversions: Lift;
  spend: Lift;
}

const segments = ['Mens E-Mail', 'Womens E-Mail', 'No E-Mail'] as const;

/** Summarises each arm of the parsed `hillstrom.csv`, refusing a file without the expected columns. */
export function hillstromGroups(table: RecordTable): HillstromGroup[] {
  const index = (name: string): number => {
    const found = table.header.indexOf(name);
    if (found < 0) throw new ModelInputError(`The Hillstrom file has no "${name}" column.`, { column: name });
    return found;
  };
  const [segment, visit, conversion, spend] = ['segment', 'visit', 'conversion', 'spend'].map(index) as [
    number,
    number,
    number,
    number,
  ];
  return segments.map((name) => {
    const members = table.records.filter((record) => record[segment] === name);
    const count = members.length;
    const ones = (column: number): number => members.filter((record) => record[column] === '1').length;
    return {
      segment: name,
      visits: summariseRate(ones(visit), count),
      conversions: summariseRate(ones(conversion), count),
      spend: summariseMean(members.map((record) => Number(record[spend]))),
    };
  });
}

/** Lifts of each e-mail arm over no e-mail (Newcombe intervals for rates, Welch for spend). */
export function hillstromLifts(groups: readonly HillstromGroup[]): HillstromLift[] {
  const control = groups.find((group) => group.segment === 'No E-Mail');
  if (control === undefined)
    throw new ModelInputError('The Hillstrom file has no "No E-Mail" group.', { column: 'segment' });
  return groups
    .filter((group) => group !== control)
    .map((group) => ({
      segment: group.segment,
      visits: compareRates(group.visits, control.visits),
      conversions: compareRates(group.conversions, control.conversions),
      spend: compareMeans(group.spend, control.spend),
    }));
}

/** The README's figures, each to half a unit of its last printed digit, plus the men's lifts being significant. */
export function hillstromReproductions(table: RecordTable): ReproductionRow[] {
  const groups = hillstromGroups(table);
  const published: Record<string, [number, number, number, number]> = {
    'Mens E-Mail': [21_307, 0.1828, 0.01253, 1.4226],
    'Womens E-Mail': [21_387, 0.1514, 0.00884, 1.0772],
    'No E-Mail': [21_306, 0.1062, 0.00573, 0.6528],
  };
  const rows: ReproductionRow[] = groups.flatMap((group) => {
    const [count, visit, conversion, spend] = published[group.segment]!;
    return [
      withinRow(`Hillstrom ${group.segment} customers`, count, group.visits.count, 0),
      withinRow(`Hillstrom ${group.segment} visit rate`, visit, group.visits.rate, 0.00005),
      withinRow(`Hillstrom ${group.segment} conversion rate`, conversion, group.conversions.rate, 0.000005),
      withinRow(`Hillstrom ${group.segment} spend per customer`, spend, group.spend.mean, 0.00005),
    ];
  });
  const mens = hillstromLifts(groups).find((lift) => lift.segment === 'Mens E-Mail')!;
  rows.push(
    withinRow("Hillstrom men's e-mail visit lift (points)", 0.0766, mens.visits.absolute, 0.00005),
    withinRow("Hillstrom men's e-mail conversion lift (points)", 0.0068, mens.conversions.absolute, 0.00005),
    withinRow("Hillstrom men's e-mail spend lift ($)", 0.77, mens.spend.absolute, 0.0005),
  );
  for (const [metric, lift] of [
    ['visit', mens.visits],
    ['conversion', mens.conversions],
    ['spend', mens.spend],
  ] as const) {
    rows.push(
      withinRow(`Hillstrom men's e-mail ${metric} lift interval excludes 0 (1 = yes)`, 1, lift.significant ? 1 : 0, 0),
    );
  }
  return rows;
}
