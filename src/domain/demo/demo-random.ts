// Seeded draws for the demo generator: one independent stream per purpose (an account, a day, a
// reaction), so that what one part draws never shifts another, and a year's first weeks are the same
// whatever happens in its last.
import { type Random, seededRandom } from '../models/random.js';

/** Mixes numbers into one 32-bit seed (a multiply–xorshift hash). */
export function mixSeed(...parts: readonly number[]): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    hash ^= part >>> 0;
    hash = Math.imul(hash, 0x01000193);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0x5bd1e995);
    hash ^= hash >>> 15;
  }
  return hash >>> 0;
}

/** A number for a text (an id), to seed a stream by it. */
export function textSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

/** The stream for one purpose: the company's seed and the parts that name the purpose. */
export function streamOf(seed: number, ...parts: readonly number[]): Random {
  return seededRandom(mixSeed(seed, ...parts));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[random.integer(items.length)];
  if (item === undefined) throw new Error('pick needs at least one item');
  return item;
}

/** An item drawn with probability proportional to its weight. */
export function pickWeighted<T>(random: Random, items: readonly T[], weightOf: (item: T) => number): T {
  const total = items.reduce((sum, item) => sum + weightOf(item), 0);
  let left = random.next() * total;
  for (const item of items) {
    left -= weightOf(item);
    if (left < 0) return item;
  }
  return pick(random, items);
}

/** A log-normal draw around a median: half the draws below it, a long tail above. */
export function aroundMedian(random: Random, median: number, spread: number): number {
  return median * Math.exp(spread * random.normal());
}

export const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
