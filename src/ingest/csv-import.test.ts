// The rejected-rows file is opened in spreadsheets: cells a spreadsheet would run as formulas are
// written inert, with a leading ', and everything else as it came.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../engine/clocks.js';
import type { Database } from '../store/schema.js';
import { importCsv, spreadsheetCell } from './csv-import.js';

const scratch = mkdtempSync(join(tmpdir(), 'tend-rejected-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('spreadsheetCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+49 151 1234', "'+49 151 1234"],
    ['-600', "'-600"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=cmd', "'\t=cmd"],
    ['\r=cmd', `"'\r=cmd"`],
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
  ])('writes %j inert, as %j', (cell, written) => {
    expect(spreadsheetCell(cell)).toBe(written);
  });

  const ordinary = [['Acme GmbH'], ['a=b'], [''], ['rita@yourco.example'], ['1,5']];
  it.each(ordinary)('leaves %j as it was (quoted only where CSV needs it)', (cell) => {
    const written = spreadsheetCell(cell);
    expect(parse(`${written}\n`, { relax_quotes: false })[0]?.[0] ?? '').toBe(cell);
  });
});

describe('the rejected-rows file', () => {
  it('holds hostile cells of rejected rows with a leading quote, and reads back as those cells after it', async () => {
    const file = join(scratch, 'hostile.csv');
    const hostile = ['id,name,=owner', ',"=HYPERLINK(""http://evil.example"",""x"")",@evil', '-1,+2,-3,extra'];
    writeFileSync(file, hostile.join('\n'));
    // Every row is rejected, so the import writes nothing to the database.
    const database = {} as Kysely<Database>;
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const summary = await importCsv(database, clock, { kind: 'accounts', file, columnMap: {} });
    expect(summary.rejected.map((row) => row.line)).toEqual([2, 3]);
    const rows: string[][] = parse(readFileSync(summary.rejectedFile ?? '', 'utf8'), { relax_column_count: true });
    expect(rows[0]).toEqual(['line', 'reason', 'id', 'name', "'=owner"]);
    expect(rows[1]?.slice(2)).toEqual(['', `'=HYPERLINK("http://evil.example","x")`, "'@evil"]);
    expect(rows[2]?.slice(2)).toEqual(["'-1", "'+2", "'-3", 'extra']);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});
