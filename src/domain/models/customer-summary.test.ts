// Summaries of small hand-made purchase logs, checked day by day.
import { describe, expect, it } from 'vitest';
import { epochDay, groupHistories, parseDay, summariseCustomers, type Transaction } from './customer-summary.js';
import { ModelInputError } from './model-input-error.js';

describe('parseDay', () => {
  it('reads ISO days as epoch days without the clock', () => {
    expect(parseDay('1970-01-01')).toBe(0);
    expect(parseDay('1997-09-30')).toBe(10134);
    expect(parseDay('2000-02-29') - parseDay('2000-02-28')).toBe(1);
    expect(parseDay(12345)).toBe(12345);
    expect(epochDay(1998, 6, 30) - epochDay(1997, 9, 30)).toBe(273);
  });

  it('refuses what is not a day', () => {
    expect(() => parseDay('1997-02-29')).toThrow(ModelInputError);
    expect(() => parseDay('1997-13-01')).toThrow(ModelInputError);
    expect(() => parseDay('30/09/1997')).toThrow(ModelInputError);
    expect(() => parseDay(1.5)).toThrow(ModelInputError);
  });
});

describe('summariseCustomers', () => {
  const log: Transaction[] = [
    { customerId: 'ann', day: '2024-01-01', amount: 10 },
    { customerId: 'ann', day: '2024-01-01', amount: 5 }, // same day: one purchase of 15
    { customerId: 'ann', day: '2024-01-15', amount: 20 },
    { customerId: 'ann', day: '2024-01-29', amount: 30 },
    { customerId: 'ann', day: '2024-01-29', amount: 4 },
    { customerId: 'ann', day: '2024-02-20', amount: 7 }, // holdout
    { customerId: 'ann', day: '2024-02-21', amount: 7 }, // holdout
    { customerId: 'bob', day: '2024-01-22' },
    { customerId: 'cat', day: '2024-02-10', amount: 3 }, // first purchase after calibration: left out
  ];
  const options = { calibrationEnd: '2024-02-05', holdoutEnd: '2024-03-04', timeUnit: 'week' } as const;

  it('counts repeat purchase days, recency and age in weeks', () => {
    const [ann, bob, ...rest] = summariseCustomers(log, options);
    expect(rest).toHaveLength(0);
    expect(ann).toMatchObject({ customerId: 'ann', frequency: 2, recency: 4, age: 5, holdoutFrequency: 2 });
    // Repeat days spent 20 and 34: the first purchase is not part of the average.
    expect(ann!.averageRepeatValue).toBe(27);
    expect(bob).toMatchObject({ frequency: 0, recency: 0, age: 2, holdoutFrequency: 0, averageRepeatValue: null });
  });

  it('works in days and without a holdout', () => {
    const [ann] = summariseCustomers(log, { calibrationEnd: parseDay('2024-02-05'), timeUnit: 'day' });
    expect(ann).toMatchObject({ frequency: 2, recency: 28, age: 35, holdoutFrequency: 0 });
  });

  it('refuses a holdout that ends before calibration', () => {
    expect(() => summariseCustomers(log, { ...options, holdoutEnd: '2024-01-01' })).toThrow(ModelInputError);
  });
});

describe('groupHistories', () => {
  it('counts identical histories once', () => {
    const groups = groupHistories([
      { frequency: 1, recency: 2, age: 5 },
      { frequency: 0, recency: 0, age: 5 },
      { frequency: 1, recency: 2, age: 5 },
      { frequency: 0, recency: 0, age: 3 },
    ]);
    expect(groups).toEqual([
      { frequency: 0, recency: 0, age: 3, count: 1 },
      { frequency: 0, recency: 0, age: 5, count: 1 },
      { frequency: 1, recency: 2, age: 5, count: 2 },
    ]);
  });
});
