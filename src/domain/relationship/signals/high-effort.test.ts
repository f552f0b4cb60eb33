// Scenario checks of the high-effort signal through evaluateAccount.
import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../account-snapshot-fixture.js';
import { evaluateAccount } from '../account-signals.js';
import type { AccountSnapshot, InboundContact } from '../account-snapshot.js';
import type { ActiveSignal, SignalKind } from '../signal.js';
import { defaultTendConfig as config } from '../tend-config.js';

function signalsOf(snapshot: AccountSnapshot, now: string, kind: SignalKind): ActiveSignal[] {
  return evaluateAccount(snapshot, config, new Date(now)).signals.filter((signal) => signal.kind === kind);
}

function contact(at: string, fields: Partial<InboundContact> = {}): InboundContact {
  return { at: new Date(at), problem: null, kind: 'ticket-opened', answeredAt: new Date(at), summary: null, ...fields };
}

describe('high-effort', () => {
  it('is raised by two tickets about the same problem in 5 days, not by two different problems', () => {
    const same = [
      contact('2026-02-06T00:00:00Z', { problem: 'export fails' }),
      contact('2026-02-01T00:00:00Z', { problem: 'export fails' }),
    ];
    const [signal] = signalsOf(snapshotOf({ inbound: same }), '2026-02-06T12:00:00Z', 'high-effort');
    expect(signal?.reasons).toEqual(['Contacted us 2 times about "export fails" in the last 7 days']);
    const different = [same[0]!, contact('2026-02-01T00:00:00Z', { problem: 'invoice address' })];
    expect(signalsOf(snapshotOf({ inbound: different }), '2026-02-06T12:00:00Z', 'high-effort')).toEqual([]);
    // The first ticket leaves the 7-day window on 2026-02-08: the evaluation asks to be checked then.
    expect(
      evaluateAccount(snapshotOf({ inbound: same }), config, new Date('2026-02-06T12:00:00Z')).nextCheckAt,
    ).toEqual(new Date('2026-02-08T00:00:00Z'));
    expect(signalsOf(snapshotOf({ inbound: same }), '2026-02-08T00:00:00Z', 'high-effort')).toEqual([]);
  });

  it('is raised by a reopened ticket and by a wait of 48 hours or more', () => {
    const reopened = [contact('2026-02-05T00:00:00Z', { kind: 'ticket-reopened', problem: 'sync' })];
    expect(signalsOf(snapshotOf({ inbound: reopened }), '2026-02-06T00:00:00Z', 'high-effort')[0]?.reasons).toEqual([
      'A ticket about "sync" was reopened on 2026-02-05',
    ]);
    const waiting = [contact('2026-02-04T00:00:00Z', { answeredAt: null, problem: 'login' })];
    expect(signalsOf(snapshotOf({ inbound: waiting }), '2026-02-05T23:00:00Z', 'high-effort')).toEqual([]);
    expect(signalsOf(snapshotOf({ inbound: waiting }), '2026-02-06T01:00:00Z', 'high-effort')[0]?.reasons).toEqual([
      'Has been waiting 49 hours for an answer about "login"',
    ]);
  });
});
