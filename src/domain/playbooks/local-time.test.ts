// Checks local wall-clock conversions in real IANA zones, including the nights clocks change.
import { describe, expect, it } from 'vitest';
import { instantOfLocal, isValidTimeZone, localDateTime, nextLocalTime } from './local-time.js';

describe('localDateTime', () => {
  it('reads the wall clock in winter and summer time', () => {
    expect(localDateTime(new Date('2025-01-15T12:00:00Z'), 'Europe/Berlin')).toEqual({
      year: 2025,
      month: 1,
      day: 15,
      hour: 13,
      minute: 0,
      second: 0,
    });
    expect(localDateTime(new Date('2025-07-15T12:00:00Z'), 'Europe/Berlin')).toMatchObject({ hour: 14 });
    expect(localDateTime(new Date('2025-07-15T03:30:00Z'), 'America/New_York')).toMatchObject({
      day: 14,
      hour: 23,
      minute: 30,
    });
    expect(localDateTime(new Date('2025-07-15T00:00:00Z'), 'UTC')).toMatchObject({ hour: 0 });
  });

  it('knows which zones exist', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('instantOfLocal', () => {
  it('round-trips ordinary local times', () => {
    const local = { year: 2025, month: 3, day: 10, hour: 8, minute: 0 };
    expect(instantOfLocal(local, 'America/New_York').toISOString()).toBe('2025-03-10T12:00:00.000Z');
    expect(instantOfLocal(local, 'Europe/Berlin').toISOString()).toBe('2025-03-10T07:00:00.000Z');
    expect(instantOfLocal({ ...local, hour: 23, minute: 59 }, 'Asia/Kolkata').toISOString()).toBe(
      '2025-03-10T18:29:00.000Z',
    );
  });

  it('moves a time skipped by spring-forward ahead by the gap, and takes the first of a repeated time', () => {
    // Berlin: 2025-03-30 02:00 CET → 03:00 CEST; 2025-10-26 03:00 CEST → 02:00 CET.
    expect(instantOfLocal({ year: 2025, month: 3, day: 30, hour: 2, minute: 30 }, 'Europe/Berlin').toISOString()).toBe(
      '2025-03-30T01:30:00.000Z',
    );
    expect(instantOfLocal({ year: 2025, month: 10, day: 26, hour: 2, minute: 30 }, 'Europe/Berlin').toISOString()).toBe(
      '2025-10-26T00:30:00.000Z',
    );
    expect(instantOfLocal({ year: 2025, month: 10, day: 26, hour: 8, minute: 0 }, 'Europe/Berlin').toISOString()).toBe(
      '2025-10-26T07:00:00.000Z',
    );
  });
});

describe('nextLocalTime', () => {
  it('gives today when the time is still ahead, tomorrow when it has passed, and now when it is now', () => {
    expect(nextLocalTime(new Date('2025-06-02T05:00:00Z'), 'Europe/Berlin', 9, 0).toISOString()).toBe(
      '2025-06-02T07:00:00.000Z',
    );
    expect(nextLocalTime(new Date('2025-06-02T08:00:00Z'), 'Europe/Berlin', 9, 0).toISOString()).toBe(
      '2025-06-03T07:00:00.000Z',
    );
    expect(nextLocalTime(new Date('2025-06-02T07:00:00Z'), 'Europe/Berlin', 9, 0).toISOString()).toBe(
      '2025-06-02T07:00:00.000Z',
    );
  });

  it('lands on 08:00 local on the days clocks change in New York', () => {
    // 2025-03-09: EST (−5) until 02:00, EDT (−4) after; 2025-11-02: EDT until 02:00, EST after.
    expect(nextLocalTime(new Date('2025-03-09T03:00:00Z'), 'America/New_York', 8, 0).toISOString()).toBe(
      '2025-03-09T12:00:00.000Z',
    );
    expect(nextLocalTime(new Date('2025-11-02T03:00:00Z'), 'America/New_York', 8, 0).toISOString()).toBe(
      '2025-11-02T13:00:00.000Z',
    );
  });
});
