import { describe, expect, it } from 'vitest';
import { BatchSizer } from './batch-sizer.js';

describe('BatchSizer', () => {
  it('takes as many as it may without a budget', () => {
    const sizer = new BatchSizer(null);
    sizer.record(500, 10_000);
    expect(sizer.next(500)).toBe(500);
  });

  it('starts small, then settles on the size whose whole batch fits the budget', () => {
    const sizer = new BatchSizer(20);
    expect(sizer.next(500)).toBe(10);
    // A batch costs 5 ms whatever its size, and 0.35 ms per account: 43 accounts fill 20 ms.
    const cost = (accounts: number): number => 5 + 0.35 * accounts;
    let size = sizer.next(500);
    for (let batch = 0; batch < 40; batch++) {
      sizer.record(size, cost(size));
      size = sizer.next(500);
    }
    expect(size).toBeGreaterThanOrEqual(41);
    expect(size).toBeLessThanOrEqual(43);
    expect(cost(size)).toBeLessThanOrEqual(20);
  });

  it('never asks for more than the lane allows, nor for none', () => {
    const fast = new BatchSizer(20);
    fast.record(10, 0.1);
    expect(fast.next(500)).toBe(500);
    expect(fast.next(50)).toBe(50);
    const slow = new BatchSizer(20);
    slow.record(1, 400);
    expect(slow.next(500)).toBe(1);
  });

  it('follows a change in cost, and ignores empty batches', () => {
    const sizer = new BatchSizer(20);
    sizer.record(10, 2);
    expect(sizer.next(500)).toBe(100);
    sizer.record(0, 1000);
    expect(sizer.next(500)).toBe(100);
    for (let batch = 0; batch < 20; batch++) sizer.record(sizer.next(500), sizer.next(500) * 1);
    expect(sizer.next(500)).toBe(20);
  });
});
