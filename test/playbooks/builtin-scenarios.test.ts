// The rest of the built-in playbooks, each end to end through the HTTP API on the manual clock (the
// detractor, neglect and late-payment ones are in journeys.test.ts): an outage notice (event trigger),
// a new lead (segment trigger), renewal at 90/60, onboarding stalled, an inbound message left
// unanswered, and the disengagement nudge on the channel the person answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInPlaybooks } from '../../src/config/playbook-library.js';
import { advance, group, now, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
type Task = {
  id: string;
  owner: string;
  objective: string;
  source: string;
  status: string;
  dueAt: string;
  accountId: string;
};
type Message = {
  channel: string;
  status: string;
  reason: string | null;
  recipient: string | null;
  payload: { template: string };
  message: { subject?: string; text?: string } | null;
  sentAt: string | null;
};
const tasksFor = async (owner: string, accountId: string): Promise<Task[]> =>
  ((await tend.admin(`/api/v1/tasks?ownerId=${owner}&limit=500`)).body.tasks as Task[]).filter(
    (task) => task.accountId === accountId,
  );
const messagesTo = async (accountId: string): Promise<Message[]> =>
  (await tend.admin(`/api/v1/outbox?accountId=${accountId}`)).body.messages;
const day = 86_400_000;

async function customer(
  userId: string,
  accountId: string,
  traits: Record<string, unknown>,
  contact: Record<string, unknown> = {},
): Promise<void> {
  await send(tend, [
    {
      type: 'identify',
      userId,
      traits: {
        email: `${userId}@${accountId}.example`,
        name: userId[0]!.toUpperCase() + userId.slice(1),
        timezone: 'UTC',
        ...contact,
      },
    },
    group(userId, accountId, {
      name: accountId[0]!.toUpperCase() + accountId.slice(1),
      owner: 'rita@tend.example',
      ...traits,
    }),
  ]);
}

beforeAll(async () => {
  tend = await startTestTend({
    clock: { kind: 'manual', start: new Date('2026-03-02T09:00:00Z') },
    playbooks: builtInPlaybooks,
  });
  await tend.post('/api/v1/users', { email: 'maria@tend.example', name: 'Maria Manager', role: 'manager' });
  await tend.post('/api/v1/users', {
    email: 'rita@tend.example',
    name: 'Rita Rep',
    role: 'rep',
    managerEmail: 'maria@tend.example',
  });
});
afterAll(async () => tend?.stop());

describe('built-in playbooks, end to end (continued)', () => {
  it('outage notice: affected customers are told at once, their owner is alerted, and the all-clear follows the fix', async () => {
    await customer('olga', 'outco', { profit: 20000, lifecycleStage: 'active' });
    await send(tend, [track('olga', 'Outage Started', { service: 'Invoicing' })]);
    await advance(tend, 'PT1M');
    const [notice] = await messagesTo('outco');
    expect(notice).toMatchObject({
      channel: 'email',
      status: 'delivered-locally',
      recipient: 'olga@outco.example',
      payload: { template: 'outage-notice' },
    });
    expect(notice!.message?.subject).toBe('We are having a problem that affects Outco');
    // No reply domain configured: a reply goes to the account owner, a person.
    expect(notice!.message).toMatchObject({ replyTo: 'rita@tend.example' });
    expect(notice!.message?.text).toContain('(Invoicing)');
    expect((await tasksFor('rita@tend.example', 'outco')).map((task) => task.source)).toContain(
      'playbook:outage-notice:alert',
    );
    await send(tend, [track('olga', 'Outage Resolved', { service: 'Invoicing' })]);
    await advance(tend, 'PT1M');
    expect((await messagesTo('outco')).map((message) => message.payload.template).sort()).toEqual([
      'outage-notice',
      'outage-resolved',
    ]);
  });

  it('new lead: the owner gets a call task due in 15 minutes, the lead an acknowledgement, the manager the late call', async () => {
    const start = await now(tend);
    await customer('lena', 'leadco', { lifecycleStage: 'lead' });
    await advance(tend, 'PT1M');
    const [call] = (await tasksFor('rita@tend.example', 'leadco')).filter(
      (task) => task.source === 'playbook:new-lead:create-task',
    );
    expect(call?.objective).toMatch(/Call the new lead/);
    expect(new Date(call!.dueAt).getTime() - start.getTime()).toBeLessThanOrEqual(16 * 60_000);
    expect((await messagesTo('leadco')).map((message) => [message.payload.template, message.status])).toEqual([
      ['lead-acknowledgement', 'delivered-locally'],
    ]);
    await advance(tend, 'PT30M');
    expect((await tasksFor('maria@tend.example', 'leadco')).map((task) => task.source)).toContain(
      'playbook:new-lead:escalate',
    );
  });

  it('renewal: the offer that fits the account usage at 90 days, a reminder at 60', async () => {
    const renewal = new Date((await now(tend)).getTime() + 95 * day).toISOString().slice(0, 10);
    await customer('ralf', 'renewco', {
      profit: 30000,
      lifecycleStage: 'active',
      renewalDate: renewal,
      usageBand: 'high',
      seatsUsed: 42,
    });
    await advance(tend, 'P6D');
    const [offer] = await messagesTo('renewco');
    expect(offer?.payload.template).toBe('renewal-offer');
    expect(offer!.message?.text).toMatch(/42 seats in use/);
    expect(offer!.message?.text).toMatch(/annual plan at 10 % off/);
    await advance(tend, 'P31D');
    expect((await messagesTo('renewco')).map((message) => message.payload.template).sort()).toEqual([
      'renewal-offer',
      'renewal-reminder',
    ]);
  });

  it('onboarding stalled: help by e-mail, then an onboarding call for the owner when nothing is used', async () => {
    await customer('otto', 'newco', { profit: 5000, lifecycleStage: 'onboarding' });
    await advance(tend, 'P31D');
    expect((await messagesTo('newco')).map((message) => message.payload.template)).toEqual(['getting-started-help']);
    await advance(tend, 'P4D');
    expect((await tasksFor('rita@tend.example', 'newco')).map((task) => task.objective)).toContain(
      'Walk them through their first success with the product',
    );
  });

  it('inbound reply unanswered: after a day the owner must answer it, and the manager hears when that is late too', async () => {
    await customer('ines', 'askco', { profit: 8000, lifecycleStage: 'active' });
    await send(tend, [
      track('ines', 'Message Replied', { channel: 'email', direction: 'inbound', summary: 'Where is my export?' }),
    ]);
    await advance(tend, 'P1DT1H');
    const [answer] = (await tasksFor('rita@tend.example', 'askco')).filter(
      (task) => task.source === 'playbook:inbound-reply-unanswered:create-task',
    );
    expect(answer?.objective).toBe("Answer the customer's message");
    await advance(tend, 'PT3H');
    expect((await tasksFor('maria@tend.example', 'askco')).map((task) => task.source)).toContain(
      'playbook:inbound-reply-unanswered:escalate',
    );
  });

  it('disengagement nudge: on the channel the person answers (SMS after SMS replies), then a call task when there is no response', async () => {
    const today = (await now(tend)).getTime();
    await customer('dina', 'quietco', { profit: 12000, lifecycleStage: 'active' }, { phone: '+41790000001' });
    expect((await tend.post('/api/v1/contacts/dina/consents', { channel: 'sms', status: 'opted-in' })).status).toBe(
      200,
    );
    // Ten weeks of steady sign-ins, then three quiet weeks; Dina has answered texts before, never e-mails.
    const history = [];
    for (let dayIndex = 91; dayIndex >= 1; dayIndex--) {
      const weekday = new Date(today - dayIndex * day).getUTCDay();
      const usual = weekday === 0 || weekday === 6 ? 1 : 10;
      const count = dayIndex <= 21 ? Math.round(usual * 0.25) : usual;
      for (let index = 0; index < count; index++)
        history.push(track('dina', 'Signed In', {}, new Date(today - dayIndex * day + 9 * 3_600_000 + index * 60_000)));
    }
    // The reply goes first: each request is evaluated as it commits, and the first half of the history
    // alone (its last sign-in seven weeks ago) already makes Dina disengaging.
    history.unshift(
      track('dina', 'Message Replied', { channel: 'sms', direction: 'inbound' }, new Date(today - 60 * day)),
    );
    await send(tend, history.slice(0, 400));
    await send(tend, history.slice(400));
    await advance(tend, 'P2D');
    const nudges = (await messagesTo('quietco')).filter((message) => message.payload.template === 'we-miss-you');
    expect(nudges.map((message) => [message.channel, message.recipient, message.status])).toEqual([
      ['sms', '+41790000001', 'delivered-locally'],
    ]);
    await advance(tend, 'P4D');
    expect((await tasksFor('rita@tend.example', 'quietco')).map((task) => task.source)).toContain(
      'playbook:disengagement-nudge:create-task',
    );
  });

  it('detractor: when the owner completes the follow-up call, the playbook records it on the account at once', async () => {
    await customer('dirk', 'grumpco', { profit: 9000, lifecycleStage: 'active' });
    await send(tend, [track('dirk', 'Survey Answered', { score: 1, comment: 'Nobody calls back' })]);
    await advance(tend, 'PT1M');
    const [call] = (await tasksFor('rita@tend.example', 'grumpco')).filter(
      (task) => task.source === 'playbook:detractor-follow-up:create-task',
    );
    expect(call).toBeDefined();
    expect(
      (await tend.post(`/api/v1/tasks/${call!.id}/complete`, { outcome: 'saved', note: 'Sorted the callback queue' }))
        .status,
    ).toBe(200);
    await advance(tend, 'PT1M');
    expect((await tend.admin('/api/v1/accounts/grumpco')).body.traits).toMatchObject({ detractorFollowUp: 'done' });
  });
});
