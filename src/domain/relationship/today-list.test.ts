// Checks the today list: who comes first and why, the suggested method, the objective and talking points.
import { describe, expect, it } from 'vitest';
import { callAt, snapshotOf, touchAt } from './account-snapshot-fixture.js';
import { evaluateAccount } from './account-signals.js';
import type { AccountSnapshot } from './account-snapshot.js';
import { defaultTendConfig as config } from './tend-config.js';
import { rankToday } from './today-list.js';

const now = new Date('2026-03-10T00:00:00Z');

function candidate(snapshot: AccountSnapshot) {
  return { snapshot, evaluation: evaluateAccount(snapshot, config, now) };
}

/** Tier B, called on 2026-02-01 (37 days before now): neglected, 7 days overdue. */
function neglected(accountId: string, profitMinor: number): AccountSnapshot {
  return snapshotOf({
    accountId,
    name: accountId,
    profitMinor,
    createdAt: new Date('2025-06-01T00:00:00Z'),
    touches: [callAt('2026-02-01T00:00:00Z', 'Talked through the Q1 plan')],
    lastSpokenAt: new Date('2026-02-01T00:00:00Z'),
  });
}

describe('rankToday', () => {
  it('ranks a neglected high-profit account above a neglected low-profit one, and says why', () => {
    const list = rankToday(
      [candidate(neglected('small', 10_000)), candidate(neglected('big', 10_000_000))],
      config,
      now,
    );
    expect(list.map((entry) => entry.accountId)).toEqual(['big', 'small']);
    const [big] = list;
    expect(big?.why).toEqual(['No two-way conversation for 37 days; tier B expects one every 30 days']);
    expect(big?.suggestedMethod).toBe('phone');
    expect(big?.objective).toBe('value share');
    expect(big?.talkingPoints).toEqual([
      'Last touch: a call by rep@example.com on 2026-02-01: "Talked through the Q1 plan"',
    ]);
    // value × risk × overdue with value = 1 + log10(1 + 100 000), risk = severity / 100, overdue = 1 + 7/30
    const severity = candidate(neglected('big', 10_000_000)).evaluation.signals[0]!.severity;
    expect(big?.score).toBeCloseTo((1 + Math.log10(100_001)) * (severity / 100) * (1 + 7 / 30), 3);
  });

  it('puts the account with a broken promise first among equals', () => {
    const plain = candidate(neglected('a-plain', 1_000_000));
    const let_down = candidate(neglected('b-let-down', 1_000_000));
    const [signal] = let_down.evaluation.signals;
    const broken = {
      ...let_down,
      evaluation: { ...let_down.evaluation, signals: [{ ...signal!, kind: 'promise-broken' as const }] },
    };
    const list = rankToday([plain, broken], config, now);
    expect(list[0]?.score).toBe(list[1]?.score);
    expect(list.map((entry) => entry.accountId)).toEqual(['b-let-down', 'a-plain']);
  });

  it('does not let years of lateness outrank a far more valuable account that is late too', () => {
    const forgotten = snapshotOf({
      ...neglected('forgotten', 10_000),
      tier: 'C',
      touches: [callAt('2024-03-01T00:00:00Z', 'The last call, two years ago')],
      lastSpokenAt: new Date('2024-03-01T00:00:00Z'),
    });
    // Tier A expects a conversation every 14 days: a week late.
    const big = snapshotOf({
      ...neglected('big', 10_000_000),
      tier: 'A',
      touches: [callAt('2026-02-17T00:00:00Z')],
      lastSpokenAt: new Date('2026-02-17T00:00:00Z'),
    });
    const list = rankToday([candidate(forgotten), candidate(big)], config, now);
    expect(list.map((entry) => entry.accountId)).toEqual(['big', 'forgotten']);
    // Overdue counts up to one whole cadence late: twice as urgent at most.
    const severity = candidate(forgotten).evaluation.signals[0]!.severity;
    expect(list[1]?.score).toBeCloseTo((1 + Math.log10(101)) * (severity / 100) * 2, 3);
  });

  it('leaves out accounts with nothing open, and keeps to the list size', () => {
    const calm = snapshotOf({
      accountId: 'calm',
      touches: [callAt('2026-03-05T00:00:00Z')],
      lastSpokenAt: new Date('2026-03-05T00:00:00Z'),
      createdAt: new Date('2025-06-01T00:00:00Z'),
    });
    const list = rankToday(
      [candidate(calm), candidate(neglected('a', 100)), candidate(neglected('b', 200))],
      config,
      now,
      1,
    );
    expect(list.map((entry) => entry.accountId)).toEqual(['b']);
  });

  it('suggests a call for an async-only relationship even when the tier prefers meetings', () => {
    const written = snapshotOf({
      accountId: 'written',
      tier: 'A',
      createdAt: new Date('2025-06-01T00:00:00Z'),
      lastSpokenAt: new Date('2025-09-01T00:00:00Z'),
      touches: [touchAt('2026-03-01T00:00:00Z', { actor: 'customer', direction: 'inbound', twoWay: true })],
    });
    const [entry] = rankToday([candidate(written)], config, now);
    expect(entry?.signals).toContain('async-only');
    expect(entry?.suggestedMethod).toBe('phone');
    expect(config.cadence.A?.methods[0]).toBe('meeting');
  });

  it('takes its objective and talking points from the most pressing problems', () => {
    const troubled = snapshotOf({
      ...neglected('troubled', 500_000),
      renewalAt: new Date('2026-04-01T00:00:00Z'),
      churnProbability: 0.8,
      inbound: [
        {
          at: new Date('2026-03-08T00:00:00Z'),
          problem: 'export fails',
          kind: 'ticket-opened',
          answeredAt: null,
          summary: null,
        },
      ],
      surveys: [{ at: new Date('2026-03-02T00:00:00Z'), score: 4, comment: 'Exports keep failing', contactId: null }],
    });
    const [entry] = rankToday([candidate(troubled)], config, now);
    expect(entry?.objective).toBe('rescue the renewal');
    expect(entry?.why).toEqual([
      'Renews on 2026-04-01, in 22 days',
      'The churn model gives a 80 % chance they leave',
      'Scored us 4 out of 10 on 2026-03-02: "Exports keep failing"', // detractor 57
      'Has been waiting 48 hours for an answer about "export fails"', // high-effort 55, above neglected 54
    ]);
    expect(entry?.talkingPoints).toEqual([
      'Problem "export fails": 1 contact, the last on 2026-03-08, still unanswered',
      'Renews on 2026-04-01, in 22 days',
      'Last survey: 4 out of 10 on 2026-03-02: "Exports keep failing"',
      'Last touch: a call by rep@example.com on 2026-02-01: "Talked through the Q1 plan"',
    ]);
  });
});
