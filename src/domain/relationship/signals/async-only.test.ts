// Scenario checks of the async-only signal through evaluateAccount.
import { describe, expect, it } from 'vitest';
import { snapshotOf, touchAt } from '../account-snapshot-fixture.js';
import { evaluateAccount } from '../account-signals.js';
import type { AccountSnapshot } from '../account-snapshot.js';
import type { ActiveSignal, SignalKind } from '../signal.js';
import { defaultTendConfig as config } from '../tend-config.js';

function signalsOf(snapshot: AccountSnapshot, now: string, kind: SignalKind): ActiveSignal[] {
  return evaluateAccount(snapshot, config, new Date(now)).signals.filter((signal) => signal.kind === kind);
}

describe('async-only', () => {
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
});
