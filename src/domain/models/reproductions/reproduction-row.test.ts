// How a checked figure is judged and written: within a tolerance, at least or at most a bound.
import { describe, expect, it } from 'vitest';
import { boundRow, describeTarget, describeValue, reproductionPasses, withinRow } from './reproduction-row.js';

describe('reproductionPasses', () => {
  it('reads at-least, at-most and within as written', () => {
    expect([
      reproductionPasses(boundRow('rate', 'at-least', 0.95, 0.95)),
      reproductionPasses(boundRow('rate', 'at-least', 0.95, 0.94)),
    ]).toEqual([true, false]);
    expect([
      reproductionPasses(boundRow('rate', 'at-most', 0.95, 0.95)),
      reproductionPasses(boundRow('rate', 'at-most', 0.95, 0.96)),
    ]).toEqual([true, false]);
    expect([
      reproductionPasses(withinRow('x', 0.95, 0.97, 0.02)),
      reproductionPasses(withinRow('x', 0.95, 0.98, 0.02)),
    ]).toEqual([true, false]);
    expect([
      reproductionPasses(withinRow('x', -9582.429, -9582.35, 0.1)),
      reproductionPasses(withinRow('x', -9582.429, -9582.3, 0.1)),
    ]).toEqual([true, false]);
  });

  it('reads a zero tolerance as exact', () => {
    expect(reproductionPasses(withinRow('customers', 2357, 2357, 0))).toBe(true);
    expect(reproductionPasses(withinRow('customers', 2357, 2356, 0))).toBe(false);
    expect(reproductionPasses(withinRow('share', 0.95, 0.96, 0))).toBe(false);
  });
});

describe('describeTarget and describeValue', () => {
  it('write a tolerance to two significant digits and the published value to match', () => {
    const r = withinRow('BG/NBD r', 0.2425982, 0.24259, 0.2425982 * 0.005);
    expect(describeTarget(r)).toBe('0.2426 ± 0.0012');
    expect(describeValue(r)).toBe('0.24259');
    expect(describeTarget(withinRow('LL', -9582.429, -9582.43, 0.1))).toBe('-9582.4 ± 0.1');
    expect(describeTarget(withinRow('AUC', 0.845, 0.846, 0.005))).toBe('0.845 ± 0.005');
    expect(describeTarget(withinRow('error %', -3.987, -3.5, 1))).toBe('-3.99 ± 1');
  });

  it('write exact figures as they are, and bounds with ≥ and ≤', () => {
    expect(describeTarget(withinRow('customers', 2357, 2357, 0))).toBe('2357');
    expect(describeValue(withinRow('customers', 2357, 2357, 0))).toBe('2357');
    expect(describeTarget(boundRow('caught', 'at-least', 0.95, 0.962))).toBe('≥ 0.95');
    expect(describeValue(boundRow('caught', 'at-least', 0.95, 0.962))).toBe('0.9620');
    expect(describeTarget(boundRow('false alarms', 'at-most', 0.01, 0.0042))).toBe('≤ 0.01');
    expect(describeTarget(boundRow('regret', 'at-most', 4, 2.5))).toBe('≤ 4');
    expect(describeValue(boundRow('regret', 'at-most', 4, 2.5))).toBe('2.500');
  });
});

describe('describeTarget keeps a published figure as printed', () => {
  it('when it has at most one decimal more than the tolerance', () => {
    expect(describeTarget(withinRow('E[X(31.857)]', 1.0405, 1.0405, 0.001))).toBe('1.0405 ± 0.001');
    expect(describeTarget(withinRow('E[X(0.1429)]', 0.0078, 0.0078, 0.001))).toBe('0.0078 ± 0.001');
    expect(describeTarget(withinRow('visit rate', 0.1828, 0.18276, 0.00005))).toBe('0.1828 ± 0.00005');
    expect(describeValue(withinRow('visit rate', 0.1828, 0.182757, 0.00005))).toBe('0.182757');
    expect(describeValue(withinRow('error %', -3.987, -4.111, 1))).toBe('-4.11');
  });
});
