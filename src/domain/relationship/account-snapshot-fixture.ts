// Plain account snapshots for the relationship tests: a quiet, healthy account to override field by field.
import type { AccountSnapshot, Touch } from './account-snapshot.js';

/** A tier-B account created on 2026-01-01 with nothing recorded yet; override what a test needs. */
export function snapshotOf(fields: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    accountId: 'acme',
    name: 'Acme Ltd',
    ownerEmail: 'rep@example.com',
    lifecycleStage: 'customer',
    traits: {},
    createdAt: new Date('2026-01-01T00:00:00Z'),
    currency: 'EUR',
    revenueMinor: 5_000_000,
    profitMinor: 1_000_000,
    tier: 'B',
    touches: [],
    lastSpokenAt: null,
    inbound: [],
    surveys: [],
    negativeReplies: [],
    invoices: [],
    renewalAt: null,
    firstEventAt: new Map(),
    activity: [],
    people: [],
    outages: [],
    churnProbability: null,
    probabilityAlive: null,
    lifetimeActivityCount: 0,
    promises: [],
    ...fields,
  };
}

/** A touch at an ISO instant: by default a one-way outbound e-mail from a rep. */
export function touchAt(at: string, fields: Partial<Touch> = {}): Touch {
  return {
    at: new Date(at),
    channel: 'email',
    direction: 'outbound',
    actor: 'rep',
    twoWay: false,
    userEmail: 'rep@example.com',
    objective: null,
    summary: null,
    ...fields,
  };
}

/** A logged two-way phone call by the rep. */
export function callAt(at: string, summary: string | null = null): Touch {
  return touchAt(at, { channel: 'phone', twoWay: true, summary });
}
