// Helpers that let relationship scenarios read like the business: send these events, move the clock,
// expect these signals.
import { expect } from 'vitest';
import type { TestTend } from './test-tend.js';

export interface SignalView {
  kind: string;
  accountId: string;
  /** The person the signal is about; null when it is about the account. */
  contactId: string | null;
  instance?: string;
  severity: number;
  reasons: string[];
  open: boolean;
  raisedAt: string;
  clearedAt: string | null;
  owner: string | null;
  valueAtStake: number;
}

export async function advance(tend: TestTend, by: string): Promise<void> {
  const { status, body } = await tend.post('/api/v1/clock/advance', { by });
  expect(status, JSON.stringify(body)).toBe(200);
}

export async function now(tend: TestTend): Promise<Date> {
  return new Date((await tend.admin('/api/v1/clock')).body.now);
}

export async function openSignals(tend: TestTend, accountId: string): Promise<SignalView[]> {
  const { body } = await tend.admin(`/api/v1/signals?accountId=${encodeURIComponent(accountId)}&open=true`);
  return body.signals as SignalView[];
}

export async function openKinds(tend: TestTend, accountId: string): Promise<string[]> {
  return (await openSignals(tend, accountId)).map((signal) => signal.kind).sort();
}

export async function send(tend: TestTend, batch: Record<string, unknown>[]): Promise<void> {
  const { status, body } = await tend.track('/v1/batch', { batch });
  expect(status, JSON.stringify(body)).toBe(200);
}

/** A track call at the clock's time (no timestamp) or at a given instant. */
export const track = (
  userId: string,
  event: string,
  properties: Record<string, unknown> = {},
  timestamp?: Date,
): Record<string, unknown> => ({
  type: 'track',
  userId,
  event,
  properties,
  ...(timestamp ? { timestamp: timestamp.toISOString() } : {}),
});

export const group = (userId: string, groupId: string, traits: Record<string, unknown>): Record<string, unknown> => ({
  type: 'group',
  userId,
  groupId,
  traits,
});

/** Maria, a manager, and her reps Rita and Sam: the team most relationship scenarios use. */
export async function addMariasTeam(tend: TestTend): Promise<void> {
  for (const user of [
    { email: 'maria@tend.example', name: 'Maria', role: 'manager' },
    { email: 'rita@tend.example', name: 'Rita', role: 'rep', managerEmail: 'maria@tend.example' },
    { email: 'sam@tend.example', name: 'Sam', role: 'rep', managerEmail: 'maria@tend.example' },
  ]) {
    const { status, body } = await tend.post('/api/v1/users', user);
    expect(status, JSON.stringify(body)).toBe(201);
  }
}
