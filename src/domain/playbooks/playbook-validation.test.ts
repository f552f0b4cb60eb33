// Checks that playbook files are read into typed playbooks and that every mistake is reported with
// the file name, the path inside the file and what is allowed.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TendError } from '../errors.js';
import { validatePlaybook } from './playbook-validation.js';

const nudge = `
id: disengagement-nudge
name: Disengagement nudge
version: 3
trigger: { signal: disengaging }
audience: { tiers: [A, B], lifecycleStages: [active], traits: { plan: pro }, consentTo: [email] }
steps:
  - id: nudge
    send: { channel: best, template: we-miss-you, fallback: email, variables: { offer: tips } }
  - id: wait-for-reply
    wait: { event: Message Replied, timeout: P3D }
  - id: check-response
    branch: { if: responded, then: done, else: call-owner }
  - id: call-owner
    task: { for: owner, objective: Find out why usage dropped, talkingPoints: [recent usage, open tickets], dueIn: P1D }
  - id: escalate-call
    escalate: { task: call-owner, after: PT12H, to: manager }
  - id: done
    exit: { reason: re-engaged }
exit: [signal-cleared, { event: Subscription Cancelled }]
goal: { event: Signed In, within: P14D }
holdout: 0.2
reentry: { after: P30D }
`;

function problemsOf(yamlText: string, fileName = 'nudge.yaml'): { field: string; message: string }[] {
  try {
    validatePlaybook(parse(yamlText), fileName);
  } catch (error) {
    if (!(error instanceof TendError)) throw error;
    expect(error.code).toBe('invalid_configuration');
    return error.problems.map(({ field, message }) => ({ field, message }));
  }
  throw new Error('expected the playbook to be refused');
}

function fields(yamlText: string): string[] {
  return problemsOf(yamlText).map((problem) => problem.field);
}

describe('validatePlaybook: accepted files', () => {
  it('reads every part of a playbook with durations in milliseconds', () => {
    const playbook = validatePlaybook(parse(nudge), 'nudge.yaml');
    expect(playbook).toMatchObject({
      id: 'disengagement-nudge',
      version: 3,
      enabled: true,
      description: '',
      holdout: 0.2,
      trigger: { kind: 'signal', signal: 'disengaging' },
      audience: { tiers: ['A', 'B'], lifecycleStages: ['active'], traits: { plan: 'pro' }, consentTo: ['email'] },
      exit: [{ kind: 'signal-cleared' }, { kind: 'event', event: 'Subscription Cancelled', where: {} }],
      goal: { event: 'Signed In', within: { text: 'P14D', ms: 14 * 86_400_000 } },
      reentry: { kind: 'after', after: { text: 'P30D', ms: 30 * 86_400_000 } },
    });
    expect(playbook.steps.map((step) => step.kind)).toEqual(['send', 'wait', 'branch', 'task', 'escalate', 'exit']);
    expect(playbook.steps[0]).toEqual({
      id: 'nudge',
      kind: 'send',
      channel: 'best',
      template: 'we-miss-you',
      tone: 'neutral',
      fallback: 'email',
      variables: { offer: 'tips' },
    });
    expect(playbook.steps[1]).toEqual({
      id: 'wait-for-reply',
      kind: 'wait',
      wait: { kind: 'event', event: 'Message Replied', where: {}, timeout: { text: 'P3D', ms: 259_200_000 } },
    });
    expect(playbook.steps[2]).toEqual({
      id: 'check-response',
      kind: 'branch',
      condition: { kind: 'responded' },
      then: 'done',
      else: 'call-owner',
    });
    expect(playbook.steps[4]).toEqual({
      id: 'escalate-call',
      kind: 'escalate',
      task: 'call-owner',
      after: { text: 'PT12H', ms: 43_200_000 },
      to: 'manager',
    });
  });

  it('fills in defaults: any audience, no exit conditions, no goal, 10 % holdout, no re-entry', () => {
    const playbook = validatePlaybook(
      parse(`
id: welcome
name: Welcome
version: 1
trigger: { event: Subscription Started, where: { plan: pro } }
steps:
  - { id: hello, send: { channel: email, template: welcome } }
  - { id: later, wait: { until: "09:30" } }
  - { id: mark, update: { trait: welcomed, value: true } }
  - { id: stop, exit: }
`),
      'welcome.yaml',
    );
    expect(playbook.trigger).toEqual({ kind: 'event', event: 'Subscription Started', where: { plan: 'pro' } });
    expect(playbook.audience).toEqual({ tiers: null, lifecycleStages: null, traits: {}, consentTo: [] });
    expect(playbook).toMatchObject({
      exit: [],
      goal: null,
      holdout: 0.1,
      reentry: { kind: 'never' },
      priority: 'normal',
    });
    expect(playbook.steps[1]).toEqual({
      id: 'later',
      kind: 'wait',
      wait: { kind: 'local-time', time: '09:30', hour: 9, minute: 30 },
    });
    expect(playbook.steps[2]).toEqual({ id: 'mark', kind: 'update', trait: 'welcomed', value: true });
    expect(playbook.steps[3]).toEqual({ id: 'stop', kind: 'exit', reason: null });
  });

  it('reads segment and schedule triggers, with cron names and repeating intervals', () => {
    const base = (trigger: string): string =>
      `id: t\nname: T\nversion: 1\ntrigger: ${trigger}\nsteps: [{ id: s, exit: true }]\n`;
    expect(
      validatePlaybook(parse(base('{ segment: { lifecycleStages: [onboarding], tiers: [A] } }')), 'f').trigger,
    ).toMatchObject({ kind: 'segment', segment: { lifecycleStages: ['onboarding'], tiers: ['A'] } });
    expect(validatePlaybook(parse(base('{ schedule: "0 9 * * MON-FRI" }')), 'f').trigger).toEqual({
      kind: 'schedule',
      schedule: { kind: 'cron', expression: '0 9 * * MON-FRI' },
    });
    expect(validatePlaybook(parse(base('{ schedule: "*/15 8-18 1,15 JAN-JUN/2 0" }')), 'f').trigger.kind).toBe(
      'schedule',
    );
    expect(validatePlaybook(parse(base('{ schedule: "R/2025-01-06T09:00:00Z/P1W" }')), 'f').trigger).toEqual({
      kind: 'schedule',
      schedule: {
        kind: 'interval',
        expression: 'R/2025-01-06T09:00:00Z/P1W',
        every: { text: 'P1W', ms: 604_800_000 },
        startsAt: new Date('2025-01-06T09:00:00Z'),
      },
    });
  });
});

describe('validatePlaybook: refused files', () => {
  it('names the file and the path of a bad duration, and says what is allowed', () => {
    const problems = problemsOf(
      nudge.replace('timeout: P3D', 'timeout: 3 days').replace('dueIn: P1D', 'dueIn: P1M'),
      'renewal.yaml',
    );
    expect(problems.map((problem) => problem.field)).toEqual([
      'renewal.yaml: steps[1].wait.timeout',
      'renewal.yaml: steps[3].task.dueIn',
    ]);
    expect(problems[0]!.message).toContain('ISO 8601 duration');
    expect(problems[1]!.message).toContain('use days');
  });

  it('refuses unknown keys everywhere: top level, audience, step, step body', () => {
    const text = nudge
      .replace('version: 3', 'version: 3\ncolour: blue')
      .replace('consentTo: [email]', 'consentTo: [email], region: eu')
      .replace('  - id: nudge\n', '  - id: nudge\n    label: first\n')
      .replace('dueIn: P1D', 'dueIn: P1D, priority: high');
    expect(fields(text)).toEqual([
      'nudge.yaml: colour',
      'nudge.yaml: audience.region',
      'nudge.yaml: steps[0].label',
      'nudge.yaml: steps[3].task.priority',
    ]);
    expect(problemsOf(text)[0]!.message).toMatch(/allowed: id, name, description, version/);
  });

  it('checks that branch targets and escalated tasks exist, are tasks and come first', () => {
    expect(problemsOf(nudge.replace('else: call-owner', 'else: call-ownr'))).toEqual([
      {
        field: 'nudge.yaml: steps[2].branch.else',
        message: expect.stringContaining('the step ids are nudge, wait-for-reply, check-response, call-owner'),
      },
    ]);
    expect(fields(nudge.replace('task: call-owner', 'task: nudge'))).toEqual(['nudge.yaml: steps[4].escalate.task']);
    const escalateLast = nudge
      .replace('exit: { reason: re-engaged }', 'escalate: { task: call-owner }')
      .replace('escalate: { task: call-owner, after: PT12H, to: manager }', 'exit: true');
    expect(validatePlaybook(parse(escalateLast), 'nudge.yaml').steps[5]).toEqual({
      id: 'done',
      kind: 'escalate',
      task: 'call-owner',
      after: null,
      to: 'manager',
    });
    const before =
      `id: x\nname: X\nversion: 1\n` +
      `trigger: { signal: neglected }\nsteps:\n` +
      `  - { id: e, escalate: { task: t, to: manager } }\n` +
      `  - { id: t, task: { for: owner, objective: call, dueIn: P1D } }\n`;
    expect(problemsOf(before)[0]).toEqual({
      field: 'nudge.yaml: steps[0].escalate.task',
      message: expect.stringContaining('comes after'),
    });
  });

  it('refuses duplicate step ids, ids not in kebab-case, and steps with no kind or two kinds', () => {
    const text = `id: Late_Payment\nname: X\nversion: 1\ntrigger: { signal: payment-late }\nsteps:
  - { id: a, exit: true }
  - { id: a, exit: true }
  - { id: b }
  - { id: c, exit: true, update: { trait: x, value: 1 } }
  - { id: Bad Id, exit: true }\n`;
    expect(fields(text)).toEqual([
      'nudge.yaml: id',
      'nudge.yaml: steps[1].id',
      'nudge.yaml: steps[2]',
      'nudge.yaml: steps[3]',
      'nudge.yaml: steps[4].id',
    ]);
  });

  it('checks wait forms, local times, channels, tones, assignees, holdout and re-entry', () => {
    const text =
      `id: x\nname: X\nversion: 0\nholdout: 0.7\nreentry: sometimes\n` +
      `trigger: { signal: neglected, where: { a: 1 } }\nsteps:
  - { id: a, wait: { for: P1D, until: "09:00" } }
  - { id: b, wait: { until: "25:00" } }
  - { id: c, wait: { event: Replied } }
  - { id: d, send: { channel: fax, template: hello, tone: angry } }
  - { id: e, task: { for: ceo, objective: call, dueIn: P1D } }
  - { id: f, send: { channel: sms, template: hi, fallback: sms } }\n`;
    expect(fields(text)).toEqual([
      'nudge.yaml: version',
      'nudge.yaml: trigger.where',
      'nudge.yaml: steps[0].wait',
      'nudge.yaml: steps[1].wait.until',
      'nudge.yaml: steps[2].wait.timeout',
      'nudge.yaml: steps[3].send.channel',
      'nudge.yaml: steps[3].send.tone',
      'nudge.yaml: steps[4].task.for',
      'nudge.yaml: steps[5].send.fallback',
      'nudge.yaml: holdout',
      'nudge.yaml: reentry',
    ]);
    expect(problemsOf(text).find((problem) => problem.field.endsWith('task.for'))!.message).toContain(
      'owner, manager, promise-owner, role:NAME',
    );
  });

  it('refuses signal-cleared without a signal trigger, unknown signals and bad schedules', () => {
    const base = (trigger: string, extra = ''): string =>
      `id: t\nname: T\nversion: 1\ntrigger: ${trigger}\nsteps: [{ id: s, exit: true }]\n${extra}`;
    expect(fields(base('{ event: Outage Started }', 'exit: [signal-cleared]\n'))).toEqual(['nudge.yaml: exit[0]']);
    expect(fields(base('{ signal: sad }'))).toEqual(['nudge.yaml: trigger.signal']);
    expect(problemsOf(base('{ schedule: "0 25 * * *" }'))[0]!.message).toContain('hour');
    expect(fields(base('{ schedule: "R/P1M" }'))).toEqual(['nudge.yaml: trigger.schedule']);
    expect(fields(base('{ signal: neglected, event: X }'))).toEqual(['nudge.yaml: trigger']);
    expect(fields(base('{ segment: {} }'))).toEqual(['nudge.yaml: trigger.segment']);
  });

  it('reads a priority in words, and refuses one it does not know with the words it knows', () => {
    const base = (extra: string): string =>
      `id: t\nname: T\nversion: 1\ntrigger: { signal: payment-late }\nsteps: [{ id: s, exit: true }]\n${extra}`;
    expect(validatePlaybook(parse(base('priority: transactional\n')), 'f').priority).toBe('transactional');
    expect(validatePlaybook(parse(base('priority: marketing\n')), 'f').priority).toBe('marketing');
    expect(problemsOf(base('priority: urgent\n'), 'late.yaml')).toEqual([
      {
        field: 'late.yaml: priority',
        message: expect.stringMatching(/^must be incident .* normal \(the default\) or marketing .*got "urgent"$/),
      },
    ]);
    expect(fields(base('priority: 1\n'))).toEqual(['nudge.yaml: priority']);
  });

  it('refuses branches that loop among themselves, and reports a file that is not a mapping', () => {
    const loop = `id: x\nname: X\nversion: 1\ntrigger: { signal: neglected }\nsteps:
  - { id: a, branch: { if: responded, then: b } }
  - { id: b, branch: { if: { trait: { plan: pro } }, then: a, else: c } }
  - { id: c, exit: true }\n`;
    expect(fields(loop)).toEqual(['nudge.yaml: steps[0].branch', 'nudge.yaml: steps[1].branch']);
    expect(fields('just text')).toEqual(['nudge.yaml: (the whole file)']);
  });

  it('lists every problem in the error message, so one edit can fix them all', () => {
    try {
      validatePlaybook(
        parse(nudge.replace('version: 3', 'version: three').replace('holdout: 0.2', 'holdout: -1')),
        'nudge.yaml',
      );
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as TendError).message).toMatch(
        new RegExp(
          '^Playbook file nudge.yaml has 2 problems: nudge.yaml: version must be a whole number' +
            '.*nudge.yaml: holdout must be a share',
        ),
      );
    }
  });
});
