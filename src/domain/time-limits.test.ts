import { describe, expect, it } from 'vitest';
import { validateTendConfig } from './relationship/config-validation.js';
import { defaultEventTimeWindow, eventTimeProblem, storableTimeProblem } from './time-limits.js';

const now = new Date('2026-05-04T09:00:00Z');
const day = 86_400_000;
const at = (milliseconds: number) => new Date(milliseconds);
const problemAt = (time: Date) => eventTimeProblem(time, now, defaultEventTimeWindow);

describe('eventTimeProblem', () => {
  it('accepts five years back to a day ahead by default, edges included', () => {
    expect(problemAt(at(now.getTime() - 1826 * day))).toBeNull();
    expect(problemAt(at(now.getTime() + day))).toBeNull();
    expect(problemAt(now)).toBeNull();
  });

  it('refuses older and later times, saying which setting to raise', () => {
    expect(problemAt(new Date('2019-03-01T00:00:00Z'))).toBe(
      'is 2019-03-01T00:00:00.000Z, more than 1826 days before now (2026-05-04T09:00:00.000Z); ' +
        'send events from 2021-05-04T09:00:00.000Z on, or raise ingest.maximumAgeDays in tend.config.yaml',
    );
    expect(problemAt(at(now.getTime() + day + 1))).toMatch(/more than 24 hours after now .*ingest\.maximumFutureHours/);
    expect(problemAt(at(-8.64e15))).toMatch(/^is -271821-04-20T00:00:00\.000Z, more than/);
    const narrow = { maximumAgeDays: 1, maximumFutureHours: 0 };
    expect(eventTimeProblem(at(8.64e15), now, narrow)).toMatch(/more than 0 hours after/);
  });
});

describe('storableTimeProblem', () => {
  it('accepts the years 1 to 9999 and refuses the rest and invalid dates', () => {
    expect(storableTimeProblem(new Date('0001-01-01T00:00:00Z'))).toBeNull();
    expect(storableTimeProblem(new Date('9999-12-31T23:59:59.999Z'))).toBeNull();
    expect(storableTimeProblem(new Date('+010000-01-01T00:00:00Z'))).toBe(
      'is +010000-01-01T00:00:00.000Z, not between the years 1 and 9999',
    );
    expect(storableTimeProblem(new Date(Number.NaN))).toBe('is not a time between the years 1 and 9999');
  });
});

describe('tend.config.yaml ingest section', () => {
  it('defaults to the window above and reads both settings', () => {
    expect(validateTendConfig(undefined, 'tend.config.yaml').ingest).toEqual(defaultEventTimeWindow);
    const wide = { maximumAgeDays: 3650, maximumFutureHours: 0 };
    expect(validateTendConfig({ ingest: wide }, 'tend.config.yaml').ingest).toEqual(wide);
  });

  it('refuses wrong values with their YAML path', () => {
    const read = (ingest: unknown) => () => validateTendConfig({ ingest }, 'tend.config.yaml');
    expect(read({ maximumAgeDays: 0, maximumFutureHours: 1.5 })).toThrow(
      new RegExp(
        'ingest\\.maximumAgeDays must be a whole number of days from 1 to 36525, got 0.*' +
          'ingest\\.maximumFutureHours must be a whole number of hours from 0 to 8784, got 1\\.5',
      ),
    );
    expect(read({ maximumAge: 1 })).toThrow(/ingest\.maximumAge is not a setting here; allowed: maximumAgeDays, /);
  });
});
