// An account's timeline and people through HTTP with people's sessions: everything that happened, newest
// first, filtered by kind and paged without repeats; the people with their consents, do-not-contact and
// the channel they answer on; another rep's account is as unknown as a wrong id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, signIn } from '../support/people.js';
import { advance, group, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
let rita: Person;
let sam: Person;

interface Entry {
  id: string;
  at: string;
  kind: string;
  name: string;
  summary: string | null;
  person: { id: string; name: string | null } | null;
  by: string | null;
  channel: string | null;
}

async function timeline(person: Person, query = ''): Promise<Entry[]> {
  const answer = await person.get(`/api/v1/accounts/northwind/timeline?limit=200${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.items;
}

beforeAll(async () => {
  tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-01-01T09:00:00Z') } });
  await signIn(tend, { email: 'maria@tend.example', role: 'manager' });
  const team = { role: 'rep', managerEmail: 'maria@tend.example' } as const;
  rita = await signIn(tend, { email: 'rita@tend.example', name: 'Rita', ...team });
  sam = await signIn(tend, { email: 'sam@tend.example', ...team });
  const nina = { name: 'Nina North', email: 'Nina@Northwind.example', phone: '+4915100000001' };
  const ninaSpeaks = { language: 'de', timezone: 'Europe/Berlin' };
  const otto = { name: 'Otto North', email: 'otto@northwind.example', phone: '+4915100000002' };
  await send(tend, [
    { type: 'identify', userId: 'nina', traits: { ...nina, ...ninaSpeaks } },
    { type: 'identify', userId: 'otto', traits: otto },
    group('nina', 'northwind', { name: 'Northwind Traders', profit: 100000, owner: 'rita@tend.example' }),
    group('otto', 'northwind', {}),
    group('carl', 'contoso', { name: 'Contoso', profit: 30000, owner: 'sam@tend.example' }),
  ]);
  await advance(tend, 'PT1H');
  await send(tend, [track('nina', 'Invoice Paid', { invoiceId: 'INV-1', amount: 1200 })]);
  await advance(tend, 'PT1H');
  const call = { rep: 'rita@tend.example', summary: 'Talked about the renewal', objective: 'review' };
  await send(tend, [track('nina', 'Call Logged', call)]);
  await advance(tend, 'PT1H');
  const lunch = { accountId: 'northwind', userId: 'otto', channel: 'meeting', direction: 'outbound' };
  const logged = await rita.post('/api/v1/interactions', { ...lunch, summary: 'Lunch with Otto' });
  expect(logged.status, JSON.stringify(logged.body)).toBe(201);
  await advance(tend, 'PT1H');
  const proposal = { owner: 'rita@tend.example', accountId: 'northwind', objective: 'Send the proposal', dueIn: 'P2D' };
  const task = await tend.post('/api/v1/tasks', proposal);
  expect(task.status, JSON.stringify(task.body)).toBe(201);
  await advance(tend, 'PT1H');
  const done = await tend.post(`/api/v1/tasks/${task.body.id}/complete`, { outcome: 'reached', note: 'Sent' });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  await advance(tend, 'PT1H');
  const reply = { channel: 'sms', direction: 'inbound', body: 'Please call me' };
  await send(tend, [track('otto', 'Message Replied', reply)]);
  // Tier A, 14 days without a conversation: neglected.
  await advance(tend, 'P16D');
  const optIn = { channel: 'email', status: 'opted-in', source: 'signup form' };
  expect((await tend.post('/api/v1/contacts/nina/consents', optIn)).status).toBe(200);
  const stop = { value: otto.phone, reason: 'asked us to stop' };
  expect((await tend.post('/api/v1/do-not-contact', stop)).status).toBe(201);
});
afterAll(async () => tend?.stop());

describe("an account's timeline", () => {
  it('shows events, touches, messages, tasks and signals, newest first, in words', async () => {
    const entries = await timeline(rita);
    const times = entries.map((entry) => entry.at);
    expect(times).toEqual([...times].sort().reverse());
    const kinds = new Set(entries.map((entry) => entry.kind));
    expect([...kinds].sort()).toEqual(['event', 'message', 'signal', 'task', 'touch']);
    const named = (name: string) => entries.find((entry) => entry.name === name);
    expect(named('Invoice Paid')).toMatchObject({ kind: 'event', person: { id: 'nina', name: 'Nina North' } });
    expect(entries.find((entry) => entry.name === 'Call Logged')).toMatchObject({
      kind: 'touch',
      by: 'rita@tend.example',
      summary: 'review: Talked about the renewal',
    });
    expect(entries.find((entry) => entry.name === 'Meeting')).toMatchObject({
      kind: 'touch',
      by: 'rita@tend.example',
      summary: 'Lunch with Otto',
      person: { id: 'otto' },
    });
    expect(entries.find((entry) => entry.name === 'Task Created')?.summary).toMatch(/Send the proposal/);
    expect(named('Task Completed')).toMatchObject({ kind: 'task', summary: 'reached: Sent', by: 'tend' });
    expect(named('Message Replied')).toMatchObject({ kind: 'message', summary: 'sms: Please call me', channel: 'sms' });
    const raised = entries.filter((entry) => entry.name === 'Signal Raised');
    expect(raised.some((entry) => entry.summary?.startsWith('neglected'))).toBe(true);
    // The call is on the timeline once, as its event, not again as the touch it recorded.
    expect(entries.filter((entry) => entry.summary?.includes('Talked about the renewal'))).toHaveLength(1);
  });

  it('keeps the kinds asked for', async () => {
    const touches = await timeline(rita, '&kinds=touch');
    expect(touches.map((entry) => entry.name).sort()).toEqual(['Call Logged', 'Meeting']);
    const some = await timeline(rita, '&kinds=task,signal');
    expect(new Set(some.map((entry) => entry.kind))).toEqual(new Set(['task', 'signal']));
    const events = await timeline(rita, '&kinds=event');
    expect(events.every((entry) => entry.kind === 'event')).toBe(true);
    expect(events.map((entry) => entry.name)).toContain('Invoice Paid');
  });

  it('pages newest first without repeating or skipping an entry', async () => {
    const whole = (await timeline(rita)).map((entry) => entry.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const after = cursor === null ? '' : `&cursor=${cursor}`;
      const answer = await rita.get(`/api/v1/accounts/northwind/timeline?limit=2${after}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.items.length).toBeLessThanOrEqual(2);
      paged.push(...answer.body.items.map((entry: Entry) => entry.id));
      cursor = answer.body.next;
    } while (cursor !== null);
    expect(paged).toEqual(whole);
  });

  it("answers another rep's account as an unknown one, and refuses bad parameters naming the field", async () => {
    expect((await sam.get('/api/v1/accounts/northwind/timeline')).status).toBe(404);
    expect((await sam.get('/api/v1/accounts/nowhere/timeline')).status).toBe(404);
    const badKinds = await rita.get('/api/v1/accounts/northwind/timeline?kinds=touch,gossip');
    expect(badKinds.status).toBe(400);
    expect(badKinds.body.errors[0].field).toMatch(/kinds/);
    const badCursor = await rita.get('/api/v1/accounts/northwind/timeline?cursor=abc');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.errors[0].field).toBe('cursor');
    const badLimit = await rita.get('/api/v1/accounts/northwind/timeline?limit=-1');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.errors[0].field).toMatch(/limit/);
  });
});

describe("an account's people", () => {
  it('shows how to reach each, their consents, do-not-contact and the channel they answer on', async () => {
    const answer = await rita.get('/api/v1/accounts/northwind/people');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const [nina, otto] = answer.body.items;
    expect(nina).toMatchObject({
      id: 'nina',
      name: 'Nina North',
      email: 'Nina@Northwind.example',
      phone: '+4915100000001',
      language: 'de',
      timezone: 'Europe/Berlin',
      doNotContact: false,
      consents: [
        { channel: 'email', status: 'opted-in', source: 'signup form' },
        { channel: 'sms', status: 'unknown', at: null, source: null },
      ],
    });
    // Nobody answered anything yet: e-mail, as people in general answer it a little more.
    expect(nina.channelPreference.best).toBe('email');
    expect(otto).toMatchObject({ id: 'otto', doNotContact: true });
    // Otto wrote back by text: that is the channel he answers on.
    expect(otto.channelPreference.best).toBe('sms');
    expect(otto.channelPreference.channels[0]).toMatchObject({ channel: 'sms', responses: 1 });
  });

  it('pages by person, and keeps other reps out', async () => {
    const first = await rita.get('/api/v1/accounts/northwind/people?limit=1');
    expect(first.body.items.map((person: { id: string }) => person.id)).toEqual(['nina']);
    const second = await rita.get(`/api/v1/accounts/northwind/people?limit=1&cursor=${first.body.next}`);
    expect(second.body.items.map((person: { id: string }) => person.id)).toEqual(['otto']);
    expect(second.body.next).toBeNull();
    expect((await sam.get('/api/v1/accounts/northwind/people')).status).toBe(404);
    expect((await rita.get('/api/v1/accounts/northwind/people?cursor=%21')).status).toBe(400);
  });
});
