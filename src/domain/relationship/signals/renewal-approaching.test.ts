// Scenario checks of the renewal-approaching signal through evaluateAccount.
import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../account-snapshot-fixture.js';
import { evaluateAccount } from '../account-signals.js';
import type { AccountSnapshot } from '../account-snapshot.js';
import type { ActiveSignal, SignalKind } from '../signal.js';
import { defaultTendConfig as config } from '../tend-config.js';

function signalsOf(snapshot: AccountSnapshot, now: string, kind: SignalKind): ActiveSignal[] {
  return evaluateAccount(snapshot, config, new Date(now)).signals.filter((signal) => signal.kind === kind);
}

describe('renewal-approaching', () => {
  const renewing = snapshotOf({ renewalAt: new Date('2026-06-01T00:00:00Z') });

  it('names the tightest threshold crossed and grows more severe as the day nears', () => {
    expect(signalsOf(renewing, '2026-03-02T00:00:00Z', 'renewal-approaching')).toEqual([]); // 91 days out
    const [far] = signalsOf(renewing, '2026-03-03T00:00:00Z', 'renewal-approaching');
    const [near] = signalsOf(renewing, '2026-05-10T00:00:00Z', 'renewal-approaching');
    expect(far?.instance).toBe('90');
    expect(near?.instance).toBe('30');
    expect(near?.reasons).toEqual(['Renews on 2026-06-01, in 22 days']);
    expect(near!.severity).toBeGreaterThan(far!.severity);
    expect(signalsOf(renewing, '2026-06-02T00:00:00Z', 'renewal-approaching')).toEqual([]);
  });
});
