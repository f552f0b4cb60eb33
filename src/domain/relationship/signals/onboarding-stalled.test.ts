// Scenario checks of the onboarding-stalled signal through evaluateAccount.
import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../account-snapshot-fixture.js';
import { evaluateAccount } from '../account-signals.js';
import type { AccountSnapshot } from '../account-snapshot.js';
import type { ActiveSignal, SignalKind } from '../signal.js';
import { defaultTendConfig as config } from '../tend-config.js';

function signalsOf(snapshot: AccountSnapshot, now: string, kind: SignalKind): ActiveSignal[] {
  return evaluateAccount(snapshot, config, new Date(now)).signals.filter((signal) => signal.kind === kind);
}

describe('onboarding-stalled', () => {
  const fresh = snapshotOf({ lifecycleStage: 'onboarding', createdAt: new Date('2026-01-01T00:00:00Z') });

  it('is raised when a new account has not used the feature within 30 days, and cleared once it does', () => {
    expect(signalsOf(fresh, '2026-01-30T00:00:00Z', 'onboarding-stalled')).toEqual([]);
    const [signal] = signalsOf(fresh, '2026-02-05T00:00:00Z', 'onboarding-stalled');
    expect(signal?.reasons).toEqual([
      '35 days since they started and they have not yet done "Feature Used"; new accounts should within 30 days',
    ]);
    const activated = snapshotOf({
      ...fresh,
      firstEventAt: new Map([['Feature Used', new Date('2026-02-03T00:00:00Z')]]),
    });
    expect(signalsOf(activated, '2026-02-05T00:00:00Z', 'onboarding-stalled')).toEqual([]);
  });

  it('watches an account without a stage only while it is new', () => {
    const unstaged = snapshotOf({ ...fresh, lifecycleStage: null });
    expect(signalsOf(unstaged, '2026-02-05T00:00:00Z', 'onboarding-stalled')).toHaveLength(1);
    expect(signalsOf(unstaged, '2026-03-05T00:00:00Z', 'onboarding-stalled')).toEqual([]);
    expect(
      signalsOf(snapshotOf({ ...fresh, lifecycleStage: 'customer' }), '2026-02-05T00:00:00Z', 'onboarding-stalled'),
    ).toEqual([]);
  });
});
