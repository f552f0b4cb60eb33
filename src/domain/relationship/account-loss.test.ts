// Checks when an account counts as lost: a cancellation, the churned stage, or a purchase model giving up on it.
import { describe, expect, it } from 'vitest';
import { type AccountLossFacts, accountLoss } from './account-loss.js';

const quiet: AccountLossFacts = {
  cancelledAt: null,
  markedChurnedAt: null,
  hasContract: false,
  probabilityAlive: null,
  lastBoughtAt: null,
};
const at = (day: string) => new Date(`${day}T00:00:00Z`);

describe('accountLoss', () => {
  it('keeps an account nothing speaks against', () => {
    expect(accountLoss(quiet, 0.3)).toEqual({ kind: 'kept' });
  });

  it('dates a loss by the cancellation, or the churned mark if that came first', () => {
    expect(accountLoss({ ...quiet, hasContract: true, cancelledAt: at('2026-03-01') }, 0.3)).toEqual({
      kind: 'cancelled',
      at: at('2026-03-01'),
    });
    const both = { ...quiet, cancelledAt: at('2026-03-01'), markedChurnedAt: at('2026-02-01') };
    expect(accountLoss(both, 0.3)).toEqual({ kind: 'cancelled', at: at('2026-02-01') });
  });

  it('loses a customer without a contract at its last purchase once P(alive) is at or below the threshold', () => {
    const gone = { ...quiet, probabilityAlive: 0.3, lastBoughtAt: at('2025-11-20') };
    expect(accountLoss(gone, 0.3)).toEqual({ kind: 'stopped-buying', at: at('2025-11-20'), probabilityAlive: 0.3 });
    expect(accountLoss({ ...gone, probabilityAlive: 0.31 }, 0.3)).toEqual({ kind: 'kept' });
  });

  it('leaves P(alive) aside for contract customers and for accounts with no purchase to date the loss by', () => {
    const contract = { ...quiet, hasContract: true, probabilityAlive: 0.05, lastBoughtAt: at('2025-11-20') };
    expect(accountLoss(contract, 0.3)).toEqual({ kind: 'kept' });
    expect(accountLoss({ ...quiet, probabilityAlive: 0.05 }, 0.3)).toEqual({ kind: 'kept' });
  });
});
