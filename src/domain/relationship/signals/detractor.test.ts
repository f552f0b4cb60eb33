// Scenario checks of the detractor signal through evaluateAccount.
import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../account-snapshot-fixture.js';
import { evaluateAccount } from '../account-signals.js';
import type { AccountSnapshot } from '../account-snapshot.js';
import type { ActiveSignal, SignalKind } from '../signal.js';
import { defaultTendConfig as config } from '../tend-config.js';

function signalsOf(snapshot: AccountSnapshot, now: string, kind: SignalKind): ActiveSignal[] {
  return evaluateAccount(snapshot, config, new Date(now)).signals.filter((signal) => signal.kind === kind);
}

describe('detractor', () => {
  const survey = {
    at: new Date('2026-02-10T09:00:00Z'),
    score: 3,
    comment: 'Support never calls back',
    contactId: 'c1',
  };

  it('is raised at once by a survey answer of 3, quoting the score and comment', () => {
    const [signal] = signalsOf(snapshotOf({ surveys: [survey] }), '2026-02-10T09:00:00Z', 'detractor');
    expect(signal?.reasons).toEqual(['Scored us 3 out of 10 on 2026-02-10: "Support never calls back"']);
    expect(signal?.severity).toBe(65); // 40 + 50 × (6 − 3) / 6
    expect(signal?.deadlineAt).toEqual(new Date('2026-02-12T09:00:00Z'));
  });

  it('is cleared by a newer good score, and forgets a bad one after 30 days', () => {
    const better = { ...survey, at: new Date('2026-02-20T00:00:00Z'), score: 9, comment: null };
    expect(signalsOf(snapshotOf({ surveys: [survey, better] }), '2026-02-21T00:00:00Z', 'detractor')).toEqual([]);
    expect(
      evaluateAccount(snapshotOf({ surveys: [survey] }), config, new Date('2026-03-10T00:00:00Z')).nextCheckAt,
    ).toEqual(new Date('2026-03-12T09:00:00Z'));
    expect(signalsOf(snapshotOf({ surveys: [survey] }), '2026-03-12T09:00:00Z', 'detractor')).toEqual([]);
  });

  it('is raised by a negative reply', () => {
    const snapshot = snapshotOf({
      negativeReplies: [{ at: new Date('2026-02-01T00:00:00Z'), summary: 'Cancel my plan' }],
    });
    const [signal] = signalsOf(snapshot, '2026-02-02T00:00:00Z', 'detractor');
    expect(signal).toMatchObject({ severity: 60, reasons: ['Replied negatively on 2026-02-01: "Cancel my plan"'] });
  });
});
