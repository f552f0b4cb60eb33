// Checks the disengagement detector on hand-built series and on seeded populations of subjects.
import { describe, expect, it } from 'vitest';
import {
  assessDisengagement,
  detectDisengagement,
  emptyActivityBaseline,
  negativeBinomialLowerTail,
  recordWeek,
  weeklyCounts,
  type ActivityBaseline,
} from './disengagement.js';
import {
  dropDetectionRate,
  falseAlarmRate,
  newSubjectVerdictRate,
  weekdaySeasonalityAlarmRate,
} from './reproductions/simulation-checks.js';

function weeksOf(counts: readonly number[]): ActivityBaseline {
  return counts.reduce((state, count) => recordWeek(state, count), emptyActivityBaseline());
}

/** Daily counts for whole weeks: `weekday` on Monday–Friday and `weekend` on Saturday and Sunday. */
function dailySeries(weeks: number, weekday: number, weekend: number): number[] {
  return Array.from({ length: weeks * 7 }, (_, day) => (day % 7 < 5 ? weekday : weekend));
}

describe('negativeBinomialLowerTail', () => {
  it('matches Poisson and negative-binomial tables', () => {
    expect(negativeBinomialLowerTail(2, 6, 6)).toBeCloseTo(0.0619688, 6);
    expect(negativeBinomialLowerTail(9, 20, 20)).toBeCloseTo(0.0049954, 6);
    // size 5, mean 10 (variance 30): scipy.stats.nbinom.cdf(3, 5, 1/3) = 0.0879439
    expect(negativeBinomialLowerTail(3, 10, 30)).toBeCloseTo(0.0879439, 6);
  });

  it('stays finite for large counts and is about one half at the mean', () => {
    expect(negativeBinomialLowerTail(1000, 1000, 1000)).toBeCloseTo(0.5084, 3);
    expect(negativeBinomialLowerTail(100, 2000, 2000)).toBeLessThan(1e-300);
  });
});

describe('weeklyCounts', () => {
  it('totals whole weeks ending on the last day and drops a leading partial week', () => {
    const days = [9, 9, ...Array.from({ length: 14 }, (_, day) => day)];
    expect(weeklyCounts(days)).toEqual([0 + 1 + 2 + 3 + 4 + 5 + 6, 7 + 8 + 9 + 10 + 11 + 12 + 13]);
  });
});

describe('assessDisengagement', () => {
  it('flags a steady subject whose week collapses, in words', () => {
    const verdict = assessDisengagement(weeksOf([12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 2]), 'sign-ins');
    expect(verdict.kind).toBe('disengaging');
    if (verdict.kind !== 'disengaging') return;
    expect(verdict.reason).toBe('sign-ins fell from about 12 a week to 2');
    expect(verdict.windowWeeks).toBe(1);
    expect(verdict.dropShare).toBeCloseTo(10 / 12, 6);
    expect(verdict.probability).toBeLessThan(0.003);
  });

  it('calls an ordinary week normal, and a busier one normal with a negative drop', () => {
    expect(assessDisengagement(weeksOf([12, 11, 13, 12, 12, 10, 14, 12, 11]), 'clicks').kind).toBe('normal');
    const rising = assessDisengagement(weeksOf([10, 10, 10, 10, 10, 10, 25]), 'clicks');
    expect(rising.kind).toBe('normal');
    if (rising.kind === 'normal') expect(rising.dropShare).toBeLessThan(0);
  });

  it('forgives the same quiet week in a subject that is bursty by nature', () => {
    const steady = [20, 20, 20, 20, 20, 20, 20, 20, 20, 20];
    const bursty = [5, 35, 5, 35, 5, 35, 5, 35, 5, 35];
    expect(assessDisengagement(weeksOf([...steady, 6]), 'sign-ins').kind).toBe('disengaging');
    expect(assessDisengagement(weeksOf([...bursty, 6]), 'sign-ins').kind).toBe('normal');
  });

  it('withholds judgement for fewer than five whole weeks, then judges', () => {
    for (let weeks = 0; weeks <= 4; weeks++) {
      const verdict = assessDisengagement(
        weeksOf([...new Array<number>(Math.max(0, weeks - 1)).fill(20), 0].slice(0, weeks)),
        'use',
      );
      expect(verdict).toMatchObject({ kind: 'insufficient-history', weeksObserved: weeks });
    }
    expect(assessDisengagement(weeksOf([20, 20, 20, 20, 0]), 'use').kind).toBe('disengaging');
  });

  it('lets the baseline adapt: a lasting drop stops alarming once it is the new normal', () => {
    const kinds = [];
    let state = weeksOf(new Array<number>(12).fill(20));
    for (let week = 0; week < 40; week++) {
      state = recordWeek(state, 6);
      kinds.push(assessDisengagement(state, 'use').kind);
    }
    expect(kinds[0]).toBe('disengaging');
    expect(kinds.at(-1)).toBe('normal');
  });
});

describe('incremental state and batch series', () => {
  it('gives the same verdict from JSON-stored state as from the daily series', () => {
    const days = [...dailySeries(10, 3, 0), ...dailySeries(2, 0.4, 0)];
    let state = emptyActivityBaseline();
    for (const week of weeklyCounts(days))
      state = JSON.parse(JSON.stringify(recordWeek(state, week))) as ActivityBaseline;
    expect(assessDisengagement(state, 'sign-ins')).toEqual(detectDisengagement(days, 'sign-ins'));
    expect(detectDisengagement(days, 'sign-ins').kind).toBe('disengaging');
  });

  it('is blind to weekday seasonality: a weekend is never a drop, whichever day the series ends', () => {
    const days = dailySeries(12, 4, 0.4);
    for (let end = days.length - 7; end <= days.length; end++) {
      expect(detectDisengagement(days.slice(0, end), 'sign-ins').kind).toBe('normal');
    }
  });
});

describe('seeded populations', { timeout: 60_000 }, () => {
  it('catches a 60 % drop within 2 weeks in ≥ 95 % of subjects at 30–60 a week', () => {
    expect(dropDetectionRate(1, 1000, 30, 60, 2)).toBeGreaterThanOrEqual(0.95);
  });

  it('catches a 60 % drop within 4 weeks in ≥ 95 % of subjects at 12–30 a week', () => {
    expect(dropDetectionRate(2, 1000, 12, 30, 4)).toBeGreaterThanOrEqual(0.95);
  });

  it('is slower for sparse subjects, as the counts allow: more is caught the longer the wait', () => {
    const byWeeks = [2, 4, 8].map((weeks) => dropDetectionRate(3, 1000, 3, 12, weeks));
    expect(byWeeks[0]!).toBeLessThan(byWeeks[1]!);
    expect(byWeeks[1]!).toBeLessThan(byWeeks[2]!);
  });

  it('raises ≤ 1 % false alarms per week on steady subjects, Poisson or overdispersed', () => {
    expect(falseAlarmRate(4, 1000, 40, Infinity)).toBeLessThanOrEqual(0.01);
    expect(falseAlarmRate(5, 1000, 40, 5)).toBeLessThanOrEqual(0.01);
    expect(falseAlarmRate(6, 1000, 40, 2)).toBeLessThanOrEqual(0.01);
  });

  it('raises ≤ 1 % false alarms per day when weekends run at 10 % of weekdays', () => {
    expect(weekdaySeasonalityAlarmRate(7, 200, 30, 0.1)).toBeLessThanOrEqual(0.01);
  });

  it('never judges a subject with under five whole weeks', () => {
    expect(newSubjectVerdictRate(8, 1000)).toBe(0);
  });
});
