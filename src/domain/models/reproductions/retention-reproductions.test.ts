// The sBG rows of `tend models check`: each of the paper's figures is reproduced, and the rows say what they check.
import { describe, expect, it } from 'vitest';
import { reproductionPasses } from './reproduction-row.js';
import { retentionReproductions } from './retention-reproductions.js';

describe('retentionReproductions', () => {
  const rows = retentionReproductions();

  it('passes every row: α, β, log-likelihood, years 8–12 and the year-12 error, for both segments', () => {
    expect(rows.filter((row) => !reproductionPasses(row)).map((row) => row.name)).toEqual([]);
    expect(rows).toHaveLength(2 * 9);
  });

  it('holds α and β to the published three decimals', () => {
    const value = (name: string): number => rows.find((row) => row.name === name)!.value;
    expect(value('high end: sBG α').toFixed(3)).toBe('0.668');
    expect(value('high end: sBG β').toFixed(3)).toBe('3.806');
    expect(value('regular: sBG α').toFixed(3)).toBe('0.704');
    expect(value('regular: sBG β').toFixed(3)).toBe('1.182');
    expect(value('high end: log-likelihood').toFixed(1)).toBe('-1611.2');
  });

  it('names the actual survivors beside each projected year', () => {
    expect(rows.map((row) => row.name)).toContain('high end: year 12 survivors per 1000, projected (actual 394)');
    expect(rows.map((row) => row.name)).toContain('regular: year 9 survivors per 1000, projected (actual 207)');
  });
});
