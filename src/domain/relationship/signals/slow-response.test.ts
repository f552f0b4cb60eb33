// Scenario checks of the slow-response signal through evaluateAccount.
import { describe, expect, it } from 'vitest';
import { snapshotOf, touchAt } from '../account-snapshot-fixture.js';
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

describe('slow-response', () => {
  const message = contact('2026-02-01T08:00:00Z', { kind: 'message', answeredAt: null, summary: 'Can we add seats?' });

  it('is raised when an inbound message is unanswered past 24 hours, with that deadline', () => {
    expect(signalsOf(snapshotOf({ inbound: [message] }), '2026-02-02T07:00:00Z', 'slow-response')).toEqual([]);
    expect(
      evaluateAccount(snapshotOf({ inbound: [message] }), config, new Date('2026-02-02T07:00:00Z')).nextCheckAt,
    ).toEqual(new Date('2026-02-02T08:00:00Z'));
    const [signal] = signalsOf(snapshotOf({ inbound: [message] }), '2026-02-02T14:00:00Z', 'slow-response');
    expect(signal).toMatchObject({ instance: 'inbound-message', deadlineAt: new Date('2026-02-02T08:00:00Z') });
    expect(signal?.reasons).toEqual([
      'A message ("Can we add seats?") has waited 30 hours for an answer; we aim to answer within 24 hours',
    ]);
    const answered = { ...message, answeredAt: new Date('2026-02-02T10:00:00Z') };
    expect(signalsOf(snapshotOf({ inbound: [answered] }), '2026-02-02T14:00:00Z', 'slow-response')).toEqual([]);
  });

  it('is raised for a new lead nobody has written to within 15 minutes', () => {
    const lead = snapshotOf({ lifecycleStage: 'lead', createdAt: new Date('2026-02-01T09:00:00Z') });
    expect(signalsOf(lead, '2026-02-01T09:10:00Z', 'slow-response')).toEqual([]);
    const [signal] = signalsOf(lead, '2026-02-01T09:40:00Z', 'slow-response');
    expect(signal).toMatchObject({ instance: 'new-lead', deadlineAt: new Date('2026-02-01T09:15:00Z') });
    expect(signal?.reasons[0]).toBe(
      'A new lead has waited 40 minutes without a reply; leads should hear from us within 15 minutes',
    );
    const answered = snapshotOf({ ...lead, touches: [touchAt('2026-02-01T09:12:00Z')] });
    expect(signalsOf(answered, '2026-02-01T09:40:00Z', 'slow-response')).toEqual([]);
  });
});
