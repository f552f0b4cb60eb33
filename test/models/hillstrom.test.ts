// Reproduces the Hillstrom e-mail test figures (reference README) with Tend's experiment statistics.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsvTable, type CsvTable } from '../../src/domain/models/csv-table.js';
import {
  hillstromGroups,
  hillstromLifts,
  hillstromReproductions,
  type HillstromGroup,
} from '../../src/domain/models/reproductions/hillstrom-reproductions.js';
import { reproductionPasses } from '../../src/domain/models/reproductions/reproduction-row.js';
import { referenceFile } from '../support/reference-data.js';

const path = referenceFile('hillstrom/hillstrom.csv');

describe.skipIf(path === null)('Hillstrom e-mail test', () => {
  // Loaded in beforeAll: a skipped suite's body still runs when tests are collected.
  let text: string;
  let table: CsvTable;
  let groups: HillstromGroup[];
  beforeAll(() => {
    text = readFileSync(path!, 'utf8');
    table = parseCsvTable(text);
    groups = hillstromGroups(table);
  });
  const group = (segment: string) => groups.find((candidate) => candidate.segment === segment)!;

  it('reads all 64,000 customers from a CRLF file without a final line end', () => {
    expect(text.endsWith('\r\n')).toBe(false);
    expect(table.header).toHaveLength(12);
    expect(table.records).toHaveLength(64_000);
    expect(table.lineNumbers.at(-1)).toBe(64_001);
    expect(table.records.at(-1)!.every((field) => !field.includes('\r'))).toBe(true);
  });

  it.each([
    ['Mens E-Mail', 21_307, '18.28', '1.253', '1.4226'],
    ['Womens E-Mail', 21_387, '15.14', '0.884', '1.0772'],
    ['No E-Mail', 21_306, '10.62', '0.573', '0.6528'],
  ])('%s: %i customers, visit %s %%, conversion %s %%, spend $%s', (segment, count, visit, conversion, spend) => {
    const figures = group(segment);
    expect(figures.visits.count).toBe(count);
    expect((figures.visits.rate * 100).toFixed(2)).toBe(visit);
    expect((figures.conversions.rate * 100).toFixed(3)).toBe(conversion);
    expect(figures.spend.mean.toFixed(4)).toBe(spend);
    // Each interval holds its estimate and is about ±1.96 standard errors wide.
    for (const rate of [figures.visits, figures.conversions]) {
      expect(rate.lower).toBeLessThan(rate.rate);
      expect(rate.upper).toBeGreaterThan(rate.rate);
      expect((rate.upper - rate.lower) / (2 * 1.96 * Math.sqrt((rate.rate * (1 - rate.rate)) / count))).toBeCloseTo(
        1,
        1,
      );
    }
    expect(figures.spend.upper - figures.spend.mean).toBeCloseTo(
      1.96 * (figures.spend.standardDeviation / Math.sqrt(count)),
      4,
    );
  });

  it("lifts the men's e-mail over none by +7.66 visit points, +0.68 conversion points and +$0.770, all significant", () => {
    const mens = hillstromLifts(groups).find((lift) => lift.segment === 'Mens E-Mail')!;
    expect((mens.visits.absolute * 100).toFixed(2)).toBe('7.66');
    expect((mens.conversions.absolute * 100).toFixed(2)).toBe('0.68');
    expect(mens.spend.absolute.toFixed(3)).toBe('0.770');
    for (const lift of [mens.visits, mens.conversions, mens.spend]) {
      expect(lift.lower).toBeGreaterThan(0);
      expect(lift.upper).toBeGreaterThan(lift.absolute);
      expect(lift.significant).toBe(true);
    }
    expect(mens.visits.relative).toBeCloseTo(0.0766 / 0.1062, 2);
  });

  it('passes every reproduction row', () => {
    expect(hillstromReproductions(table).filter((row) => !reproductionPasses(row))).toEqual([]);
  });
});
