// Scenario checks of the neglected signal through evaluateAccount: raised by silence, cleared by a conversation.
import { describe, expect, it } from 'vitest';
import { callAt, snapshotOf, touchAt } from '../account-snapshot-fixture.js';
import { evaluateAccount } from '../account-signals.js';
import type { AccountSnapshot } from '../account-snapshot.js';
import type { ActiveSignal, SignalKind } from '../signal.js';
import { defaultTendConfig as config } from '../tend-config.js';

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
