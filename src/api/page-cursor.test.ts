import { describe, expect, it } from 'vitest';
import { databaseTimePattern, decodeCursor, encodeCursor, uuidPattern } from './page-cursor.js';

describe('page cursors', () => {
  it('give back the parts they were made of', () => {
    const parts = ['2026-01-02T10:00:00.000000Z', 'acct_1', 0, null];
    expect(decodeCursor(encodeCursor(parts), 4)).toEqual(parts);
  });

  it('refuse text that is not a cursor of the expected size', () => {
    expect(decodeCursor('not a cursor!', 2)).toBeNull();
    expect(decodeCursor(encodeCursor(['a', 'b']), 3)).toBeNull();
    expect(decodeCursor(Buffer.from('{"a":1}').toString('base64url'), 1)).toBeNull();
    expect(decodeCursor(Buffer.from('[[1]]').toString('base64url'), 1)).toBeNull();
    expect(decodeCursor(Buffer.from('[1').toString('base64url'), 1)).toBeNull();
    expect(decodeCursor('', 1)).toBeNull();
  });
});

describe('what cursors carry', () => {
  it('recognise times as the database writes them, and uuids', () => {
    expect(databaseTimePattern.test('2026-01-02T10:00:00.123000Z')).toBe(true);
    expect(databaseTimePattern.test('2026-01-02 10:00:00+05:30')).toBe(false);
    expect(databaseTimePattern.test('tomorrow')).toBe(false);
    expect(uuidPattern.test('0190a5e4-7b1c-7000-8000-000000000001')).toBe(true);
    expect(uuidPattern.test('------------------------------------')).toBe(false);
  });
});
