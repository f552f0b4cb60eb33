// What text and JSON from outside must be before Tend stores any of it: PostgreSQL's text and jsonb
// cannot hold a NUL character, a lone UTF-16 surrogate is no character at all (jsonb refuses it, text
// would turn it silently into U+FFFD, so two ids would become one), numbers must be finite, and deep
// nesting costs every reader.
import type { FieldProblem } from './errors.js';

/** Objects and arrays may nest this deep in a request, counting the body itself. */
export const maximumJsonDepth = 64;

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text cannot be stored (words that follow its field's name), or null when it can. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored: remove it';
  if (loneSurrogate.test(text)) {
    return 'contains a lone UTF-16 surrogate (such as \\ud800), which is not a character: send valid Unicode text';
  }
  return null;
}

const plainKey = /^[A-Za-z_$][\w$-]*$/;

/** The path of a child, as the API names fields: `properties.note`, `batch[3]`, `traits["first name"]`. */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (plainKey.test(key) && key.length <= 64) return parent === '' ? key : `${parent}.${key}`;
  const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
  return `${parent}[${JSON.stringify(shown)}]`;
}

interface Pending {
  readonly value: unknown;
  readonly path: string;
  readonly depth: number;
}

// Most texts have neither a NUL nor a surrogate: this one test passes them without a closer look.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point; PostgreSQL cannot store it.
const possiblyUnstorable = /[\u0000\uD800-\uDFFF]/;
const unstorable = (text: string): boolean => possiblyUnstorable.test(text) && textProblem(text) !== null;

/** Whether anything cannot be stored or nests too deep: one pass that builds no paths (every request pays it). */
function anyProblem(value: unknown): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const next = values.pop();
    const depth = depths.pop()!;
    if (typeof next === 'string') {
      if (unstorable(next)) return true;
      continue;
    }
    if (typeof next === 'number' && !Number.isFinite(next)) return true;
    if (typeof next !== 'object' || next === null) continue;
    if (depth > maximumJsonDepth) return true;
    if (Array.isArray(next)) {
      for (const item of next) {
        values.push(item);
        depths.push(depth + 1);
      }
      continue;
    }
    const object = next as Record<string, unknown>;
    // Parsed JSON holds plain objects only, whose keys for…in lists without building an array.
    for (const key in object) {
      if (unstorable(key)) return true;
      values.push(object[key]);
      depths.push(depth + 1);
    }
  }
  return false;
}

/**
 * Every string and key of a parsed JSON value that cannot be stored, and the first place it nests
 * deeper than the limit; at most `limit` problems. Walks with its own stack, so no nesting can
 * overflow the call stack. `root` names the value itself ('' for a body whose fields are top-level).
 */
export function jsonProblems(value: unknown, root: string, limit = 10): FieldProblem[] {
  if (!anyProblem(value)) return [];
  const problems: FieldProblem[] = [];
  const pending: Pending[] = [{ value, path: root, depth: 1 }];
  while (pending.length > 0 && problems.length < limit) {
    const next = pending.pop()!;
    const field = next.path === '' ? 'body' : next.path;
    if (typeof next.value === 'string') {
      const problem = textProblem(next.value);
      if (problem !== null) problems.push({ field, message: problem });
      continue;
    }
    // JSON.parse reads 1e400 as Infinity, and so does the validator's coercion of a query's "1e400".
    if (typeof next.value === 'number' && !Number.isFinite(next.value)) {
      problems.push({ field, message: 'is a number too large to store (beyond ±1.7976931348623157e308)' });
      continue;
    }
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > maximumJsonDepth) {
      const shown = field.length > 200 ? `${field.slice(0, 200)}…` : field;
      const message = `nests deeper than ${maximumJsonDepth} levels of objects and arrays, the limit: flatten it`;
      problems.push({ field: shown, message });
      // One report of too deep nesting is enough.
      pending.length = 0;
      continue;
    }
    if (Array.isArray(next.value)) {
      for (let index = next.value.length - 1; index >= 0; index--) {
        pending.push({ value: next.value[index], path: fieldPath(next.path, index), depth: next.depth + 1 });
      }
      continue;
    }
    const children: Pending[] = [];
    for (const [key, child] of Object.entries(next.value)) {
      const path = fieldPath(next.path, key);
      const problem = textProblem(key);
      if (problem === null) children.push({ value: child, path, depth: next.depth + 1 });
      else problems.push({ field: path, message: `is a key that ${problem}` });
    }
    for (let index = children.length - 1; index >= 0; index--) pending.push(children[index]!);
  }
  return problems.slice(0, limit);
}
