// The built-in playbooks run end to end through the HTTP API on a manual clock: signals start runs,
// steps create tasks, escalate to the manager, write e-mails to the outbox (the local mailbox), and
// results are counted against the holdout group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInPlaybooks } from '../../src/config/playbook-library.js';
import { advance, group, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
type Task = { owner: string; objective: string; source: string; status: string; dueAt: string };
const tasksOf = async (owner: string): Promise<Task[]> =>
  (await tend.admin(`/api/v1/tasks?ownerId=${owner}&limit=100`)).body.tasks;

beforeAll(async () => {
  tend = await startTestTend({
    clock: { kind: 'manual', start: new Date('2026-05-04T09:00:00Z') },
    playbooks: builtInPlaybooks,
  });
  await tend.post('/api/v1/users', { email: 'maria@tend.example', role: 'manager' });
  await tend.post('/api/v1/users', { email: 'rita@tend.example', role: 'rep', managerEmail: 'maria@tend.example' });
  await send(tend, [
    {
      type: 'identify',
      userId: 'nina',
      traits: { email: 'nina@northwind.example', name: 'Nina', timezone: 'Europe/Berlin' },
    },
    group('nina', 'northwind', { name: 'Northwind', profit: 200000, owner: 'rita@tend.example' }),
    {
      type: 'identify',
      userId: 'pete',
      traits: { email: 'pete@payco.example', name: 'Pete', timezone: 'Europe/Berlin' },
    },
    group('pete', 'payco', { name: 'PayCo', profit: 1000, owner: 'rita@tend.example' }),
  ]);
});
afterAll(async () => tend?.stop());

describe('built-in playbooks, end to end', () => {
  it('lists the built-in playbooks', async () => {
    const { body } = await tend.admin('/api/v1/playbooks');
    expect(body.playbooks.map((playbook: { id: string }) => playbook.id)).toEqual(
      expect.arrayContaining(['neglected-high-value', 'detractor-follow-up', 'late-payment', 'disengagement-nudge']),
    );
  });

  it('a detractor gets the owner an alert within the hour and a follow-up task, escalated to the manager when late', async () => {
    await send(tend, [track('pete', 'Survey Answered', { score: 2, comment: 'Billing is a mess' })]);
    await advance(tend, 'PT1M');
    const rita = await tasksOf('rita@tend.example');
    const alert = rita.find((task) => task.source === 'playbook:detractor-follow-up:alert');
    expect(alert?.objective).toMatch(/low survey score/);
    expect(alert?.dueAt).toBe('2026-05-04T10:00:00.000Z'); // within the hour of the answer
    expect(rita.find((task) => task.source === 'playbook:detractor-follow-up:create-task')?.objective).toMatch(
      /what went wrong/,
    );
    // The follow-up is due in a day; 12 hours later still not done: the manager is told.
    await advance(tend, 'P1DT13H');
    const maria = await tasksOf('maria@tend.example');
    expect(maria.some((task) => task.source === 'playbook:detractor-follow-up:escalate')).toBe(true);
  });

  it('a neglected tier-A account gets its owner a call task with talking points', async () => {
    await advance(tend, 'P14D');
    const call = (await tasksOf('rita@tend.example')).find(
      (task) => task.source === 'playbook:neglected-high-value:create-task',
    );
    expect(call?.objective).toMatch(/Call to review/);
    const results = (await tend.admin('/api/v1/playbooks/neglected-high-value/results')).body;
    expect(results.treated.entered).toBe(1);
    expect(results.holdout.entered).toBe(0);
  });

  it('a late invoice gets an empathetic e-mail in the outbox, outside quiet hours, exactly once, counted as an automated touch', async () => {
    await send(tend, [track('pete', 'Invoice Issued', { invoiceId: 'INV-7', amount: 1200, dueDate: '2026-05-25' })]);
    await advance(tend, 'P7D');
    const { body } = await tend.admin('/api/v1/outbox?accountId=payco');
    const emails = body.messages.filter(
      (message: { payload: { template: string } }) => message.payload.template === 'payment-plan-offer',
    );
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      channel: 'email',
      recipient: 'pete@payco.example',
      status: 'delivered-locally',
      payload: { tone: 'empathetic' },
    });
    // Raised at midnight UTC (02:00 in Berlin, quiet hours): deferred to 08:00 Berlin time.
    expect(emails[0].sentAt).toBe('2026-05-26T06:00:00.000Z');
    // Tend's own e-mail is an automated touch in the contact audit: by the system, one-way.
    const audit = (await tend.admin('/api/v1/accounts/payco/audit')).body;
    expect(audit.windows[0]).toMatchObject({
      days: 30,
      total: 1,
      byChannel: { email: 1 },
      byActor: { system: 1, rep: 0 },
      twoWay: 0,
    });
    await advance(tend, 'P1D');
    expect(
      (await tend.admin('/api/v1/outbox?accountId=payco')).body.messages.filter(
        (message: { payload: { template: string } }) => message.payload.template === 'payment-plan-offer',
      ),
    ).toHaveLength(1);
  });
});
