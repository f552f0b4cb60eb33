import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './page-cursor.js';

describe('page cursors', () => {
  it('give back the parts they were made of', () => {
    const parts = ['2026-01-02 10:00:00+00', 'acct_1', 0, null];
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
