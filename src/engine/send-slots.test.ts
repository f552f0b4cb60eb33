import { describe, expect, it } from 'vitest';
import { SendSlots } from './send-slots.js';

describe('SendSlots', () => {
  it('runs at most its size at once, the rest in order as slots come free', async () => {
    const slots = new SendSlots(2);
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const runs = [0, 1, 2, 3].map((index) =>
      slots.use(async () => {
        started.push(index);
        await new Promise<void>((done) => finish.push(done));
        return index;
      }),
    );
    await new Promise((resume) => setImmediate(resume));
    expect(started).toEqual([0, 1]);
    finish[0]!();
    await new Promise((resume) => setImmediate(resume));
    expect(started).toEqual([0, 1, 2]);
    for (const done of finish.slice(1)) done();
    await new Promise((resume) => setImmediate(resume));
    finish[3]?.();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
  });

  it('frees the slot of a send that failed', async () => {
    const slots = new SendSlots(1);
    await expect(slots.use(async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(await slots.use(async () => 'next')).toBe('next');
  });

  it('without a size, never waits', async () => {
    const slots = new SendSlots(null);
    const never = new Promise<void>(() => undefined);
    void slots.use(() => never);
    expect(await slots.use(async () => 'at once')).toBe('at once');
  });
});
