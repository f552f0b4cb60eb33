// Promises made to a customer, end to end through the HTTP API on the manual clock with the built-in
// playbooks: a deal with promises from the CRM's events and from the API; one kept in time, one withdrawn,
// one not kept. The broken one raises promise-broken the day after its due date, its owner heard of it
// while it was due; the account's owner and the promise's owner are alerted, the owner gets the call with
// the promise among the talking points, the manager the escalation; the health score shows the component
// with its reason, and the renewal offer owns up to it. Kept and withdrawn promises raise nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInPlaybooks } from '../../src/config/playbook-library.js';
import { advance, group, openSignals, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
type Task = { owner: string; objective: string; source: string; accountId: string; talkingPoints: string[] };
const patch = async (path: string, body: unknown): Promise<{ status: number; body: any }> => {
  const response = await fetch(`${tend.url}${path}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tend.adminToken}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
};
const tasksFor = async (owner: string): Promise<Task[]> =>
  ((await tend.admin(`/api/v1/tasks?ownerId=${owner}&limit=500`)).body.tasks as Task[]).filter(
    (task) => task.accountId === 'promiseco',
  );

beforeAll(async () => {
  tend = await startTestTend({
    clock: { kind: 'manual', start: new Date('2026-03-02T09:00:00Z') },
    playbooks: builtInPlaybooks,
  });
  for (const user of [
    { email: 'maria@tend.example', name: 'Maria Manager', role: 'manager' },
    { email: 'rita@tend.example', name: 'Rita Rep', role: 'rep', managerEmail: 'maria@tend.example' },
    { email: 'sam@tend.example', name: 'Sam Seller', role: 'rep', managerEmail: 'maria@tend.example' },
    { email: 'erin@tend.example', name: 'Erin Engineer', role: 'rep', managerEmail: 'maria@tend.example' },
  ])
    expect((await tend.post('/api/v1/users', user)).status).toBe(201);
  await send(tend, [
    { type: 'identify', userId: 'paula', traits: { email: 'paula@promiseco.example', name: 'Paula Price' } },
    group('paula', 'promiseco', {
      name: 'Promise Co',
      owner: 'rita@tend.example',
      profit: 30000,
      lifecycleStage: 'active',
      renewalDate: '2026-06-25',
    }),
    // What Sam promised when he closed the deal, as the CRM sends it.
    track('paula', 'Promise Made', {
      promiseId: 'sso',
      title: 'Single sign-on',
      dueAt: '2026-03-20',
      madeBy: 'sam@tend.example',
      owner: 'erin@tend.example',
    }),
    track('paula', 'Promise Made', {
      promiseId: 'discount',
      title: 'A 10 % discount on the second year',
      dueAt: '2026-04-30',
      madeBy: 'sam@tend.example',
      owner: 'finance',
    }),
  ]);
});
afterAll(async () => tend?.stop());

describe('promises kept to delivery', () => {
  it('records a promise through the API and refuses one it cannot judge, naming the field', async () => {
    const made = await tend.post('/api/v1/accounts/promiseco/promises', {
      promiseId: 'export',
      title: 'Excel export',
      dueAt: '2026-03-25',
      owner: 'engineering',
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ promiseId: 'export', status: 'open', standing: 'open', dueDay: '2026-03-25' });
    const bad = await tend.post('/api/v1/accounts/promiseco/promises', { title: 'Soon', dueAt: 'next spring' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/dueAt/);
    const twice = await tend.post('/api/v1/accounts/promiseco/promises', {
      promiseId: 'export',
      title: 'Excel export',
      dueAt: '2026-03-25',
    });
    expect(twice.status).toBe(409);
    const unknown = await tend.post('/api/v1/accounts/nobody/promises', { title: 'X', dueAt: '2026-04-01' });
    expect(unknown.status).toBe(404);
    // An event without what was promised is refused whole, saying which property is missing.
    const event = await tend.track('/v1/batch', {
      batch: [track('paula', 'Promise Made', { promiseId: 'vague', dueAt: '2026-04-01' })],
    });
    expect(event.status).toBe(400);
    expect(JSON.stringify(event.body)).toMatch(/batch\[0\]\.properties\.title/);
  });

  it('a promise due within 7 days is a light signal on the account, told to whoever delivers it', async () => {
    await advance(tend, 'P12D'); // 2026-03-14 09:00: the SSO promise is due in 6 days.
    const due = (await openSignals(tend, 'promiseco')).filter((signal) => signal.kind === 'promise-due');
    expect(due.map((signal) => [signal.instance, signal.owner])).toEqual([['sso', 'rita@tend.example']]);
    // Erin hears of it in her morning digest (signals go to the digest unless she chose otherwise).
    const staff = (await tend.admin('/api/v1/outbox')).body.messages.filter(
      (message: { channel: string; recipient: string }) =>
        message.channel === 'staff-email' && message.recipient === 'erin@tend.example',
    );
    expect(staff.map((message: { message: { text: string } }) => message.message.text).join('\n')).toContain(
      'Promise Co: Promise due soon',
    );
    // The discount was withdrawn before its date, the export is kept in time.
    await send(tend, [
      track('paula', 'Promise Withdrawn', { promiseId: 'discount', reason: 'They chose the annual plan' }),
    ]);
    const kept = await patch('/api/v1/accounts/promiseco/promises/export', {
      status: 'kept',
      note: 'Shipped in 4.2',
    });
    expect(kept.status, JSON.stringify(kept.body)).toBe(200);
    expect(kept.body).toMatchObject({ status: 'kept', standing: 'kept' });
    const again = await patch('/api/v1/accounts/promiseco/promises/export', { status: 'withdrawn' });
    expect(again.status).toBe(409);
  });

  it('the day after its due date an unkept promise is broken: signal, alerts, call task, health', async () => {
    await advance(tend, 'P7D'); // 2026-03-21 09:00
    const signals = await openSignals(tend, 'promiseco');
    const broken = signals.filter((signal) => signal.kind === 'promise-broken');
    expect(broken.map((signal) => [signal.instance, signal.owner])).toEqual([['sso', 'rita@tend.example']]);
    expect(broken[0]?.reasons).toEqual([
      'Promise "Single sign-on" was due on 2026-03-20 and is 1 day late',
      'Promised by sam@tend.example on 2026-03-02; erin@tend.example must deliver it',
    ]);
    expect(signals.map((signal) => signal.kind)).not.toContain('promise-due');
    const ritas = await tasksFor('rita@tend.example');
    expect(ritas.map((task) => task.source).sort()).toEqual([
      'playbook:neglected-high-value:create-task',
      'playbook:promise-broken:alert',
      'playbook:promise-broken:create-task',
    ]);
    // The neglect call, due before the promise broke, already had it among its talking points.
    const neglectCall = ritas.find((task) => task.source === 'playbook:neglected-high-value:create-task');
    expect(neglectCall?.talkingPoints).toContain(
      'The promise "Single sign-on" is due on 2026-03-20: check it will be kept (erin@tend.example delivers it)',
    );
    const call = ritas.find((task) => task.source === 'playbook:promise-broken:create-task');
    expect(call?.talkingPoints).toContain(
      'Raise the promise "Single sign-on" due in March 2026, now 1 day late (erin@tend.example delivers it)',
    );
    expect((await tasksFor('erin@tend.example')).map((task) => task.source)).toEqual(['playbook:promise-broken:alert']);
    const health = (await tend.admin('/api/v1/accounts/promiseco/health')).body;
    const component = health.components.find((part: { name: string }) => part.name === 'promises');
    expect(component.score).toBeLessThan(50);
    expect(component.reasons[0]).toBe('Promise "Single sign-on" was due on 2026-03-20 and is 1 day late');
    const listed = (await tend.admin('/api/v1/accounts/promiseco/promises')).body.promises;
    expect(
      listed.map((promise: { promiseId: string; standing: string }) => [promise.promiseId, promise.standing]),
    ).toEqual([
      ['sso', 'broken'],
      ['export', 'kept'],
      ['discount', 'withdrawn'],
    ]);
    expect(listed[2].history.map((entry: { event: string; note: string | null }) => [entry.event, entry.note])).toEqual(
      [
        ['made', null],
        ['withdrawn', 'They chose the annual plan'],
      ],
    );
  });

  it("the manager hears when the owner's call has not happened within 2 days", async () => {
    await advance(tend, 'P3D'); // 2026-03-24
    expect((await tasksFor('maria@tend.example')).map((task) => task.source)).toContain(
      'playbook:promise-broken:escalate',
    );
  });

  it('the renewal offer owns up to the broken promise, and kept or withdrawn ones raise nothing', async () => {
    await advance(tend, 'P4D'); // 2026-03-28: the renewal is 89 days away.
    const messages = (await tend.admin('/api/v1/outbox?accountId=promiseco')).body.messages as {
      payload: { template: string };
      message: { text?: string } | null;
    }[];
    const offer = messages.find((message) => message.payload.template === 'renewal-offer');
    expect(offer?.message?.text).toContain(
      'We have not forgotten what we promised you: Single sign-on, due on 2026-03-20.',
    );
    const kinds = (await openSignals(tend, 'promiseco')).map((signal) => [signal.kind, signal.instance]);
    expect(kinds.filter(([kind]) => kind?.startsWith('promise-'))).toEqual([['promise-broken', 'sso']]);
    // Kept late, it clears.
    const late = await patch('/api/v1/accounts/promiseco/promises/sso', { status: 'kept' });
    expect(late.body.standing).toBe('kept-late');
    await advance(tend, 'PT1M');
    expect((await openSignals(tend, 'promiseco')).map((signal) => signal.kind)).not.toContain('promise-broken');
  });
});
