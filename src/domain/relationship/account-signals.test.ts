// Scenario checks of evaluateAccount: each signal raised by a concrete situation and cleared when it ends.
import { describe, expect, it } from 'vitest';
import { callAt, snapshotOf, touchAt } from './account-snapshot-fixture.js';
import { evaluateAccount } from './account-signals.js';
import type { AccountSnapshot } from './account-snapshot.js';
import type { ActiveSignal, SignalKind } from './signal.js';
import { defaultTendConfig as config } from './tend-config.js';

function signalsOf(snapshot: AccountSnapshot, now: string, kind: SignalKind): ActiveSignal[] {
  return evaluateAccount(snapshot, config, new Date(now)).signals.filter((signal) => signal.kind === kind);
}

describe('neglected', () => {
  const called = snapshotOf({
    touches: [callAt('2026-01-01T10:00:00Z')],
    lastSpokenAt: new Date('2026-01-01T10:00:00Z'),
  });

  it('is raised when a tier-B account has been silent for 31 days, in words, with the due date', () => {
    const [signal] = signalsOf(called, '2026-02-01T10:00:00Z', 'neglected');
    expect(signal?.reasons[0]).toBe('No two-way conversation for 31 days; tier B expects one every 30 days');
    expect(signal?.deadlineAt).toEqual(new Date('2026-01-31T10:00:00Z'));
    expect(signal?.valueAtStakeMinor).toBe(1_000_000);
    // 30 + 50 × 1/30 + 20 × log10(1 + 10 000)/6
    expect(signal?.severity).toBe(Math.round(30 + 50 / 30 + (20 * Math.log10(10_001)) / 6));
  });

  it('is not raised at 30 days, and asks to be checked again when the 31st day is complete', () => {
    const evaluation = evaluateAccount(called, config, new Date('2026-01-31T10:00:00Z'));
    expect(evaluation.signals.map((signal) => signal.kind)).not.toContain('neglected');
    expect(evaluation.nextCheckAt).toEqual(new Date('2026-02-01T10:00:00Z'));
  });

  it('is not cleared by an automated e-mail, and says so', () => {
    const emailed = snapshotOf({
      ...called,
      touches: [touchAt('2026-01-25T00:00:00Z', { actor: 'system', twoWay: true }), ...called.touches],
    });
    const [signal] = signalsOf(emailed, '2026-02-01T10:00:00Z', 'neglected');
    expect(signal?.reasons[1]).toBe(
      '1 touch since then, none a conversation (latest: e-mail by automation on 2026-01-25)',
    );
  });

  it('is cleared by a logged call or by a customer reply in a two-way thread', () => {
    const replied = snapshotOf({
      ...called,
      touches: [
        touchAt('2026-01-25T00:00:00Z', { actor: 'customer', direction: 'inbound', twoWay: true }),
        ...called.touches,
      ],
    });
    expect(signalsOf(replied, '2026-02-01T10:00:00Z', 'neglected')).toEqual([]);
    const recalled = snapshotOf({ ...called, touches: [callAt('2026-01-30T00:00:00Z'), ...called.touches] });
    expect(signalsOf(recalled, '2026-02-01T10:00:00Z', 'neglected')).toEqual([]);
  });

  it('counts from the account creation when nobody ever talked with it, and uses the last tier before ranking', () => {
    const unranked = snapshotOf({ tier: null });
    expect(signalsOf(unranked, '2026-03-31T00:00:00Z', 'neglected')).toEqual([]); // 89 days, tier C: 90
    const [signal] = signalsOf(unranked, '2026-04-02T00:00:00Z', 'neglected');
    expect(signal?.reasons[0]).toBe(
      'No two-way conversation since the account appeared 91 days ago; tier C expects one every 90 days',
    );
  });
});

describe('async-only and never-spoken', () => {
  const emailOnly = snapshotOf({
    createdAt: new Date('2025-10-01T00:00:00Z'),
    touches: [
      touchAt('2025-12-15T00:00:00Z', { channel: 'sms' }),
      touchAt('2025-11-15T00:00:00Z'),
      touchAt('2025-10-15T00:00:00Z'),
    ],
  });

  it('raises async-only after 90 days of written contact only, naming the channels', () => {
    expect(signalsOf(emailOnly, '2025-12-29T00:00:00Z', 'async-only')).toEqual([]); // 89 days old
    const [signal] = signalsOf(emailOnly, '2025-12-30T00:00:00Z', 'async-only');
    expect(signal?.reasons).toEqual([
      'Every touch in the last 90 days was SMS or e-mail; nobody has spoken with them',
      'Nobody has ever had a call or meeting with them',
    ]);
  });

  it('does not raise async-only when someone spoke with them within the stretch', () => {
    const spoken = snapshotOf({ ...emailOnly, lastSpokenAt: new Date('2025-10-20T00:00:00Z') });
    expect(signalsOf(spoken, '2025-12-30T00:00:00Z', 'async-only')).toEqual([]);
    // … until that call is 90 days old, the instant the evaluation asks to be checked again.
    expect(evaluateAccount(spoken, config, new Date('2026-01-10T00:00:00Z')).nextCheckAt).toEqual(
      new Date('2026-01-18T00:00:00Z'),
    );
    expect(signalsOf(spoken, '2026-01-18T00:00:00Z', 'async-only')).toHaveLength(1);
  });

  it('raises never-spoken after 60 days without any call or meeting, and not once a call is logged', () => {
    expect(signalsOf(emailOnly, '2025-11-29T00:00:00Z', 'never-spoken')).toEqual([]);
    const [signal] = signalsOf(emailOnly, '2025-11-30T00:00:00Z', 'never-spoken');
    expect(signal?.reasons[0]).toBe('A customer for 60 days and nobody has ever called or met them');
    const called = snapshotOf({ ...emailOnly, touches: [callAt('2025-11-20T00:00:00Z'), ...emailOnly.touches] });
    expect(signalsOf(called, '2025-11-30T00:00:00Z', 'never-spoken')).toEqual([]);
  });
});

describe('disengaging and at-risk', () => {
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

  it('raises disengaging for a person who drifts while the account keeps its level, and not for the account twice', () => {
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
      'Nina Lee (nina@acme.example): Signed In fell from about 14 a week to 0 over the last 2 weeks (down 100 %), while the account as a whole has not fallen as far',
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

  it('raises at-risk past the churn threshold with the expected margin lost', () => {
    const [signal] = signalsOf(snapshotOf({ churnProbability: 0.62 }), '2026-01-10T00:00:00Z', 'at-risk');
    expect(signal).toMatchObject({ severity: 62, valueAtStakeMinor: 620_000 });
    expect(signal?.reasons).toEqual(['The churn model gives a 62 % chance they leave']);
    expect(
      signalsOf(snapshotOf({ churnProbability: 0.4, probabilityAlive: 0.8 }), '2026-01-10T00:00:00Z', 'at-risk'),
    ).toEqual([]);
    const [fading] = signalsOf(
      snapshotOf({ probabilityAlive: 0.25, profitMinor: null }),
      '2026-01-10T00:00:00Z',
      'at-risk',
    );
    expect(fading?.valueAtStakeMinor).toBe(Math.round(0.75 * 1_000_000)); // 20 % of 5 000 000 revenue as margin
  });
});
