// Generators (fast-check) of the values hostile requests are made of: text with NUL characters and
// lone surrogates, giant strings, huge numbers, JSON of any shape, deep nesting, odd timestamps, and
// path segments and form fields with escapes that are not UTF-8. Most values are ordinary, so that
// many requests get past validation and reach the database with their odd parts.
import fc from 'fast-check';

/** Mostly `ordinary` (`weight` times as often as each of the others), now and then one of the others. */
export const mostlyWeighted = <T>(weight: number, ordinary: fc.Arbitrary<T>, ...others: fc.Arbitrary<unknown>[]) =>
  fc.oneof({ weight, arbitrary: ordinary }, ...others) as fc.Arbitrary<unknown>;
export const mostly = <T>(ordinary: fc.Arbitrary<T>, ...others: fc.Arbitrary<unknown>[]) =>
  mostlyWeighted(4 * others.length, ordinary, ...others);

const ordinaryText = fc.string({ unit: 'grapheme', maxLength: 16 });

/** Characters that break storage or parsers, mixed with ordinary ones. */
const units = fc.constantFrom(
  'a',
  'Z',
  '7',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  'é',
  '"',
  '\\',
  '<',
  '>',
  '@',
  '\n',
  '\u2028',
  '%',
);
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: units, maxLength: 24 }) },
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom('', ' ', 'null', '__proto__', 'constructor', '1e309', '-0', 'a@b', 'x@example.com', '-'.repeat(36)),
);

/** Ordinary text, hostile text, or a giant string around the 32 KB event limit and across it. */
export const text = mostlyWeighted(
  12,
  ordinaryText,
  hostileText,
  fc.integer({ min: 30_000, max: 40_000 }).map((length) => 'x'.repeat(length)),
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e300, -1e300, Number.MAX_VALUE, 2 ** 63, 9_007_199_254_740_993, 1e21, -0, 0.1, 8.64e15, -1),
);
export const amount = mostlyWeighted(12, fc.integer({ min: 0, max: 100_000 }), hostileNumber);

/** Objects and arrays nested this deep are written as JSON text (see {@link jsonText}). */
const deepNesting = fc
  .tuple(fc.integer({ min: 60, max: 5_000 }), fc.constantFrom('o', 'l'))
  .map(([levels, kind]) => `@@deep:${levels}:${kind}`);

const key = mostly(fc.constantFrom('note', 'plan', 'seats', 'source', 'k'), hostileText) as fc.Arbitrary<string>;

/** JSON of any shape, whose strings and numbers are now and then hostile. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: mostly(ordinaryText, hostileText) },
    { weight: 2, arbitrary: mostly(fc.integer(), hostileNumber) },
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    { weight: 2, arbitrary: fc.dictionary(key, tie('value'), { maxKeys: 4 }) },
  ),
})).value;

/** A wrong value in place of an ordinary one: hostile text, a number, JSON of another shape, deep nesting. */
export const wrong: fc.Arbitrary<unknown> = fc.oneof(hostileText, hostileNumber, anyJson, deepNesting);
/** One field in twenty is wrong, so that about half the messages are ordinary in every field. */
export const field = <T>(ordinary: fc.Arbitrary<T>) => mostlyWeighted(20, ordinary, wrong);

const now = Date.parse('2026-05-04T09:00:00Z');
const day = 86_400_000;
/** Times in the accepted window and around its edges, from all of JavaScript's range, and not times at all. */
export const timestamp: fc.Arbitrary<unknown> = mostlyWeighted(
  40,
  fc.integer({ min: now - 1825 * day, max: now + 23 * 3_600_000 }).map((at) => new Date(at).toISOString()),
  fc.integer({ min: now - 2200 * day, max: now + 10 * day }).map((at) => new Date(at).toISOString()),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((at) => at.toISOString()),
  fc.constantFrom('-000001-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '0000-01-01', '2026-13-45T99:00:00Z', 'now'),
  wrong,
);

/** JSON text for a value, with the deep-nesting markers written out as nested text. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"@@deep:(\d+):([ol])"/g, (_whole, levels: string, kind: string) => {
    const count = Number(levels);
    return kind === 'l' ? `${'['.repeat(count)}1${']'.repeat(count)}` : `${'{"a":'.repeat(count)}1${'}'.repeat(count)}`;
  });
}

const percentEncoded = (value: string) =>
  [...Buffer.from(value, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

/** Form-encoded text of parameters, each value's UTF-8 bytes percent-encoded (NUL included). */
export function formText(parameters: Record<string, string>): string {
  const pairs = Object.entries(parameters).map(([name, value]) => `${percentEncoded(name)}=${percentEncoded(value)}`);
  return pairs.join('&');
}

/** A path segment as a client would percent-encode it, or with raw escapes that are not UTF-8. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  hostileText.map(percentEncoded),
  fc.constantFrom(
    '%00',
    'abc%00def',
    '%ED%A0%80',
    '%FF',
    '%',
    '-'.repeat(36),
    'urn:uuid:0190b6c0-0000-7000-8000-000000000000',
    '0190b6c0-0000-7000-8000-000000000000',
  ),
);

/** The content-type header, or none. */
export const contentTypeHeader = (contentType: string | null): Record<string, string> =>
  contentType === null ? {} : { 'content-type': contentType };
export const contentType = mostly(
  fc.constant('application/json'),
  fc.constantFrom<string | null>(
    'text/plain',
    null,
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
  ),
  fc.constant('application/json; charset=latin1'),
) as fc.Arbitrary<string | null>;
