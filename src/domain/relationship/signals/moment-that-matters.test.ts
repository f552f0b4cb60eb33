// Scenario checks of the moment-that-matters signal through evaluateAccount.
import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../account-snapshot-fixture.js';
import { evaluateAccount } from '../account-signals.js';
import type { AccountSnapshot } from '../account-snapshot.js';
import type { ActiveSignal, SignalKind } from '../signal.js';
import { defaultTendConfig as config } from '../tend-config.js';

function signalsOf(snapshot: AccountSnapshot, now: string, kind: SignalKind): ActiveSignal[] {
  return evaluateAccount(snapshot, config, new Date(now)).signals.filter((signal) => signal.kind === kind);
}

describe('moment-that-matters', () => {
  it('marks an anniversary in the coming week, the highest milestone reached and a recent outage', () => {
    const snapshot = snapshotOf({
      createdAt: new Date('2024-03-10T00:00:00Z'),
      lifetimeActivityCount: 1_500,
      outages: [{ at: new Date('2026-03-05T14:00:00Z'), resolvedAt: null, summary: 'EU region down' }],
    });
    const signals = signalsOf(snapshot, '2026-03-06T00:00:00Z', 'moment-that-matters');
    expect(signals.map((signal) => signal.instance)).toEqual([
      'anniversary-2026',
      'milestone-1000',
      'outage-2026-03-05',
    ]);
    expect(signals[0]?.reasons).toEqual(['2 years as a customer on 2026-03-10']);
    expect(signals[1]?.reasons).toEqual(['Has done "Signed In" 1,000 times in all']);
    expect(signals[2]?.reasons).toEqual(['An outage touched them on 2026-03-05: "EU region down"']);
    const later = signalsOf(snapshot, '2026-03-13T00:00:00Z', 'moment-that-matters');
    expect(later.map((signal) => signal.instance)).toEqual(['milestone-1000']);
  });
});
