// Verdicts about secrets without a database look-up per request: one look-up at a time per secret,
// a busy key answered from memory while it is looked up again, a wrong key refused from memory, and a
// revoked key refused within two lifetimes.
import { describe, expect, it } from 'vitest';
import { VerdictCache } from './verdict-cache.js';

const lifetimes = { knownMilliseconds: 5_000, unknownMilliseconds: 10_000, entries: 3 };

/** Stands in for the database: counts look-ups and answers them when told. */
function database(verdictOf: (secret: string) => string | null) {
  const waiting: (() => void)[] = [];
  const calls: string[] = [];
  return {
    calls,
    answerAll: () => waiting.splice(0).forEach((answer) => answer()),
    lookUp: (secret: string): Promise<string | null> => {
      calls.push(secret);
      return new Promise((done) => waiting.push(() => done(verdictOf(secret))));
    },
  };
}

const settle = (): Promise<void> => new Promise((done) => setImmediate(done));

describe('VerdictCache', () => {
  it('looks a secret up once however many requests wait for it, then answers from memory', async () => {
    const fake = database(() => 'web');
    const cache = new VerdictCache(fake.lookUp, lifetimes);
    const answers = Array.from({ length: 50 }, () => cache.verdict('wk_one', 'h1', 0));
    fake.answerAll();
    expect(new Set(await Promise.all(answers))).toEqual(new Set(['web']));
    expect(await cache.verdict('wk_one', 'h1', 4_999)).toBe('web');
    expect(fake.calls).toHaveLength(1);
  });

  it('past its lifetime answers from memory while it looks again; a revocation shows in two lifetimes', async () => {
    let value: string | null = 'web';
    const fake = database(() => value);
    const cache = new VerdictCache(fake.lookUp, lifetimes);
    const first = cache.verdict('wk_one', 'h1', 0);
    fake.answerAll();
    await first;
    value = null; // revoked in the database
    const stale = await Promise.all(Array.from({ length: 20 }, () => cache.verdict('wk_one', 'h1', 5_000)));
    expect(stale.every((answer) => answer === 'web')).toBe(true);
    expect(fake.calls).toHaveLength(2);
    fake.answerAll();
    await settle();
    expect(await cache.verdict('wk_one', 'h1', 5_001)).toBeNull();
    expect(fake.calls).toHaveLength(2); // refused from memory now
  });

  it('a key idle past two lifetimes waits for a fresh answer instead of an old one', async () => {
    let value: string | null = 'web';
    const fake = database(() => value);
    const cache = new VerdictCache(fake.lookUp, lifetimes);
    const first = cache.verdict('wk_one', 'h1', 0);
    fake.answerAll();
    await first;
    value = null;
    const later = cache.verdict('wk_one', 'h1', 10_000);
    fake.answerAll();
    expect(await later).toBeNull();
  });

  it('refuses a wrong secret from memory for its lifetime, then asks again', async () => {
    const fake = database(() => null);
    const cache = new VerdictCache(fake.lookUp, lifetimes);
    const first = cache.verdict('wrong', 'h0', 0);
    fake.answerAll();
    expect(await first).toBeNull();
    for (let at = 1; at < 10_000; at += 1_000) expect(await cache.verdict('wrong', 'h0', at)).toBeNull();
    expect(fake.calls).toHaveLength(1);
    const again = cache.verdict('wrong', 'h0', 10_000);
    fake.answerAll();
    await again;
    expect(fake.calls).toHaveLength(2);
  });

  it('keeps a bounded number of wrong secrets, apart from the known ones', async () => {
    const fake = database((secret) => (secret === 'good' ? 'web' : null));
    const cache = new VerdictCache(fake.lookUp, lifetimes);
    const ask = async (secret: string) => {
      const answer = cache.verdict(secret, secret, 0);
      fake.answerAll();
      return answer;
    };
    await ask('good');
    for (let index = 0; index < 10; index++) await ask(`wrong-${index}`);
    expect(await cache.verdict('good', 'good', 1)).toBe('web'); // wrong keys did not push it out
    expect(fake.calls).toHaveLength(11);
    await ask('wrong-0'); // the oldest wrong key was forgotten
    expect(fake.calls).toHaveLength(12);
  });
});
