// Scenario checks of the never-spoken signal through evaluateAccount.
import { describe, expect, it } from 'vitest';
import { callAt, snapshotOf, touchAt } from '../account-snapshot-fixture.js';
import { evaluateAccount } from '../account-signals.js';
import type { AccountSnapshot } from '../account-snapshot.js';
import type { ActiveSignal, SignalKind } from '../signal.js';
import { defaultTendConfig as config } from '../tend-config.js';

function signalsOf(snapshot: AccountSnapshot, now: string, kind: SignalKind): ActiveSignal[] {
  return evaluateAccount(snapshot, config, new Date(now)).signals.filter((signal) => signal.kind === kind);
}

describe('never-spoken', () => {
  const emailOnly = snapshotOf({
    createdAt: new Date('2025-10-01T00:00:00Z'),
    touches: [
      touchAt('2025-12-15T00:00:00Z', { channel: 'sms' }),
      touchAt('2025-11-15T00:00:00Z'),
      touchAt('2025-10-15T00:00:00Z'),
    ],
  });

  it('raises never-spoken after 60 days without any call or meeting, and not once a call is logged', () => {
    expect(signalsOf(emailOnly, '2025-11-29T00:00:00Z', 'never-spoken')).toEqual([]);
    const [signal] = signalsOf(emailOnly, '2025-11-30T00:00:00Z', 'never-spoken');
    expect(signal?.reasons[0]).toBe('A customer for 60 days and nobody has ever called or met them');
    const called = snapshotOf({ ...emailOnly, touches: [callAt('2025-11-20T00:00:00Z'), ...emailOnly.touches] });
    expect(signalsOf(called, '2025-11-30T00:00:00Z', 'never-spoken')).toEqual([]);
  });
});
