import { describe, expect, it } from 'vitest';
import { nextOccurrence, parseSchedule } from './schedule-expression.js';

const schedule = (text: string) => {
  const parsed = parseSchedule(text);
  if (!('schedule' in parsed)) throw new Error(parsed.problem);
  return parsed.schedule;
};

describe('next occurrence of a schedule', () => {
  it('finds the next Monday 09:00 UTC for "0 9 * * MON", strictly after the given instant', () => {
    expect(nextOccurrence(schedule('0 9 * * MON'), new Date('2026-11-30T08:59:00Z')).toISOString()).toBe(
      '2026-11-30T09:00:00.000Z',
    );
    expect(nextOccurrence(schedule('0 9 * * MON'), new Date('2026-11-30T09:00:00Z')).toISOString()).toBe(
      '2026-12-07T09:00:00.000Z',
    );
  });

  it('handles steps, ranges, lists and month ends', () => {
    expect(nextOccurrence(schedule('*/15 8-17 * * MON-FRI'), new Date('2026-12-04T17:50:00Z')).toISOString()).toBe(
      '2026-12-07T08:00:00.000Z',
    );
    expect(nextOccurrence(schedule('30 6 1,15 * *'), new Date('2026-01-15T07:00:00Z')).toISOString()).toBe(
      '2026-02-01T06:30:00.000Z',
    );
    expect(nextOccurrence(schedule('0 0 29 2 *'), new Date('2026-03-01T00:00:00Z')).toISOString()).toBe(
      '2028-02-29T00:00:00.000Z',
    );
  });

  it('matches day of month OR day of week when both are restricted, as cron does', () => {
    expect(nextOccurrence(schedule('0 12 13 * FRI'), new Date('2026-11-30T00:00:00Z')).toISOString()).toBe(
      '2026-12-04T12:00:00.000Z',
    );
  });

  it('repeats an interval from its start, or from the epoch without one', () => {
    expect(nextOccurrence(schedule('R/2026-01-05T09:00:00Z/P1W'), new Date('2026-01-01T00:00:00Z')).toISOString()).toBe(
      '2026-01-05T09:00:00.000Z',
    );
    expect(nextOccurrence(schedule('R/2026-01-05T09:00:00Z/P1W'), new Date('2026-01-05T09:00:00Z')).toISOString()).toBe(
      '2026-01-12T09:00:00.000Z',
    );
    expect(nextOccurrence(schedule('R/P1D'), new Date('2026-11-30T15:00:00Z')).toISOString()).toBe(
      '2026-12-01T00:00:00.000Z',
    );
  });
});
