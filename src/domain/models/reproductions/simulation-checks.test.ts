// Checks the rows a `tend models check` command prints: how targets are judged, and that all pass.
import { describe, expect, it } from 'vitest';
import { checkPasses, simulationChecks, type SimulationCheck } from './simulation-checks.js';

describe('checkPasses', () => {
  const row = (comparison: SimulationCheck['comparison'], value: number, tolerance?: number): SimulationCheck => ({
    name: 'example',
    target: 0.95,
    value,
    comparison,
    ...(tolerance === undefined ? {} : { tolerance }),
  });

  it('reads at-least, at-most and within as written', () => {
    expect([checkPasses(row('at-least', 0.95)), checkPasses(row('at-least', 0.94))]).toEqual([true, false]);
    expect([checkPasses(row('at-most', 0.95)), checkPasses(row('at-most', 0.96))]).toEqual([true, false]);
    expect([checkPasses(row('within', 0.97, 0.02)), checkPasses(row('within', 0.98, 0.02))]).toEqual([true, false]);
    expect(checkPasses(row('within', 0.96))).toBe(false);
  });
});

describe('simulationChecks', { timeout: 60_000 }, () => {
  it('passes every row at the default seed, and is reproducible', () => {
    const rows = simulationChecks(1);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.filter((r) => !checkPasses(r)).map((r) => `${r.name}: ${r.value}`)).toEqual([]);
    expect(simulationChecks(1)).toEqual(rows);
  });

  it('still passes with another seed', () => {
    expect(simulationChecks(2024).filter((r) => !checkPasses(r)).map((r) => `${r.name}: ${r.value}`)).toEqual([]);
  });
});
