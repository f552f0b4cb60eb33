// Group comparisons behind `tend models uplift`: rates for 0/1 outcomes, means otherwise, and the
// errors a user's experiment file runs into.
import { describe, expect, it } from 'vitest';
import { compareMeans, compareRates, summariseMean, summariseRate } from './experiment-statistics.js';
import { parseCsvTable } from './csv-table.js';
import { upliftReport } from './uplift-report.js';

/** Treatment first in the file, so the report must move the control to the front. */
function experiment(): string[] {
  const lines = ['arm,converted,spend'];
  for (let i = 0; i < 80; i++) lines.push(`email,${i < 20 ? 1 : 0},${(i % 4) + 1}`);
  for (let i = 0; i < 50; i++) lines.push(`holdout,${i < 5 ? 1 : 0},${(i % 2) + 1}`);
  return lines;
}
const table = (lines: string[]) => parseCsvTable(lines.join('\r\n'));

describe('upliftReport', () => {
  it('reads 0/1 outcomes as rates and others as means, control first, each lift against control', () => {
    const report = upliftReport(table(experiment()), {
      group: 'arm',
      control: 'holdout',
      outcomes: ['converted', 'spend'],
    });
    expect(report.groups).toEqual([
      { group: 'holdout', count: 50 },
      { group: 'email', count: 80 },
    ]);
    const [converted, spend] = report.outcomes;
    expect(converted!.kind).toBe('rate');
    expect(converted!.groups.map((group) => group.summary)).toEqual([summariseRate(5, 50), summariseRate(20, 80)]);
    expect(converted!.groups[0]!.lift).toBeNull();
    expect(converted!.groups[1]!.lift).toEqual(compareRates(summariseRate(20, 80), summariseRate(5, 50)));
    expect(spend!.kind).toBe('mean');
    const email = summariseMean(Array.from({ length: 80 }, (_, i) => (i % 4) + 1));
    const holdout = summariseMean(Array.from({ length: 50 }, (_, i) => (i % 2) + 1));
    expect(spend!.groups[1]!.summary).toEqual(email);
    expect(spend!.groups[1]!.lift).toEqual(compareMeans(email, holdout));
    expect(spend!.groups[1]!.lift!.absolute).toBeCloseTo(1, 12);
  });

  it('names an unknown control with the groups there are, a blank group and a non-numeric outcome by line', () => {
    const options = { group: 'arm', control: 'holdout', outcomes: ['converted'] };
    expect(() => upliftReport(table(experiment()), { ...options, control: 'none' })).toThrow(
      'The control value "none" does not occur in column "arm" (groups: "email", "holdout").',
    );
    expect(() => upliftReport(table(['arm,converted', 'holdout,1', ',0']), options)).toThrow(
      'Line 3: the group column "arm" is blank.',
    );
    expect(() => upliftReport(table(['arm,converted', 'holdout,1', 'email,yes']), options)).toThrow(
      'Line 3: the outcome "yes" in column "converted" is not a number.',
    );
    expect(() => upliftReport(table(['arm,converted', 'holdout,1']), options)).toThrow(/only the control group/);
    expect(() => upliftReport(table(experiment()), { ...options, outcomes: ['revenue'] })).toThrow(
      'The outcome column "revenue" is not in the header (columns: "arm", "converted", "spend").',
    );
    expect(() =>
      upliftReport(table(['arm,spend', 'holdout,1', 'holdout,3', 'email,2']), { ...options, outcomes: ['spend'] }),
    ).toThrow(/Group "email" has 1 value/);
  });
});
