// Reads the `steps` list of a playbook file: each step is a mapping with an `id` and exactly one kind
// key (send, wait, branch, task, alert, escalate, update, exit); references between steps must resolve.
import { signalKinds } from '../relationship/signal.js';
import {
  messageChannels,
  stepKinds,
  tones,
  type BranchCondition,
  type PlaybookStep,
  type SendChannel,
  type StepKind,
  type WaitSpec,
} from './playbook-definition.js';
import { isMapping, join, shown, type Mapping, type PlaybookReader } from './playbook-reader.js';

const sendChannels: readonly SendChannel[] = [...messageChannels, 'best'];
const localTime = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The steps of a playbook, with ids unique, branch and escalate targets existing, and no branch-only loop. */
export function readSteps(reader: PlaybookReader, raw: unknown): PlaybookStep[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    reader.problem(
      'steps',
      `is required: a non-empty list of steps (each with an id and one of ${stepKinds.join(', ')}), got ${shown(raw)}`,
    );
    return [];
  }
  const steps: PlaybookStep[] = [];
  // Every id, also of steps with problems, so that references to them are not reported twice.
  const pathOf = new Map<string, string>();
  raw.forEach((entry: unknown, index) => {
    const path = `steps[${index}]`;
    const { id, step } = readStep(reader, entry, path);
    if (id === null) return;
    if (pathOf.has(id)) {
      reader.problem(
        `${path}.id`,
        `must be unique within the playbook, but ${shown(id)} is also the id of ${pathOf.get(id)}`,
      );
      return;
    }
    pathOf.set(id, path);
    if (step !== null) steps.push(step);
  });
  checkReferences(reader, steps, pathOf);
  return steps;
}

function readStep(
  reader: PlaybookReader,
  raw: unknown,
  path: string,
): { id: string | null; step: PlaybookStep | null } {
  if (!isMapping(raw)) {
    reader.problem(path, `must be a mapping with an id and one of ${stepKinds.join(', ')}, got ${shown(raw)}`);
    return { id: null, step: null };
  }
  const kinds = Object.keys(raw).filter((key): key is StepKind => (stepKinds as readonly string[]).includes(key));
  for (const key of Object.keys(raw)) {
    if (key !== 'id' && !kinds.includes(key as StepKind))
      reader.problem(join(path, key), `is not allowed in a step; a step has an id and one of ${stepKinds.join(', ')}`);
  }
  const id = reader.kebab(raw.id, `${path}.id`, 'a step id');
  if (kinds.length !== 1) {
    reader.problem(
      path,
      kinds.length === 0
        ? `must say what the step does with one of ${stepKinds.join(', ')}`
        : `must have exactly one kind, got ${kinds.join(' and ')}`,
    );
    return { id, step: null };
  }
  const kind = kinds[0]!;
  const body = raw[kind];
  const at = join(path, kind);
  const before = reader.problems.length;
  const step = readStepBody(reader, kind, body, at, id ?? '');
  return { id, step: id === null || reader.problems.length > before ? null : step };
}

function readStepBody(
  reader: PlaybookReader,
  kind: StepKind,
  body: unknown,
  at: string,
  id: string,
): PlaybookStep | null {
  switch (kind) {
    case 'send': {
      const send = reader.mapping(body, at, ['channel', 'template', 'tone', 'fallback', 'variables'], true) ?? {};
      const channel = reader.oneOf(send.channel, `${at}.channel`, sendChannels, true) ?? 'email';
      const fallback = reader.oneOf(send.fallback, `${at}.fallback`, messageChannels, false);
      if (fallback !== null && fallback === channel)
        reader.problem(`${at}.fallback`, `must differ from the channel ${channel}`);
      return {
        id,
        kind,
        channel,
        fallback,
        template: reader.kebab(send.template, `${at}.template`, 'a template name') ?? '',
        tone: reader.oneOf(send.tone, `${at}.tone`, tones, false) ?? 'neutral',
        variables: reader.scalars(send.variables, `${at}.variables`),
      };
    }
    case 'wait': {
      const wait = readWait(reader, body, at);
      return wait === null ? null : { id, kind, wait };
    }
    case 'branch': {
      const branch = reader.mapping(body, at, ['if', 'then', 'else'], true) ?? {};
      const condition = readCondition(reader, branch.if, `${at}.if`);
      const then = reader.kebab(branch.then, `${at}.then`, 'a step id');
      const otherwise = branch.else === undefined ? null : reader.kebab(branch.else, `${at}.else`, 'a step id');
      return condition === null || then === null ? null : { id, kind, condition, then, else: otherwise };
    }
    case 'task': {
      const task = reader.mapping(body, at, ['for', 'objective', 'talkingPoints', 'dueIn'], true) ?? {};
      return {
        id,
        kind,
        for: reader.assignee(task.for, `${at}.for`, ['owner', 'manager', 'promise-owner']) ?? 'owner',
        objective: reader.text(task.objective, `${at}.objective`, true) ?? '',
        talkingPoints:
          reader.list(task.talkingPoints, `${at}.talkingPoints`, (item, path) => reader.text(item, path, true)) ?? [],
        dueIn: reader.duration(task.dueIn, `${at}.dueIn`, true) ?? { text: '', ms: 0 },
      };
    }
    case 'alert': {
      const alert = reader.mapping(body, at, ['to', 'message', 'dueIn'], true) ?? {};
      return {
        id,
        kind,
        to: reader.assignee(alert.to, `${at}.to`, ['owner', 'manager', 'promise-owner']) ?? 'manager',
        message: reader.text(alert.message, `${at}.message`, true) ?? '',
        dueIn: reader.duration(alert.dueIn, `${at}.dueIn`, false),
      };
    }
    case 'escalate': {
      const escalate = reader.mapping(body, at, ['task', 'after', 'to'], true) ?? {};
      return {
        id,
        kind,
        task: reader.kebab(escalate.task, `${at}.task`, 'the id of a task step') ?? '',
        after: reader.duration(escalate.after, `${at}.after`, false),
        to:
          escalate.to === undefined ? 'manager' : (reader.assignee(escalate.to, `${at}.to`, ['manager']) ?? 'manager'),
      };
    }
    case 'update': {
      const update = reader.mapping(body, at, ['trait', 'value'], true) ?? {};
      if (update.value === undefined)
        reader.problem(`${at}.value`, 'is required: a text, a number, true/false, or null to clear the trait');
      return {
        id,
        kind,
        trait: reader.text(update.trait, `${at}.trait`, true) ?? '',
        value: update.value === null || update.value === undefined ? null : reader.scalar(update.value, `${at}.value`),
      };
    }
    case 'exit': {
      // `exit:` alone, `exit: true`, or `exit: { reason: … }`.
      if (body === null || body === true) return { id, kind, reason: null };
      const exit = reader.mapping(body, at, ['reason'], true) ?? {};
      return { id, kind, reason: reader.text(exit.reason, `${at}.reason`, false) };
    }
  }
}

function readWait(reader: PlaybookReader, body: unknown, at: string): WaitSpec | null {
  const wait = reader.mapping(body, at, ['for', 'until', 'event', 'where', 'timeout'], true);
  if (wait === null) return null;
  const forms = (['for', 'until', 'event'] as const).filter((key) => wait[key] !== undefined);
  if (forms.length !== 1) {
    reader.problem(
      at,
      'must have exactly one of for (a duration), until (a local time HH:MM) or event (with a timeout)',
    );
    return null;
  }
  if (forms[0] !== 'event') {
    for (const key of ['where', 'timeout'])
      if (wait[key] !== undefined) reader.problem(`${at}.${key}`, 'is only allowed when waiting for an event');
  }
  switch (forms[0]!) {
    case 'for': {
      const duration = reader.duration(wait.for, `${at}.for`, true);
      return duration === null ? null : { kind: 'duration', duration };
    }
    case 'until': {
      const match = typeof wait.until === 'string' ? localTime.exec(wait.until) : null;
      if (match === null) {
        reader.problem(
          `${at}.until`,
          `must be a local time HH:MM from 00:00 to 23:59 (quote it in YAML: "09:00"), got ${shown(wait.until)}`,
        );
        return null;
      }
      return { kind: 'local-time', time: match[0], hour: Number(match[1]), minute: Number(match[2]) };
    }
    case 'event': {
      const match = reader.eventMatch(wait, at);
      const timeout = reader.duration(wait.timeout, `${at}.timeout`, true);
      return match === null || timeout === null ? null : { kind: 'event', ...match, timeout };
    }
  }
}

const conditionForms = 'responded, { signal-open: KIND }, { trait: { NAME: VALUE } } or { event: NAME }';

function readCondition(reader: PlaybookReader, raw: unknown, path: string): BranchCondition | null {
  if (raw === 'responded') return { kind: 'responded' };
  if (!isMapping(raw) || Object.keys(raw).length === 0) {
    reader.problem(path, `must be one of ${conditionForms}, got ${shown(raw)}`);
    return null;
  }
  const condition: Mapping = raw;
  if (condition['signal-open'] !== undefined) {
    reader.mapping(condition, path, ['signal-open']);
    const signal = reader.oneOf(condition['signal-open'], `${path}.signal-open`, signalKinds, true);
    return signal === null ? null : { kind: 'signal-open', signal };
  }
  if (condition.trait !== undefined) {
    reader.mapping(condition, path, ['trait']);
    const equals = reader.scalars(condition.trait, `${path}.trait`, true);
    return Object.keys(equals).length === 0 ? null : { kind: 'trait', equals };
  }
  if (condition.event !== undefined) {
    reader.mapping(condition, path, ['event', 'where']);
    const match = reader.eventMatch(condition, path);
    return match === null ? null : { kind: 'event', ...match };
  }
  reader.problem(path, `must be one of ${conditionForms}`);
  return null;
}

function checkReferences(
  reader: PlaybookReader,
  steps: readonly PlaybookStep[],
  pathOf: ReadonlyMap<string, string>,
): void {
  const indexOf = new Map(steps.map((step, index) => [step.id, index]));
  const known = `the step ids are ${[...pathOf.keys()].join(', ')}`;
  for (const step of steps) {
    const path = pathOf.get(step.id)!;
    if (step.kind === 'branch') {
      for (const [key, target] of [
        ['then', step.then],
        ['else', step.else],
      ] as const) {
        if (target === null) continue;
        if (!pathOf.has(target))
          reader.problem(`${path}.branch.${key}`, `must name a step of this playbook, got ${shown(target)}; ${known}`);
        else if (target === step.id) reader.problem(`${path}.branch.${key}`, 'must not name its own branch step');
      }
    }
    if (step.kind === 'escalate') {
      const target = steps.find((other) => other.id === step.task);
      if (target === undefined && pathOf.has(step.task)) continue;
      if (target === undefined)
        reader.problem(
          `${path}.escalate.task`,
          `must name a task step of this playbook, got ${shown(step.task)}; ${known}`,
        );
      else if (target.kind !== 'task')
        reader.problem(
          `${path}.escalate.task`,
          `must name a task step, but ${shown(step.task)} is a ${target.kind} step`,
        );
      else if (indexOf.get(target.id)! > indexOf.get(step.id)!)
        reader.problem(
          `${path}.escalate.task`,
          `must name a task step that comes before it, but ${shown(step.task)} comes after`,
        );
    }
  }
  checkBranchLoops(reader, steps, pathOf, indexOf);
}

/** Branches that lead only to each other would spin forever without a wait or an action in between. */
function checkBranchLoops(
  reader: PlaybookReader,
  steps: readonly PlaybookStep[],
  pathOf: ReadonlyMap<string, string>,
  indexOf: ReadonlyMap<string, number>,
): void {
  const successors = (index: number): number[] => {
    const step = steps[index];
    if (step?.kind !== 'branch') return [];
    return [step.then, step.else]
      .map((target) => (target === null ? index + 1 : (indexOf.get(target) ?? -1)))
      .filter((next) => steps[next]?.kind === 'branch');
  };
  const reported = new Set<number>();
  steps.forEach((step, start) => {
    if (step.kind !== 'branch') return;
    const seen = new Set<number>();
    const frontier = [start];
    while (frontier.length > 0) {
      const index = frontier.pop()!;
      for (const next of successors(index)) {
        if (next === start && !reported.has(start)) {
          reported.add(start);
          reader.problem(
            `${pathOf.get(step.id)!}.branch`,
            'leads back to itself through branches only; put a wait or an action in the loop',
          );
        }
        if (!seen.has(next)) {
          seen.add(next);
          frontier.push(next);
        }
      }
    }
  });
}
