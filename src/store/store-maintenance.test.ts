import { describe, expect, it } from 'vitest';
import { upkeepDue } from './store-maintenance.js';

describe('upkeepDue', () => {
  const table = (name: string, liveRows: number, deadRows: number, changedSinceAnalyze = 0) => ({
    table: name,
    liveRows,
    deadRows,
    changedSinceAnalyze,
  });

  it('vacuums a table once its dead rows pass 50 plus a fifth of the live ones', () => {
    expect(upkeepDue([table('small', 100, 70), table('past', 100, 71)]).vacuum).toEqual(['past']);
  });

  it('vacuums a large table less often: the same dead rows are a smaller share of it', () => {
    const due = upkeepDue([table('young', 1_000, 300), table('old', 100_000, 300)]);
    expect(due.vacuum).toEqual(['young']);
  });

  it('analyzes without vacuuming a table changed by a tenth, and leaves a quiet one alone', () => {
    expect(upkeepDue([table('changed', 1_000, 0, 151), table('quiet', 1_000, 10, 20)])).toEqual({
      vacuum: [],
      analyze: ['changed'],
    });
  });
});
