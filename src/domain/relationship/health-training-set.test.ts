// Checks the point-in-time training set: which days are sampled, which rows are labelled, and that no
// outcome from after a sample's horizon, nor a horizon not over yet, reaches a label.
import { describe, expect, it } from 'vitest';
import { type HealthSampleRow, labelledSampleDays, labelSamples } from './health-training-set.js';

const row = (accountId: string, day: string): HealthSampleRow => ({ accountId, day, scores: { relationship: 50 } });
const at = (instant: string) => new Date(instant);

describe('labelledSampleDays', () => {
  it('gives the last 52 Mondays whose day ended 91 days or more before now, oldest first', () => {
    // 2026-06-01 is a Monday; 2026-06-01 + 92 days = 2026-09-01.
    const days = labelledSampleDays(at('2026-09-01T00:00:00Z'));
    expect(days).toHaveLength(52);
    expect(days[51]).toBe('2026-06-01');
    expect(days[50]).toBe('2026-05-25');
    expect(labelledSampleDays(at('2026-08-31T23:59:59Z'))[51]).toBe('2026-05-25');
    for (const day of days) expect(new Date(`${day}T00:00:00Z`).getUTCDay()).toBe(1);
  });
});

describe('labelSamples', () => {
  const now = at('2026-09-01T00:00:00Z');
  const day = '2026-06-01';

  it('labels lost the accounts lost within 91 days after the day ended, and not lost the others', () => {
    const losses = new Map([
      ['inside', at('2026-06-15T10:00:00Z')],
      ['last-instant', at('2026-08-31T23:59:59Z')],
      ['after', at('2026-09-01T00:00:00Z')],
    ]);
    const samples = labelSamples(
      ['inside', 'last-instant', 'after', 'kept'].map((id) => row(id, day)),
      losses,
      now,
    );
    expect(samples.map((sample) => [sample.accountId, sample.lost])).toEqual([
      ['inside', 1],
      ['last-instant', 1],
      // A loss after the horizon is no label of this sample: only what the 13 weeks held.
      ['after', 0],
      ['kept', 0],
    ]);
  });

  it('leaves out an account already lost by the end of the day, and a day whose horizon is not over', () => {
    const losses = new Map([
      ['lost-before', at('2026-05-01T00:00:00Z')],
      ['lost-that-day', at('2026-06-01T18:00:00Z')],
    ]);
    const samples = labelSamples(
      [row('lost-before', day), row('lost-that-day', day), row('too-recent', '2026-06-02'), row('kept', day)],
      losses,
      now,
    );
    expect(samples.map((sample) => sample.accountId)).toEqual(['kept']);
  });
});
