// `GET /api/v1/playbooks/{id}` says how far the playbook's sending has got over the last 24 hours: an
// outage hits four customers, one of whom has no address; while the sender is busy the notices wait,
// after its round they are sent, and a day later the window is empty again. On the manual clock.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { builtInPlaybooks } from '../../src/config/playbook-library.js';
import { advance, group, now, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
let dispatcherRound: () => Promise<number>;
const affected = ['olga', 'otto', 'oona', 'omar'] as const;

const progressOf = async () => {
  const { status, body } = await tend.admin('/api/v1/playbooks/outage-notice');
  expect(status, JSON.stringify(body)).toBe(200);
  return body.progress;
};

beforeAll(async () => {
  tend = await startTestTend({
    clock: { kind: 'manual', start: new Date('2026-05-04T10:00:00Z') },
    playbooks: builtInPlaybooks,
  });
  for (const userId of affected) {
    // Omar left neither an e-mail address nor a phone number: his notice is skipped.
    const address = userId === 'omar' ? {} : { email: `${userId}@${userId}co.example` };
    await send(tend, [
      { type: 'identify', userId, traits: { name: userId, timezone: 'UTC', ...address } },
      group(userId, `${userId}co`, { name: `${userId} Co`, profit: 10000 }),
    ]);
  }
  // The sender is busy elsewhere: the scheduler's rounds send nothing; the test runs the dispatcher itself.
  const dispatcher = tend.tend.dispatcher;
  const runDue = dispatcher.runDue.bind(dispatcher);
  dispatcherRound = () => runDue({ stopping: false });
  vi.spyOn(dispatcher, 'runDue').mockResolvedValue(0);
});
afterAll(async () => tend?.stop());

describe("a playbook's sending progress", () => {
  it('counts the runs entered and the notices waiting, then sent, per channel', async () => {
    await send(
      tend,
      affected.map((userId) => track(userId, 'Outage Started', { service: 'Invoicing' })),
    );
    await advance(tend, 'PT1M');
    const since = new Date((await now(tend)).getTime() - 86_400_000).toISOString();
    const waiting = { sent: 0, pending: 3, failed: 0, skipped: 1, unconfirmed: 0 };
    expect(await progressOf()).toEqual({
      since,
      entered: 4,
      messages: waiting,
      byChannel: [{ channel: 'email', ...waiting }],
    });
    expect(await dispatcherRound()).toBe(3);
    const sent = { ...waiting, sent: 3, pending: 0 };
    expect(await progressOf()).toEqual({
      since,
      entered: 4,
      messages: sent,
      byChannel: [{ channel: 'email', ...sent }],
    });
  });

  it('looks back 24 hours only: a day later the window is empty while the runs still wait', async () => {
    await advance(tend, 'PT24H');
    const progress = await progressOf();
    expect(progress).toMatchObject({
      entered: 0,
      messages: { sent: 0, pending: 0, failed: 0, skipped: 0, unconfirmed: 0 },
      byChannel: [],
    });
    const { body } = await tend.admin('/api/v1/playbooks/outage-notice');
    expect(body.priority).toBe('incident');
    expect(body.inProgress.treated).toBe(4);
  });
});
