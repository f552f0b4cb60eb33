// Scenario checks of the detractor, high-effort and slow-response signals through evaluateAccount.
import { describe, expect, it } from 'vitest';
import { snapshotOf, touchAt } from './account-snapshot-fixture.js';
import { evaluateAccount } from './account-signals.js';
import type { AccountSnapshot, InboundContact } from './account-snapshot.js';
import type { ActiveSignal, SignalKind } from './signal.js';
import { defaultTendConfig as config } from './tend-config.js';

function signalsOf(snapshot: AccountSnapshot, now: string, kind: SignalKind): ActiveSignal[] {
  return evaluateAccount(snapshot, config, new Date(now)).signals.filter((signal) => signal.kind === kind);
}

function contact(at: string, fields: Partial<InboundContact> = {}): InboundContact {
  return { at: new Date(at), problem: null, kind: 'ticket-opened', answeredAt: new Date(at), summary: null, ...fields };
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
