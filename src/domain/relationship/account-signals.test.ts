// Scenario checks of evaluateAccount as a whole: a quiet account raises nothing; each kind has its own file.
import { describe, expect, it } from 'vitest';
import { snapshotOf } from './account-snapshot-fixture.js';
import { evaluateAccount } from './account-signals.js';
import { defaultTendConfig as config } from './tend-config.js';

describe('a quiet, healthy account', () => {
  it('has no signals and asks to be checked when its cadence comes due', () => {
    const snapshot = snapshotOf({
      createdAt: new Date('2025-06-01T00:00:00Z'),
      touches: [
        {
          at: new Date('2026-01-20T00:00:00Z'),
          channel: 'video',
          direction: 'outbound',
          actor: 'rep',
          twoWay: true,
          userEmail: null,
          objective: null,
          summary: null,
        },
      ],
      lastSpokenAt: new Date('2026-01-20T00:00:00Z'),
    });
    const evaluation = evaluateAccount(snapshot, config, new Date('2026-02-01T00:00:00Z'));
    expect(evaluation.signals).toEqual([]);
    expect(evaluation.nextCheckAt).toEqual(new Date('2026-02-20T00:00:00Z')); // 31 days after the call
  });
});
