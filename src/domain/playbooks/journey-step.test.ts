// Walks runs through small playbooks with plain facts: what happens next, the keys it carries, and
// how each recorded change moves the run on with a new version.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TendError } from '../errors.js';
import { advance, nextAction, startRun, type RunState, type StepAction } from './journey-step.js';
import type { Playbook } from './playbook-definition.js';
import { validatePlaybook } from './playbook-validation.js';
import type { RunContext, RunEvent } from './run-conditions.js';

const hour = 3_600_000;
const day = 24 * hour;
const entered = new Date('2025-06-02T10:00:00Z');
const at = (ms: number): Date => new Date(entered.getTime() + ms);

function playbookFrom(yamlText: string): Playbook {
  return validatePlaybook(parse(yamlText), 'test.yaml');
}

const nudge = playbookFrom(`
id: disengagement-nudge
name: Disengagement nudge
version: 2
trigger: { signal: disengaging }
steps:
  - { id: nudge, send: { channel: best, template: we-miss-you } }
  - { id: wait-for-reply, wait: { event: Message Replied, timeout: P3D } }
  - { id: check-response, branch: { if: responded, then: done, else: call-owner } }
  - { id: call-owner, task: { for: owner, objective: Find out why usage dropped, talkingPoints: [usage], dueIn: P1D } }
  - { id: escalate-call, escalate: { task: call-owner, after: PT4H } }
  - { id: done, exit: { reason: re-engaged } }
exit: [signal-cleared, { event: Subscription Cancelled }]
goal: { event: Signed In, within: P14D }
holdout: 0.1
`);

function context(events: RunEvent[] = [], overrides: Partial<RunContext> = {}): RunContext {
  return {
    events,
    triggerSignalOpen: true,
    openSignals: ['disengaging'],
    traits: {},
    timezone: 'Europe/Berlin',
    completedTasks: [],
    ...overrides,
  };
}

const event = (name: string, when: Date, properties: Record<string, unknown> = {}): RunEvent => ({
  name,
  at: when,
  properties,
});

function started(playbook = nudge): RunState {
  return startRun(playbook, { runId: 'run-1', recipient: 'contact-7', group: 'treated', enteredAt: entered });
}

/** Performs the action at the given time and returns the new state. */
function perform(run: RunState, action: StepAction, when: Date): RunState {
  return advance(run, action, { kind: 'performed', at: when });
}

describe('nextAction and advance: send → wait 3 days for a reply → branch', () => {
  it('sends first, with the key run:step:recipient, then waits three days from the send', () => {
    const run = started();
    const send = nextAction(nudge, run, context(), entered);
    expect(send).toMatchObject({
      kind: 'send',
      stepId: 'nudge',
      nextStepId: 'wait-for-reply',
      channel: 'best',
      template: 'we-miss-you',
      recipient: 'contact-7',
      idempotencyKey: 'run-1:nudge:contact-7',
      runVersion: 1,
    });
    const afterSend = perform(run, send, at(1 * hour));
    expect(afterSend).toMatchObject({
      version: 2,
      stepId: 'wait-for-reply',
      waitingSince: at(1 * hour),
      lastSendAt: at(1 * hour),
    });
    expect(nextAction(nudge, afterSend, context(), at(1 * day))).toEqual({
      kind: 'wait',
      stepId: 'wait-for-reply',
      until: at(3 * day + 1 * hour),
      runVersion: 2,
      trail: [],
    });
  });

  it('exits as re-engaged when the reply comes within three days', () => {
    const afterSend = perform(started(), nextAction(nudge, started(), context(), entered), entered);
    const replied = context([event('Message Replied', at(2 * day))]);
    const action = nextAction(nudge, afterSend, replied, at(2 * day));
    expect(action).toMatchObject({ kind: 'exit', reason: 'step done: re-engaged' });
    expect(action.trail).toEqual([
      'wait-for-reply: Message Replied at 2025-06-04T10:00:00.000Z',
      'check-response: responded to the last message is true → done',
    ]);
    expect(perform(afterSend, action, at(2 * day))).toMatchObject({
      status: 'exited',
      stepId: null,
      version: 3,
      endReason: 'step done: re-engaged',
    });
  });

  it(
    'creates a task for the owner when no reply came in three days; ' +
      'a reply from before the message does not count',
    () => {
      const afterSend = perform(started(), nextAction(nudge, started(), context(), entered), entered);
      const stale = context([event('Message Replied', at(-day))]);
      const task = nextAction(nudge, afterSend, stale, at(3 * day + 2 * hour));
      expect(task).toMatchObject({
        kind: 'create-task',
        stepId: 'call-owner',
        for: 'owner',
        objective: 'Find out why usage dropped',
        talkingPoints: ['usage'],
        dueAt: at(4 * day + 2 * hour),
        idempotencyKey: 'run-1:call-owner:owner',
      });
      expect(task.trail).toEqual([
        'wait-for-reply: no Message Replied within P3D',
        'check-response: responded to the last message is false → call-owner',
      ]);
    },
  );

  it('still counts a reply that came after the timeout but before the branch was decided', () => {
    const afterSend = perform(started(), nextAction(nudge, started(), context(), entered), entered);
    const late = context([event('Message Replied', at(3 * day + hour))]);
    const action = nextAction(nudge, afterSend, late, at(3 * day + 2 * hour));
    expect(action.trail).toEqual([
      'wait-for-reply: no Message Replied within P3D',
      'check-response: responded to the last message is true → done',
    ]);
    expect(action.kind).toBe('exit');
  });

  it(
    'escalates the task to the manager when it is not done 4 hours after its due time, ' + 'and not when it is done',
    () => {
      const afterSend = perform(started(), nextAction(nudge, started(), context(), entered), entered);
      const task = nextAction(nudge, afterSend, context(), at(3 * day));
      const afterTask = perform(afterSend, task, at(3 * day));
      expect(afterTask.tasks).toEqual([
        { stepId: 'call-owner', idempotencyKey: 'run-1:call-owner:owner', dueAt: at(4 * day) },
      ]);
      expect(nextAction(nudge, afterTask, context(), at(4 * day))).toMatchObject({
        kind: 'wait',
        stepId: 'escalate-call',
        until: at(4 * day + 4 * hour),
      });
      expect(nextAction(nudge, afterTask, context(), at(4 * day + 4 * hour))).toMatchObject({
        kind: 'escalate',
        taskKey: 'run-1:call-owner:owner',
        to: 'manager',
        idempotencyKey: 'run-1:escalate-call:manager',
        nextStepId: 'done',
      });
      const done = context([], { completedTasks: ['run-1:call-owner:owner'] });
      expect(nextAction(nudge, afterTask, done, at(5 * day))).toMatchObject({
        kind: 'exit',
        trail: ['escalate-call: task call-owner done in time'],
      });
    },
  );
});

describe('nextAction: exit conditions and the goal come first', () => {
  const waiting = perform(started(), nextAction(nudge, started(), context(), entered), entered);

  it('exits when the trigger signal cleared or an exit event happened, even in the middle of a wait', () => {
    expect(nextAction(nudge, waiting, context([], { triggerSignalOpen: false }), at(day))).toMatchObject({
      kind: 'exit',
      reason: 'signal-cleared',
    });
    expect(nextAction(nudge, waiting, context([event('Subscription Cancelled', at(day))]), at(day))).toMatchObject({
      kind: 'exit',
      reason: 'event: Subscription Cancelled',
    });
    // An exit event from before the run began does not count.
    expect(nextAction(nudge, waiting, context([event('Subscription Cancelled', at(-day))]), at(day)).kind).toBe('wait');
  });

  it('completes when the goal event happens within its window, and not after it', () => {
    expect(nextAction(nudge, waiting, context([event('Signed In', at(13 * day))]), at(13 * day))).toMatchObject({
      kind: 'complete',
      reason: 'goal-reached',
    });
    const lateGoal = context([event('Signed In', at(15 * day))]);
    expect(nextAction(nudge, waiting, lateGoal, at(15 * day)).kind).toBe('create-task');
  });
});

describe('advance: versions and stale changes', () => {
  it('returns a new state with the version one higher and leaves the old one untouched', () => {
    const run = Object.freeze(started());
    const next = perform(run, nextAction(nudge, run, context(), entered), entered);
    expect(run.version).toBe(1);
    expect(run.stepId).toBe('nudge');
    expect(next.version).toBe(2);
  });

  it('refuses an action decided from a stale version, as a conflict naming the version', () => {
    const run = started();
    const action = nextAction(nudge, run, context(), entered);
    const moved = perform(run, action, entered);
    expect(() => perform(moved, action, entered)).toThrowError(TendError);
    try {
      perform(moved, action, entered);
    } catch (error) {
      expect(error).toMatchObject({ code: 'conflict', status: 409, problems: [{ field: 'version' }] });
    }
  });

  it('records a skipped send as an attempt without a last send, so the branch sees no response', () => {
    const run = started();
    const skipped = advance(run, nextAction(nudge, run, context(), entered), {
      kind: 'skipped',
      at: entered,
      reason: 'opted-out',
    });
    expect(skipped).toMatchObject({ lastSendAt: null, attempts: { nudge: 1 }, stepId: 'wait-for-reply' });
    const action = nextAction(nudge, skipped, context([event('Message Clicked', at(hour))]), at(3 * day));
    expect(action.kind).toBe('create-task');
  });
});

describe('nextAction: loops, local-time waits, holdout, branches on facts', () => {
  const reminder = playbookFrom(`
id: late-payment
name: Late payment
version: 1
trigger: { signal: payment-late }
steps:
  - { id: morning, wait: { until: "09:00" } }
  - { id: remind, send: { channel: email, template: payment-reminder, tone: empathetic, fallback: sms } }
  - { id: pause, wait: { for: P7D } }
  - { id: again, branch: { if: { signal-open: payment-late }, then: remind, else: stop } }
  - { id: stop, exit: true }
exit: [{ event: Invoice Paid }]
goal: { event: Invoice Paid, within: P30D }
`);

  it('waits until 09:00 in the contact time zone, then sends', () => {
    const run = startRun(reminder, { runId: 'run-2', recipient: 'contact-9', group: 'treated', enteredAt: entered });
    // 10:00Z is 12:00 in Berlin: 09:00 next comes tomorrow at 07:00Z; in New York (06:00 local) today at 13:00Z.
    expect(nextAction(reminder, run, context(), entered)).toMatchObject({
      kind: 'wait',
      until: new Date('2025-06-03T07:00:00Z'),
    });
    expect(nextAction(reminder, run, context([], { timezone: 'America/New_York' }), entered)).toMatchObject({
      until: new Date('2025-06-02T13:00:00Z'),
    });
    expect(nextAction(reminder, run, context(), new Date('2025-06-03T07:00:00Z'))).toMatchObject({
      kind: 'send',
      tone: 'empathetic',
      fallback: 'sms',
    });
  });

  it('numbers the attempts of a step that repeats on a loop', () => {
    let run = startRun(reminder, { runId: 'run-2', recipient: 'contact-9', group: 'treated', enteredAt: entered });
    let now = new Date('2025-06-03T07:00:00Z');
    const overdue = context([], { openSignals: ['payment-late'] });
    const keys: string[] = [];
    for (let round = 0; round < 3; round += 1) {
      const send = nextAction(reminder, run, overdue, now);
      expect(send.kind).toBe('send');
      if (send.kind === 'send') keys.push(send.idempotencyKey);
      run = perform(run, send, now);
      now = new Date(now.getTime() + 7 * day);
      // The wait at `pause` ended; the branch went back to `remind`, which acts now.
      expect(nextAction(reminder, run, overdue, now).trail).toEqual([
        'pause: waited P7D',
        'again: signal payment-late open is true → remind',
      ]);
    }
    expect(keys).toEqual(['run-2:remind:contact-9', 'run-2:remind:contact-9:2', 'run-2:remind:contact-9:3']);
    expect(nextAction(reminder, run, context([], { openSignals: [] }), now)).toMatchObject({
      kind: 'exit',
      reason: 'step stop',
    });
  });

  it('starts the clock of a wait reached through a branch when the engine records entering it', () => {
    const twoWaits = playbookFrom(`
id: two-waits
name: Two waits
version: 1
trigger: { signal: neglected }
steps:
  - { id: first, wait: { for: P1D } }
  - { id: vip, branch: { if: { trait: { vip: true } }, then: second, else: hello } }
  - { id: second, wait: { for: P2D } }
  - { id: hello, send: { channel: email, template: hello } }
`);
    const vip = context([], { traits: { vip: true } });
    const run = startRun(twoWaits, { runId: 'run-5', recipient: 'contact-5', group: 'treated', enteredAt: entered });
    expect(nextAction(twoWaits, run, vip, at(hour))).toMatchObject({ kind: 'wait', stepId: 'first', until: at(day) });
    const enter = nextAction(twoWaits, run, vip, at(day + hour));
    expect(enter).toMatchObject({
      kind: 'wait',
      stepId: 'second',
      until: at(3 * day + hour),
      trail: ['first: waited P1D', 'vip: vip = true is true → second'],
    });
    const inSecond = perform(run, enter, at(day + hour));
    expect(inSecond).toMatchObject({ stepId: 'second', waitingSince: at(day + hour), version: 2 });
    expect(nextAction(twoWaits, inSecond, vip, at(2 * day))).toMatchObject({
      kind: 'wait',
      stepId: 'second',
      until: at(3 * day + hour),
    });
    // Recording the same wait again changes only the version.
    expect(perform(inSecond, nextAction(twoWaits, inSecond, vip, at(2 * day)), at(2 * day))).toMatchObject({
      waitingSince: at(day + hour),
      version: 3,
    });
    expect(nextAction(twoWaits, inSecond, vip, at(3 * day + hour))).toMatchObject({
      kind: 'send',
      trail: ['second: waited P2D'],
    });
    expect(nextAction(twoWaits, run, context(), at(day + hour))).toMatchObject({ kind: 'send', stepId: 'hello' });
  });

  it('keeps a held-out run quiet until the goal window ends, still counting its goal', () => {
    const held = startRun(reminder, { runId: 'run-3', recipient: 'contact-3', group: 'holdout', enteredAt: entered });
    const wait = nextAction(reminder, held, context(), entered);
    expect(wait).toEqual({ kind: 'wait', stepId: null, until: at(30 * day), runVersion: 1, trail: [] });
    expect(perform(held, wait, entered)).toMatchObject({ version: 2, stepId: 'morning' });
    expect(nextAction(reminder, held, context(), at(30 * day))).toMatchObject({
      kind: 'complete',
      reason: 'holdout-window-ended',
    });
    // Invoice Paid is both an exit and the goal; exit conditions are checked first.
    expect(nextAction(reminder, held, context([event('Invoice Paid', at(day))]), at(day))).toMatchObject({
      kind: 'exit',
    });
  });

  it('branches on traits and on events since entry, and completes after the last step', () => {
    const offer = playbookFrom(`
id: renewal
name: Renewal
version: 1
trigger: { signal: renewal-approaching }
steps:
  - { id: usage, branch: { if: { trait: { usageBand: high } }, then: upsell, else: keep } }
  - { id: keep, send: { channel: email, template: renewal-keep } }
  - { id: upsell, branch: { if: { event: Feature Used, where: { feature: reports } }, then: mark, else: skip-mark } }
  - { id: skip-mark, exit: true }
  - { id: mark, update: { trait: renewalOffer, value: multi-year } }
`);
    const run = startRun(offer, { runId: 'run-4', recipient: 'contact-4', group: 'treated', enteredAt: entered });
    expect(nextAction(offer, run, context(), at(hour))).toMatchObject({ kind: 'send', template: 'renewal-keep' });
    const high = context([event('Feature Used', at(hour), { feature: 'reports' })], { traits: { usageBand: 'high' } });
    const update = nextAction(offer, run, high, at(hour));
    expect(update).toMatchObject({
      kind: 'update-trait',
      trait: 'renewalOffer',
      value: 'multi-year',
      nextStepId: null,
    });
    const highOtherFeature = context([event('Feature Used', at(hour), { feature: 'export' })], {
      traits: { usageBand: 'high' },
    });
    expect(nextAction(offer, run, highOtherFeature, at(hour)).kind).toBe('exit');
    const afterUpdate = perform(run, update, at(hour));
    expect(nextAction(offer, afterUpdate, high, at(2 * hour))).toMatchObject({
      kind: 'complete',
      reason: 'steps-done',
    });
  });

  it('refuses to act on an ended run or on another playbook version', () => {
    const run = started();
    const ended = perform(run, { kind: 'exit', reason: 'test', runVersion: 1, trail: [] }, entered);
    expect(() => nextAction(nudge, ended, context(), entered)).toThrow(/has ended/);
    expect(() => nextAction({ ...nudge, version: 3 }, run, context(), entered)).toThrow(/not disengagement-nudge v3/);
  });
});
