// Scenario checks of the disengaging signal, for an account and for one person in it.
import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../account-snapshot-fixture.js';
import { evaluateAccount } from '../account-signals.js';
import type { AccountSnapshot } from '../account-snapshot.js';
import type { ActiveSignal, SignalKind } from '../signal.js';
import { defaultTendConfig as config } from '../tend-config.js';

function signalsOf(snapshot: AccountSnapshot, now: string, kind: SignalKind): ActiveSignal[] {
  return evaluateAccount(snapshot, config, new Date(now)).signals.filter((signal) => signal.kind === kind);
}

describe('disengaging', () => {
  const personDrifting =
    'raises disengaging for a person who drifts while the account keeps its level, and not for the account twice';
  it('raises disengaging when sign-ins drop by about 70 % for two weeks', () => {
    const usual = Array.from({ length: 8 * 7 }, () => 2); // 14 a week
    const dropped = Array.from({ length: 2 * 7 }, (_, day) => (day % 7 < 4 ? 1 : 0)); // 4 a week
    const snapshot = snapshotOf({
      activity: [
        { activity: 'Signed In', dailyCounts: [...usual, ...dropped], through: new Date('2026-03-11T00:00:00Z') },
      ],
    });
    const [signal] = signalsOf(snapshot, '2026-03-12T08:00:00Z', 'disengaging');
    expect(signal?.instance).toBe('Signed In');
    expect(signal?.reasons[0]).toMatch(
      /^Signed In fell from about 14 a week to 4 over the last 2 weeks \(down 71 %\)$/,
    );
    expect(signal?.valueAtStakeMinor).toBe(Math.round(1_000_000 * (1 - 4 / 14)));
    const steady = snapshotOf({
      activity: [{ activity: 'Signed In', dailyCounts: usual, through: new Date('2026-03-11T00:00:00Z') }],
    });
    expect(signalsOf(steady, '2026-03-12T08:00:00Z', 'disengaging')).toEqual([]);
  });

  it(personDrifting, () => {
    const through = new Date('2026-03-11T00:00:00Z');
    const series = (perDayBefore: number, perDayAfter: number) => [
      ...Array.from({ length: 8 * 7 }, () => perDayBefore),
      ...Array.from({ length: 2 * 7 }, () => perDayAfter),
    ];
    // Nina signed in twice a day and stopped; Tom and Ada took up the slack, so the account stays at 4 a day.
    const people = [
      {
        contactId: 'nina',
        name: 'Nina Lee',
        email: 'nina@acme.example',
        activity: [{ activity: 'Signed In', dailyCounts: series(2, 0), through }],
      },
      {
        contactId: 'tom',
        name: null,
        email: 'tom@acme.example',
        activity: [{ activity: 'Signed In', dailyCounts: series(1, 2), through }],
      },
      {
        contactId: 'ada',
        name: null,
        email: null,
        activity: [{ activity: 'Signed In', dailyCounts: series(1, 2), through }],
      },
    ];
    const snapshot = snapshotOf({ activity: [{ activity: 'Signed In', dailyCounts: series(4, 4), through }], people });
    const signals = signalsOf(snapshot, '2026-03-12T08:00:00Z', 'disengaging');
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({ instance: 'Signed In:nina', contactId: 'nina', valueAtStakeMinor: 500_000 });
    expect(signals[0]?.reasons).toEqual([
      'Nina Lee (nina@acme.example): Signed In fell from about 14 a week to 0 over the last 2 weeks (down 100 %), ' +
        'while the account as a whole has not fallen as far',
      "50 % of the account's usual Signed In was theirs",
    ]);
    // Someone who made under a tenth of the account's sign-ins raises nothing when they stop.
    const seat = {
      contactId: 'sid',
      name: null,
      email: null,
      activity: [{ activity: 'Signed In', dailyCounts: series(0.3, 0), through }],
    };
    expect(
      signalsOf(
        snapshotOf({ activity: [{ activity: 'Signed In', dailyCounts: series(4, 4), through }], people: [seat] }),
        '2026-03-12T08:00:00Z',
        'disengaging',
      ),
    ).toEqual([]);
    // When the whole account fades, the account's signal says it; no person's signal repeats it.
    const fading = snapshotOf({
      activity: [{ activity: 'Signed In', dailyCounts: series(4, 0), through }],
      people: [people[0]!],
    });
    expect(signalsOf(fading, '2026-03-12T08:00:00Z', 'disengaging').map((signal) => signal.instance)).toEqual([
      'Signed In',
    ]);
  });
});
