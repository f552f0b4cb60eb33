import { describe, expect, it } from 'vitest';
import { OneAtATime } from './one-at-a-time.js';

describe('OneAtATime', () => {
  it('runs work sharing a key one after another, in order, and work with other keys alongside', async () => {
    const queue = new OneAtATime();
    const log: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = queue.run(['ana', '10.0.0.1'], async () => {
      log.push('first starts');
      await gate;
      log.push('first ends');
    });
    const second = queue.run(['ana'], async () => log.push('second'));
    const third = queue.run(['10.0.0.1', 'ben'], async () => log.push('third'));
    const other = queue.run(['carl'], async () => log.push('other'));
    await other;
    expect(log).toEqual(['first starts', 'other']);
    release();
    await Promise.all([first, second, third]);
    expect(log).toEqual(['first starts', 'other', 'first ends', 'second', 'third']);
  });

  it('goes on after a failure, and forgets keys once their work is done', async () => {
    const queue = new OneAtATime();
    await expect(queue.run(['ana'], async () => Promise.reject(new Error('wrong password')))).rejects.toThrow(
      'wrong password',
    );
    expect(await queue.run(['ana'], async () => 'next')).toBe('next');
    expect((queue as unknown as { tails: Map<string, unknown> }).tails.size).toBe(0);
  });
});
