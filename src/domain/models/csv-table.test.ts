import { describe, expect, it } from 'vitest';
import { parseCsvTable } from './csv-table.js';
import { ModelInputError } from './model-input-error.js';

describe('parseCsvTable', () => {
  it('reads CRLF lines without a final line end', () => {
    const table = parseCsvTable('a,b\r\n1,2\r\n3,4');
    expect(table.header).toEqual(['a', 'b']);
    expect(table.records).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(table.lineNumbers).toEqual([2, 3]);
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks', () => {
    const table = parseCsvTable('name,note\n"Smith, J","said ""hi"""\n"multi\nline",x\nlast,""\n');
    expect(table.records).toEqual([
      ['Smith, J', 'said "hi"'],
      ['multi\nline', 'x'],
      ['last', ''],
    ]);
    // The record after a two-line field starts on line 5.
    expect(table.lineNumbers).toEqual([2, 3, 5]);
  });

  it('keeps blank fields, skips blank lines and strips a byte-order mark', () => {
    const table = parseCsvTable('\uFEFFid,total\n\n7, \n8,\n');
    expect(table.header).toEqual(['id', 'total']);
    expect(table.records).toEqual([
      ['7', ' '],
      ['8', ''],
    ]);
    expect(table.lineNumbers).toEqual([3, 4]);
  });

  it('names the line of a record with the wrong number of fields', () => {
    expect(() => parseCsvTable('a,b\n1,2\n3\n')).toThrow(/Line 3 has 1 fields, but the header has 2/);
    expect(() => parseCsvTable('a,b\n1,"open\n')).toThrow(ModelInputError);
    expect(() => parseCsvTable('')).toThrow(/empty/);
  });

  it('accepts another delimiter', () => {
    expect(parseCsvTable('a;b\n1;2', ';').records).toEqual([['1', '2']]);
  });
});
