import { describe, expect, it } from 'vitest';
import { fieldPath, jsonProblems, maximumJsonDepth, textProblem } from './json-limits.js';

const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) value = { a: value };
  return value;
};

describe('textProblem', () => {
  it('refuses a NUL and a lone surrogate, and accepts every other text', () => {
    expect(textProblem('a\u0000b')).toMatch(/NUL character \(\\u0000\), which cannot be stored: remove it/);
    expect(textProblem('a\ud800')).toMatch(/lone UTF-16 surrogate/);
    expect(textProblem('\udc00a')).toMatch(/lone UTF-16 surrogate/);
    expect(textProblem('\udc00\ud800')).toMatch(/lone UTF-16 surrogate/);
    for (const fine of ['', 'plain', 'emoji \ud83d\ude00', 'é\u2028\ufffd\u0001', '\u{10FFFF}']) {
      expect(textProblem(fine), fine).toBeNull();
    }
  });
});

describe('jsonProblems', () => {
  it('names each text that cannot be stored by its path, keys included', () => {
    const properties = { note: 'x\u0000', 'first name': '\ud800', 'k\u0000': 1 };
    const body = { batch: [{ userId: 'u' }, { properties }] };
    const matching = (pattern: RegExp) => expect.stringMatching(pattern) as unknown as string;
    expect(jsonProblems(body, '')).toEqual([
      // A key is judged when its object is visited, before the values in it.
      { field: 'batch[1].properties["k\\u0000"]', message: matching(/^is a key that contains a NUL/) },
      { field: 'batch[1].properties.note', message: matching(/NUL/) },
      { field: 'batch[1].properties["first name"]', message: matching(/surrogate/) },
    ]);
    expect(jsonProblems({ userId: 'ok', list: [1, 'two', null, true] }, 'body')).toEqual([]);
  });

  it(`accepts ${maximumJsonDepth} levels of nesting, counting the value itself, and refuses the next once`, () => {
    expect(jsonProblems(nested(maximumJsonDepth - 1), '')).toEqual([]);
    const [problem, ...more] = jsonProblems({ properties: nested(maximumJsonDepth) }, '');
    expect(more).toEqual([]);
    expect(problem?.field).toBe(`properties${'.a'.repeat(maximumJsonDepth - 1)}`);
    expect(problem?.message).toMatch(/nests deeper than 64 levels/);
  });

  it('walks a million levels without the call stack', () => {
    let value: unknown = [];
    for (let level = 0; level < 1_000_000; level++) value = [value];
    expect(jsonProblems(value, 'body')).toHaveLength(1);
  });

  it('refuses numbers beyond doubles, as JSON.parse reads 1e400', () => {
    expect(jsonProblems(JSON.parse('{"amount":1e400,"ok":1.5e308}'), '')).toEqual([
      { field: 'amount', message: 'is a number too large to store (beyond ±1.7976931348623157e308)' },
    ]);
  });

  it('stops at the limit of problems', () => {
    expect(
      jsonProblems(
        Array.from({ length: 50 }, () => '\u0000'),
        'body',
        5,
      ),
    ).toHaveLength(5);
  });

  it('writes paths as the API names fields, shortening long keys', () => {
    expect(fieldPath('', 'userId')).toBe('userId');
    expect(fieldPath('traits', 'first-name')).toBe('traits.first-name');
    expect(fieldPath('batch', 3)).toBe('batch[3]');
    expect(fieldPath('traits', 'x'.repeat(100))).toBe(`traits["${'x'.repeat(40)}…"]`);
  });
});
