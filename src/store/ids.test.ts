import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

const millisOf = (id: string) => Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('newId', () => {
  it('is a time-ordered UUIDv7 for ordinary instants', () => {
    const at = Date.parse('2026-05-04T09:00:00Z');
    const id = newId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(millisOf(id)).toBe(at);
  });

  it('clamps an instant past its 48 bits of milliseconds instead of failing then and for every later id', () => {
    expect(() => newId(8.64e15)).not.toThrow();
    expect(() => newId(Number.NaN)).not.toThrow();
    expect(() => newId(-8.64e15)).not.toThrow();
    const ids = Array.from({ length: 5000 }, () => newId());
    expect(new Set(ids).size).toBe(5000);
    expect(millisOf(ids[0]!)).toBe(2 ** 48 - 1);
  });
});
