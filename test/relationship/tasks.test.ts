// Tasks through the HTTP API on a manual clock: created once per idempotency key, escalated to the
// owner's manager when late, completed with an outcome that is recorded as an event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
beforeAll(async () => {
  tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-04-01T08:00:00Z') } });
  await tend.post('/api/v1/users', { email: 'boss@tend.example', role: 'manager' });
  await tend.post('/api/v1/users', { email: 'rep@tend.example', role: 'rep', managerEmail: 'boss@tend.example' });
});
afterAll(async () => tend?.stop());

describe('tasks', () => {
  it('creates a task once per idempotency key, escalates it to the manager when late, and records its outcome', async () => {
    const body = {
      owner: 'rep@tend.example',
      accountId: 'acme',
      objective: 'Call about the renewal',
      talkingPoints: ['Usage up 20 %', 'Renewal on 1 June'],
      dueIn: 'PT4H',
      idempotencyKey: 'renewal-acme-2026',
    };
    const first = await tend.post('/api/v1/tasks', body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      owner: 'rep@tend.example',
      status: 'open',
      dueAt: '2026-04-01T12:00:00.000Z',
      talkingPoints: ['Usage up 20 %', 'Renewal on 1 June'],
    });
    const again = await tend.post('/api/v1/tasks', body);
    expect(again.body.id).toBe(first.body.id);
    expect((await tend.admin('/api/v1/tasks?ownerId=rep@tend.example')).body.tasks).toHaveLength(1);

    await advance(tend, 'PT3H');
    expect((await tend.admin('/api/v1/tasks?ownerId=rep@tend.example')).body.tasks[0].escalatedAt).toBeNull();
    await advance(tend, 'PT2H');
    const late = (await tend.admin('/api/v1/tasks?ownerId=rep@tend.example&overdue=true')).body.tasks[0];
    expect(late).toMatchObject({ escalatedAt: '2026-04-01T12:00:00.000Z', escalatedTo: 'boss@tend.example' });

    const done = await tend.post(`/api/v1/tasks/${first.body.id}/complete`, {
      outcome: 'saved',
      note: 'Renewed for two years',
    });
    expect(done.body).toMatchObject({ status: 'done', outcome: 'saved', note: 'Renewed for two years' });
    const conflict = await tend.post(`/api/v1/tasks/${first.body.id}/complete`, { outcome: 'lost' });
    expect(conflict.status).toBe(409);
    const names = (await tend.admin('/api/v1/events?accountId=acme')).body.events.map(
      (event: { name: string }) => event.name,
    );
    expect(names).toEqual(['Task Completed', 'Task Escalated', 'Task Created']);
  });

  it('lists what a manager was escalated, with account names, a page at a time', async () => {
    await tend.track('/v1/group', { userId: 'pat', groupId: 'globex', traits: { name: 'Globex' } });
    for (const [index, accountId] of ['globex', 'initech', 'globex'].entries()) {
      const task = { owner: 'rep@tend.example', accountId, objective: `Follow up ${index}`, dueIn: `PT${index + 1}H` };
      expect((await tend.post('/api/v1/tasks', task)).status).toBe(201);
    }
    await advance(tend, 'PT4H');
    const escalated = (path: string) => tend.admin(`/api/v1/tasks?escalatedTo=boss@tend.example&status=open${path}`);
    const first = await escalated('&limit=2');
    expect(first.body.tasks.map((task: { objective: string }) => task.objective)).toEqual([
      'Follow up 0',
      'Follow up 1',
    ]);
    expect(first.body.tasks[0]).toMatchObject({
      accountId: 'globex',
      accountName: 'Globex',
      escalatedTo: 'boss@tend.example',
    });
    expect(first.body.tasks[1].accountName).toBeNull();
    const second = await escalated(`&limit=2&cursor=${first.body.next}`);
    expect(second.body.tasks.map((task: { objective: string }) => task.objective)).toEqual(['Follow up 2']);
    expect(second.body.next).toBeNull();
    expect((await escalated('&cursor=not-a-cursor')).body.errors[0].field).toBe('cursor');
    expect((await tend.admin('/api/v1/tasks?escalatedTo=me')).status).toBe(400);
  });

  it('names what is wrong: an unknown owner, a bad duration, an unknown outcome', async () => {
    expect(
      (await tend.post('/api/v1/tasks', { owner: 'ghost@tend.example', objective: 'x' })).body.errors[0].field,
    ).toBe('body.owner');
    expect(
      (await tend.post('/api/v1/tasks', { owner: 'rep@tend.example', objective: 'x', dueIn: 'tomorrow' })).body
        .errors[0].field,
    ).toBe('body.dueIn');
    const badOutcome = await tend.post('/api/v1/tasks/01a209bb-d7a4-7004-9a9e-afdd41b429aa/complete', {
      outcome: 'maybe',
    });
    expect(badOutcome.status).toBe(400);
  });
});
