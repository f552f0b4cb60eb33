// Checks the simulation rows `tend models check` prints: all pass, reproducibly, on more than one seed.
import { describe, expect, it } from 'vitest';
import { reproductionPasses } from './reproduction-row.js';
import { simulationChecks } from './simulation-checks.js';

describe('simulationChecks', { timeout: 60_000 }, () => {
  it('passes every row at the default seed, and is reproducible', () => {
    const rows = simulationChecks(1);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.filter((r) => !reproductionPasses(r)).map((r) => `${r.name}: ${r.value}`)).toEqual([]);
    expect(simulationChecks(1)).toEqual(rows);
  });

  it('still passes with another seed', () => {
    expect(
      simulationChecks(2024)
        .filter((r) => !reproductionPasses(r))
        .map((r) => `${r.name}: ${r.value}`),
    ).toEqual([]);
  });
});
