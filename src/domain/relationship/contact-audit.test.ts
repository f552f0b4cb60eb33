// Checks the contact audit's windows and what counts as a substantive conversation.
import { describe, expect, it } from 'vitest';
import type { Touch } from './account-snapshot.js';
import { auditContacts, lastSubstantiveContactAt } from './contact-audit.js';

function touch(at: string, fields: Partial<Touch> = {}): Touch {
  return {
    at: new Date(at),
    channel: 'email',
    direction: 'outbound',
    actor: 'rep',
    twoWay: false,
    userEmail: null,
    objective: null,
    summary: null,
    ...fields,
  };
}

const now = new Date('2026-06-30T12:00:00Z');

describe('lastSubstantiveContactAt', () => {
  it('counts a rep call and a customer reply, but not an automated e-mail or a one-way rep e-mail', () => {
    const touches = [
      touch('2026-06-29T00:00:00Z', { actor: 'system', twoWay: true }),
      touch('2026-06-28T00:00:00Z', { actor: 'rep', twoWay: false }),
      touch('2026-06-20T00:00:00Z', { actor: 'customer', direction: 'inbound', twoWay: true }),
      touch('2026-06-10T00:00:00Z', { channel: 'phone', actor: 'rep', twoWay: true }),
    ];
    expect(lastSubstantiveContactAt(touches)).toEqual(new Date('2026-06-20T00:00:00Z'));
    expect(lastSubstantiveContactAt(touches.slice(0, 2))).toBeNull();
  });
});

describe('auditContacts', () => {
  it('counts touches by window, channel, direction, actor, two-way and spoken share', () => {
    const touches = [
      touch('2026-06-25T00:00:00Z', { channel: 'phone', twoWay: true }), // 5 days ago
      touch('2026-06-15T00:00:00Z', { channel: 'email', actor: 'system' }), // 15 days
      // 60 days
      touch('2026-05-01T00:00:00Z', { channel: 'sms', direction: 'inbound', actor: 'customer', twoWay: true }),
      touch('2025-09-01T00:00:00Z', { channel: 'meeting', twoWay: true }), // about 302 days
    ];
    const audit = auditContacts(touches, now);
    const [month, quarter, year] = audit.windows;
    expect(month).toMatchObject({ days: 30, total: 2, twoWay: 1, spokenShare: 0.5 });
    expect(month!.byChannel).toMatchObject({ phone: 1, email: 1, sms: 0 });
    expect(month!.byActor).toEqual({ rep: 1, system: 1, customer: 0 });
    expect(quarter).toMatchObject({ days: 90, total: 3, twoWay: 2 });
    expect(quarter!.byDirection).toEqual({ inbound: 1, outbound: 2 });
    expect(quarter!.spokenShare).toBeCloseTo(1 / 3, 10);
    expect(year).toMatchObject({ days: 365, total: 4, spokenShare: 0.5 });
    expect(audit.lastSubstantiveContactAt).toEqual(new Date('2026-06-25T00:00:00Z'));
    expect(audit.daysSinceSubstantiveContact).toBe(5);
  });

  it('reports no spoken share and no last contact for an untouched account', () => {
    const audit = auditContacts([], now);
    expect(audit.windows.map((window) => window.spokenShare)).toEqual([null, null, null]);
    expect(audit.daysSinceSubstantiveContact).toBeNull();
  });
});
