import { describe, expect, it } from 'vitest';
import { type IngestPolicy, type StoredEvent, noIngestPolicy, planDerivedRecords } from './ingest-plan.js';

const receivedAt = new Date('2026-05-04T10:00:00Z');
let ids = 0;
const newId = () => `id-${++ids}`;

function event(name: string, fields: Partial<StoredEvent> = {}): StoredEvent {
  return {
    sourceId: 'source',
    messageId: `${name}-${ids++}`,
    type: 'track',
    name,
    contactId: 'person',
    accountId: 'acme',
    occurredAt: receivedAt,
    properties: {},
    ...fields,
  };
}

describe('the plan of what ingested events imply', () => {
  it('makes an account due for a fact, a touch or a group call, and not for a repeated page view', () => {
    const plan = planDerivedRecords(
      [
        event('Survey Answered', { accountId: 'answered', properties: { score: 3, scale: 10 } }),
        event('Call Logged', { accountId: 'called', properties: { userEmail: 'rep@example.com' } }),
        event('Group', { type: 'group', accountId: 'grouped' }),
        event('Page Viewed', { type: 'page', accountId: 'browsed' }),
      ],
      noIngestPolicy,
      receivedAt,
      newId,
    );
    expect([...plan.dueAccountIds].sort()).toEqual(['answered', 'called', 'grouped']);
    expect(plan.records.facts.map((fact) => fact.account_id)).toEqual(['answered']);
    expect(plan.records.interactions.map((touch) => [touch.account_id, touch.channel])).toEqual([['called', 'phone']]);
    // Every account's first event of a name is written, so the statement can find which are new.
    expect(plan.records.firsts.map((first) => first.account_id).sort()).toEqual([
      'answered',
      'browsed',
      'called',
      'grouped',
    ]);
  });

  it('counts activity per account and day, and per person, in key order', () => {
    const plan = planDerivedRecords(
      [
        event('Signed In', { accountId: 'zeta', contactId: 'z1' }),
        event('Signed In', { accountId: 'alpha', contactId: 'a2' }),
        event('Signed In', { accountId: 'alpha', contactId: 'a1' }),
        event('Signed In', { accountId: 'alpha', contactId: 'a1' }),
      ],
      noIngestPolicy,
      receivedAt,
      newId,
    );
    expect(plan.records.activity.map((row) => [row.account_id, row.count])).toEqual([
      ['alpha', 3],
      ['zeta', 1],
    ]);
    expect(plan.records.personActivity.map((row) => [row.account_id, row.contact_id, row.count])).toEqual([
      ['alpha', 'a1', 2],
      ['alpha', 'a2', 1],
      ['zeta', 'z1', 1],
    ]);
    // Sign-ins make nothing due by themselves: only a first one can, which the statement decides.
    expect(plan.dueAccountIds).toEqual([]);
  });

  it('queues playbook triggers and awaited events by name, for events that belong to someone', () => {
    const policy: IngestPolicy = {
      ...noIngestPolicy,
      triggerNames: new Set(['Trial Started']),
      awaitedNames: new Set(['Feature Used']),
    };
    const plan = planDerivedRecords(
      [
        event('Trial Started'),
        event('Trial Started', { accountId: null, contactId: null }),
        event('Feature Used', { accountId: 'beta' }),
        event('Feature Used', { accountId: 'beta' }),
      ],
      policy,
      receivedAt,
      newId,
    );
    expect(plan.records.triggers.map((trigger) => [trigger.event_name, trigger.account_id])).toEqual([
      ['Trial Started', 'acme'],
    ]);
    expect(plan.records.awaited).toEqual([{ account_id: 'beta', name: 'Feature Used' }]);
  });
});
