import { describe, expect, it } from 'vitest';
import type { Touch } from './account-snapshot.js';
import { attentionAgainstValue } from './attention-audit.js';
import { auditContacts } from './contact-audit.js';

const now = new Date('2026-06-01T00:00:00Z');
const call = (daysAgo: number): Touch => ({
  at: new Date(now.getTime() - daysAgo * 86_400_000),
  channel: 'phone',
  direction: 'outbound',
  actor: 'rep',
  twoWay: true,
  userEmail: 'rita@x.example',
  objective: null,
  summary: null,
});
const mail = (daysAgo: number): Touch => ({ ...call(daysAgo), channel: 'email', twoWay: false });
const account = (accountId: string, valueMinor: number, touches: Touch[], ownerEmail = 'rita@x.example') => ({
  accountId,
  name: accountId,
  ownerEmail,
  tier: null,
  valueMinor,
  audit: auditContacts(touches, now),
});

describe('attention against value', () => {
  it('names the valuable account nobody touched and the small one that gets most of the attention', () => {
    const report = attentionAgainstValue([
      account('whale', 9_000_000, []),
      account('mid', 2_000_000, [call(10), mail(40)]),
      account(
        'minnow',
        10_000,
        Array.from({ length: 12 }, (_, index) => mail(index * 5 + 1)),
        'sam@x.example',
      ),
      account('small', 50_000, [call(5)], 'sam@x.example'),
    ]);
    expect(report.accounts.map((row) => row.accountId)).toEqual(['whale', 'mid', 'small', 'minnow']);
    expect(report.unattendedValuable).toEqual(['whale']);
    expect(report.overAttended).toEqual(['minnow']);
    expect(report.byRep).toEqual([
      { repEmail: 'rita@x.example', accounts: 2, touches90: 2, spokenShare: 0.5 },
      { repEmail: 'sam@x.example', accounts: 2, touches90: 13, spokenShare: 1 / 13 },
    ]);
  });
});
