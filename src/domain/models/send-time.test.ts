// Checks send-time learning: hour-of-week indexing, smoothing toward the segment, and next-send choice.
import { describe, expect, it } from 'vitest';
import {
  bestSendHour,
  emptyResponseHourProfile,
  hourOfWeek,
  nextSendInstant,
  recordResponseHour,
  responseHourScores,
  type ResponseHourProfile,
} from './send-time.js';
import { businessHoursSegment, sendTimeHitRate } from './reproductions/simulation-checks.js';

const segment = businessHoursSegment();
const tuesdayEvening = hourOfWeek('tuesday', 19);
const thursdayMorning = hourOfWeek('thursday', 10);

function respondedAt(...hours: number[]): ResponseHourProfile {
  return hours.reduce(recordResponseHour, emptyResponseHourProfile());
}

describe('hourOfWeek', () => {
  it('counts from Monday 00:00', () => {
    expect(hourOfWeek('monday', 0)).toBe(0);
    expect(tuesdayEvening).toBe(43);
    expect(hourOfWeek('sunday', 23)).toBe(167);
    expect(() => hourOfWeek('friday', 24)).toThrow(/0–23/);
  });
});

describe('bestSendHour', () => {
  it("gives a person with no history the segment's best hour", () => {
    expect(bestSendHour(emptyResponseHourProfile(), segment)).toBe(thursdayMorning);
  });

  it('is not swayed by one stray response, but follows two that agree', () => {
    expect(bestSendHour(respondedAt(hourOfWeek('sunday', 3)), segment)).toBe(thursdayMorning);
    expect(bestSendHour(respondedAt(tuesdayEvening), segment)).toBe(thursdayMorning);
    expect(bestSendHour(respondedAt(tuesdayEvening, tuesdayEvening), segment)).toBe(tuesdayEvening);
  });

  it('finds a noisy Tuesday-19:00 responder (±1 h) after 6 responses in ≥ 90 % of 1,000 runs', () => {
    expect(sendTimeHitRate(31, 1000, 6)).toBeGreaterThanOrEqual(0.9);
  });
});

describe('responseHourScores', () => {
  it('is a distribution over the week that spreads across midnight on Sunday', () => {
    const scores = responseHourScores(respondedAt(167, 167, 167), emptyResponseHourProfile());
    expect(scores).toHaveLength(168);
    expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(scores[0]!).toBeCloseTo(scores[166]!, 12);
    expect(scores[0]!).toBeGreaterThan(scores[1]!);
    expect(bestSendHour(respondedAt(167, 167, 167), emptyResponseHourProfile())).toBe(167);
  });
});

describe('nextSendInstant', () => {
  const person = respondedAt(tuesdayEvening, tuesdayEvening, tuesdayEvening);

  it('waits for the best hour later the same day', () => {
    expect(nextSendInstant(person, segment, hourOfWeek('tuesday', 16) + 0.5)).toEqual({
      hourOfWeek: 43,
      waitHours: 2.5,
    });
  });

  it('sends at once when now is inside the best hour', () => {
    expect(nextSendInstant(person, segment, tuesdayEvening + 0.75)).toEqual({ hourOfWeek: 43, waitHours: 0 });
  });

  it('wraps into next week', () => {
    expect(nextSendInstant(person, segment, 100)).toEqual({ hourOfWeek: 43, waitHours: 168 - 100 + 43 });
  });

  it('keeps to the horizon when told not to wait long', () => {
    const wednesdayEarly = hourOfWeek('wednesday', 8);
    expect(nextSendInstant(person, segment, wednesdayEarly)).toEqual({ hourOfWeek: 43, waitHours: 168 - 56 + 43 });
    // Within six hours the segment's business hours lead; 10:00 is the first whose neighbours are both busy.
    expect(nextSendInstant(person, segment, wednesdayEarly, 6)).toEqual({
      hourOfWeek: hourOfWeek('wednesday', 10),
      waitHours: 2,
    });
  });
});
