// Which source a write key counts against, without a database look-up per request: the rate-limit
// hooks answer a flood from memory, and look a key up again once at a time.
import { describe, expect, it } from 'vitest';
import { SourceLookup } from './rate-limits.js';

type Source = { id: string; name: string };

/** Stands in for Credentials: counts look-ups and answers them when told. */
function credentials(sourceOf: (writeKey: string) => Source | null) {
  const waiting: (() => void)[] = [];
  const calls: string[] = [];
  return {
    calls,
    answerAll: () => waiting.splice(0).forEach((answer) => answer()),
    sourceFor: (writeKey: string | null): Promise<Source> => {
      calls.push(writeKey ?? '');
      return new Promise((done, failed) => {
        waiting.push(() => {
          const source = sourceOf(writeKey ?? '');
          if (source === null) failed(new Error('unknown write key'));
          else done(source);
        });
      });
    },
  };
}

const minute = 60_000;

describe('SourceLookup', () => {
  it('looks a key up once however many requests wait for it', async () => {
    const fake = credentials(() => ({ id: 's1', name: 'web' }));
    const lookup = new SourceLookup(fake);
    const answers = Array.from({ length: 50 }, () => lookup.sourceOf('wk_one', 0));
    fake.answerAll();
    expect(new Set((await Promise.all(answers)).map((source) => source?.id))).toEqual(new Set(['s1']));
    expect(fake.calls).toHaveLength(1);
    expect(await lookup.sourceOf('wk_one', 1000)).toEqual({ id: 's1', name: 'web' });
    expect(fake.calls).toHaveLength(1);
  });

  it('after a minute answers from memory while one look-up runs in the background', async () => {
    let name = 'web';
    const fake = credentials(() => ({ id: 's1', name }));
    const lookup = new SourceLookup(fake);
    const first = lookup.sourceOf('wk_one', 0);
    fake.answerAll();
    await first;
    name = 'web-renamed';
    const stale = await Promise.all(Array.from({ length: 20 }, () => lookup.sourceOf('wk_one', minute + 1)));
    expect(stale.every((source) => source?.name === 'web')).toBe(true);
    expect(fake.calls).toHaveLength(2);
    fake.answerAll();
    await new Promise((done) => setImmediate(done));
    expect((await lookup.sourceOf('wk_one', minute + 2))?.name).toBe('web-renamed');
  });

  it('forgets a key found unknown, so that a revoked key stops counting', async () => {
    let known = true;
    const fake = credentials(() => (known ? { id: 's1', name: 'web' } : null));
    const lookup = new SourceLookup(fake);
    const first = lookup.sourceOf('wk_one', 0);
    fake.answerAll();
    expect(await first).not.toBeNull();
    known = false;
    await lookup.sourceOf('wk_one', minute + 1); // still counted once, while it is looked up again
    fake.answerAll();
    await new Promise((done) => setImmediate(done));
    const after = lookup.sourceOf('wk_one', minute + 2);
    fake.answerAll();
    expect(await after).toBeNull();
    expect(await lookup.sourceOf(null, 0)).toBeNull();
  });
});
