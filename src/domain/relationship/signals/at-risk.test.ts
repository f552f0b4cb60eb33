// Scenario checks of the at-risk signal through evaluateAccount.
import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../account-snapshot-fixture.js';
import { evaluateAccount } from '../account-signals.js';
import type { AccountSnapshot } from '../account-snapshot.js';
import type { ActiveSignal, SignalKind } from '../signal.js';
import { defaultTendConfig as config } from '../tend-config.js';

function signalsOf(snapshot: AccountSnapshot, now: string, kind: SignalKind): ActiveSignal[] {
  return evaluateAccount(snapshot, config, new Date(now)).signals.filter((signal) => signal.kind === kind);
}

describe('at-risk', () => {
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
