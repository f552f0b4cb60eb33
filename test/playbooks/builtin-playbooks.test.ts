// The built-in playbooks in examples/playbooks: every file passes validation, does what the business
// asked for, and a silent customer walks each one to its end; broken copies are refused by name.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TendError } from '../../src/domain/errors.js';
import { advance, nextAction, startRun, type StepAction } from '../../src/domain/playbooks/journey-step.js';
import type { Playbook, PlaybookStep } from '../../src/domain/playbooks/playbook-definition.js';
import { validatePlaybook } from '../../src/domain/playbooks/playbook-validation.js';
import type { RunContext } from '../../src/domain/playbooks/run-conditions.js';

const folder = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'playbooks');
const files = readdirSync(folder)
  .filter((name) => name.endsWith('.yaml'))
  .sort();
const expected = [
  'detractor-follow-up',
  'disengagement-nudge',
  'inbound-reply-unanswered',
  'late-payment',
  'neglected-high-value',
  'new-lead',
  'onboarding-stalled',
  'outage-notice',
  'promise-broken',
  'renewal-90-60-30',
];

function load(name: string): Playbook {
  return validatePlaybook(parse(readFileSync(join(folder, `${name}.yaml`), 'utf8')), `${name}.yaml`);
}

function step<K extends PlaybookStep['kind']>(
  playbook: Playbook,
  id: string,
  kind: K,
): Extract<PlaybookStep, { kind: K }> {
  const found = playbook.steps.find((candidate) => candidate.id === id);
  expect(found?.kind).toBe(kind);
  return found as Extract<PlaybookStep, { kind: K }>;
}

const silence: RunContext = {
  events: [],
  triggerSignalOpen: true,
  openSignals: [],
  traits: {},
  timezone: 'Europe/Berlin',
  completedTasks: [],
};

const entered = new Date('2025-06-02T10:00:00Z');

/** Runs a treated subject through the playbook, moving time to each wait's end; by default one who never responds. */
function walkInSilence(playbook: Playbook, facts: RunContext = silence): StepAction[] {
  let now = entered;
  let run = startRun(playbook, { runId: 'run-1', recipient: 'contact-1', group: 'treated', enteredAt: now });
  const actions: StepAction[] = [];
  for (let count = 0; count < 50 && run.status === 'active'; count += 1) {
    const action = nextAction(playbook, run, facts, now);
    actions.push(action);
    run = advance(run, action, { kind: 'performed', at: now });
    if (action.kind === 'wait') now = action.until;
  }
  expect(run.status).not.toBe('active');
  return actions;
}

const doing = (actions: readonly StepAction[]): string[] =>
  actions
    .filter((action) => action.kind !== 'wait')
    .map((action) => {
      switch (action.kind) {
        case 'send':
          return `send ${action.channel} ${action.template}`;
        case 'create-task':
          return `task for ${action.for}`;
        case 'alert':
          return `alert ${action.to}`;
        case 'escalate':
          return `escalate to ${action.to}`;
        case 'update-trait':
          return `update ${action.trait}`;
        default:
          return action.kind;
      }
    });

describe('built-in playbooks', () => {
  it('has one valid file per built-in playbook, named after its id', () => {
    expect(files).toEqual(expected.map((name) => `${name}.yaml`));
    for (const name of expected) expect(load(name).id).toBe(name);
  });

  it('disengagement nudge: best channel, then a task for the owner when there is no response in 3 days', () => {
    const playbook = load('disengagement-nudge');
    expect(step(playbook, 'nudge', 'send').channel).toBe('best');
    expect(step(playbook, 'wait-for-response', 'wait').wait).toMatchObject({
      kind: 'event',
      event: 'Message Replied',
      timeout: { text: 'P3D' },
    });
    expect(step(playbook, 'owner-call', 'task').for).toBe('owner');
    expect(doing(walkInSilence(playbook))).toEqual([
      'send best we-miss-you',
      'task for owner',
      'escalate to manager',
      'exit',
    ]);
  });

  it('neglected high-value: a call task with objective and talking points, escalated after 2 days', () => {
    const playbook = load('neglected-high-value');
    const call = step(playbook, 'call', 'task');
    expect(call.objective).toMatch(/call/i);
    expect(call.talkingPoints.length).toBeGreaterThanOrEqual(3);
    expect(call.dueIn.ms).toBe(2 * 86_400_000);
    const actions = walkInSilence(playbook);
    expect(doing(actions)).toEqual(['task for owner', 'escalate to manager', 'complete']);
    const escalation = actions.find((action) => action.kind === 'escalate')!;
    const task = actions.find((action) => action.kind === 'create-task')!;
    expect(actions.find((action) => action.kind === 'wait' && action.stepId === 'escalate-call')).toMatchObject({
      until: task.kind === 'create-task' ? task.dueAt : null,
    });
    expect(escalation).toMatchObject({ taskKey: 'run-1:call:owner' });
  });

  it('renewal 90/60/30: an offer for the account usage, a reminder 30 days later, a call 30 days after that', () => {
    const playbook = load('renewal-90-60-30');
    expect(Object.keys(step(playbook, 'offer-at-90', 'send').variables)).toEqual(
      expect.arrayContaining(['usageBand', 'offerForHighUsage', 'offerForLowUsage']),
    );
    const actions = walkInSilence(playbook);
    expect(doing(actions)).toEqual([
      'send email renewal-offer',
      'send best renewal-reminder',
      'task for owner',
      'escalate to manager',
      'complete',
    ]);
    const waits = actions.filter((action) => action.kind === 'wait' && action.stepId?.startsWith('until-'));
    expect(waits.map((action) => action.kind === 'wait' && action.until.toISOString())).toEqual([
      '2025-07-02T10:00:00.000Z',
      '2025-08-01T10:00:00.000Z',
    ]);
  });

  it('late payment: empathetic e-mail with a payment plan, SMS when the e-mail goes unanswered, then the owner', () => {
    const playbook = load('late-payment');
    expect(step(playbook, 'payment-plan-email', 'send')).toMatchObject({
      channel: 'email',
      tone: 'empathetic',
      template: 'payment-plan-offer',
    });
    expect(step(playbook, 'payment-plan-sms', 'send')).toMatchObject({ channel: 'sms', tone: 'empathetic' });
    expect(doing(walkInSilence(playbook))).toEqual([
      'send email payment-plan-offer',
      'send sms payment-plan-offer-sms',
      'task for owner',
      'exit',
    ]);
    const replied = {
      ...silence,
      events: [{ name: 'Message Replied', at: new Date(entered.getTime() + 86_400_000), properties: {} }],
    };
    expect(doing(walkInSilence(playbook, replied))).toEqual(['send email payment-plan-offer', 'exit']);
    const paid = { ...silence, events: [{ name: 'Invoice Paid', at: entered, properties: {} }] };
    expect(walkInSilence(playbook, paid)).toMatchObject([{ kind: 'exit', reason: 'event: Invoice Paid' }]);
  });

  it('the others: onboarding, outage, detractor, new lead, unanswered reply', () => {
    expect(doing(walkInSilence(load('onboarding-stalled')))).toEqual([
      'send email getting-started-help',
      'task for owner',
      'escalate to manager',
      'exit',
    ]);
    expect(doing(walkInSilence(load('outage-notice')))).toEqual([
      'send email outage-notice',
      'alert owner',
      'alert owner',
      'exit',
    ]);
    const resolved = {
      ...silence,
      events: [{ name: 'Outage Resolved', at: new Date(entered.getTime() + 86_400_000), properties: {} }],
    };
    expect(doing(walkInSilence(load('outage-notice'), resolved))).toEqual([
      'send email outage-notice',
      'alert owner',
      'send email outage-resolved',
      'complete',
    ]);
    expect(load('outage-notice').trigger).toEqual({ kind: 'event', event: 'Outage Started', where: {} });
    const detractor = load('detractor-follow-up');
    expect(step(detractor, 'alert-owner', 'alert').dueIn?.ms).toBe(3_600_000);
    expect(doing(walkInSilence(detractor))).toEqual([
      'alert owner',
      'task for owner',
      'escalate to manager',
      'update detractorFollowUp',
      'exit',
    ]);
    const lead = load('new-lead');
    expect(step(lead, 'call-lead', 'task').dueIn.ms).toBe(15 * 60_000);
    expect(doing(walkInSilence(lead))).toEqual([
      'task for owner',
      'send email lead-acknowledgement',
      'escalate to manager',
      'complete',
    ]);
    expect(doing(walkInSilence(load('inbound-reply-unanswered')))).toEqual([
      'task for owner',
      'escalate to manager',
      'complete',
    ]);
  });
});

describe('broken copies of built-in playbooks', () => {
  function problemsOf(name: string, edit: (text: string) => string): string[] {
    const text = edit(readFileSync(join(folder, `${name}.yaml`), 'utf8'));
    try {
      validatePlaybook(parse(text), `${name}.yaml`);
    } catch (error) {
      if (!(error instanceof TendError)) throw error;
      return error.problems.map((problem) => `${problem.field} ${problem.message}`);
    }
    throw new Error('expected the broken copy to be refused');
  }

  it('names the file and the field of a branch to a missing step', () => {
    const problems = problemsOf('disengagement-nudge', (text) => text.replace('else: owner-call', 'else: owner-cal'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^disengagement-nudge\.yaml: steps\[2\]\.branch\.else must name a step of this playbook, got "owner-cal"/,
    );
  });

  it('names the file and the field of a bad duration, and of an escalation of a missing task', () => {
    const problems = problemsOf('late-payment', (text) =>
      text.replace('timeout: P3D', 'timeout: 3d').replace('dueIn: P2D', 'dueIn: P1M'),
    );
    expect(problems.map((problem) => problem.split(' ')[1])).toEqual(['steps[1].wait.timeout', 'steps[5].task.dueIn']);
    expect(problems.every((problem) => problem.startsWith('late-payment.yaml: '))).toBe(true);
    const escalation = problemsOf('neglected-high-value', (text) => text.replace('task: call,', 'task: phone,'));
    expect(escalation[0]).toMatch(/^neglected-high-value\.yaml: steps\[1\]\.escalate\.task must name a task step/);
  });
});
