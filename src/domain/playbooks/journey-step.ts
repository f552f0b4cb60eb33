// The pure state machine of one subject's run through a playbook: from the run's state and the facts
// gathered now, the one next thing to do; and the new state once it is done. The engine stores each
// state with its version and refuses a stale one, so two workers never both advance a run.
import { TendError } from '../errors.js';
import { assertNever } from '../tracking-message.js';
import type { RunGroup } from './holdout.js';
import type { MessagePriority } from './message-priority.js';
import { nextLocalTime } from './local-time.js';
import type {
  Assignee,
  MessageChannel,
  Playbook,
  PlaybookStep,
  ScalarValue,
  SendChannel,
  Tone,
  WaitStep,
} from './playbook-definition.js';
import {
  conditionHolds,
  describeCondition,
  exitReason,
  firstEventBetween,
  goalReached,
  type RunContext,
} from './run-conditions.js';

export interface RunTask {
  readonly stepId: string;
  readonly idempotencyKey: string;
  readonly dueAt: Date;
}

export interface RunState {
  readonly runId: string;
  readonly playbookId: string;
  /** Runs finish on the playbook version they started on. */
  readonly playbookVersion: number;
  /** Who the messages go to (a contact id); part of every send's idempotency key. */
  readonly recipient: string;
  readonly group: RunGroup;
  /** Grows by one with every recorded change; a change based on an older version is refused. */
  readonly version: number;
  readonly status: 'active' | 'exited' | 'completed';
  readonly enteredAt: Date;
  /** The step the run is at; null once past the last step. */
  readonly stepId: string | null;
  /** When the run reached its current step (a wait counts from here). */
  readonly waitingSince: Date | null;
  readonly lastSendAt: Date | null;
  /** How many times each step was performed (steps on a loop repeat). */
  readonly attempts: Readonly<Record<string, number>>;
  readonly tasks: readonly RunTask[];
  readonly endedAt: Date | null;
  readonly endReason: string | null;
}

interface ActionBase {
  /** The run version the action was decided from; `advance` refuses it against any other. */
  readonly runVersion: number;
  /** Steps passed on the way, in words (a wait that ended, a branch taken), for the run's history. */
  readonly trail: readonly string[];
}

interface PerformedStep extends ActionBase {
  readonly stepId: string;
  readonly nextStepId: string | null;
  readonly idempotencyKey: string;
}

export type StepAction =
  | (PerformedStep & {
      readonly kind: 'send';
      readonly recipient: string;
      readonly channel: SendChannel;
      readonly fallback: MessageChannel | null;
      readonly template: string;
      readonly tone: Tone;
      readonly variables: Readonly<Record<string, ScalarValue>>;
      /** The playbook's: how soon the message is claimed against others waiting. */
      readonly priority: MessagePriority;
    })
  | (PerformedStep & {
      readonly kind: 'create-task';
      readonly for: Assignee;
      readonly objective: string;
      readonly talkingPoints: readonly string[];
      readonly dueAt: Date;
    })
  | (PerformedStep & {
      readonly kind: 'alert';
      readonly to: Assignee;
      readonly message: string;
      readonly dueAt: Date | null;
    })
  | (PerformedStep & { readonly kind: 'escalate'; readonly taskKey: string; readonly to: Assignee })
  | (PerformedStep & { readonly kind: 'update-trait'; readonly trait: string; readonly value: ScalarValue | null })
  /** Nothing to do before `until` (or an awaited event); stepId null for a holdout run. */
  | (ActionBase & { readonly kind: 'wait'; readonly stepId: string | null; readonly until: Date })
  | (ActionBase & { readonly kind: 'exit'; readonly reason: string })
  | (ActionBase & {
      readonly kind: 'complete';
      readonly reason: 'goal-reached' | 'steps-done' | 'holdout-window-ended';
    });

export type StepOutcome =
  | { readonly kind: 'performed'; readonly at: Date }
  /** The send policy skipped the message (opted out, capped, …); the run goes on without it. */
  | { readonly kind: 'skipped'; readonly at: Date; readonly reason: string };

/** The state of a run that has just entered a playbook (group from `assignGroup`). */
export function startRun(
  playbook: Playbook,
  start: { readonly runId: string; readonly recipient: string; readonly group: RunGroup; readonly enteredAt: Date },
): RunState {
  return {
    ...start,
    playbookId: playbook.id,
    playbookVersion: playbook.version,
    version: 1,
    status: 'active',
    stepId: playbook.steps[0]?.id ?? null,
    waitingSince: start.enteredAt,
    lastSendAt: null,
    attempts: {},
    tasks: [],
    endedAt: null,
    endReason: null,
  };
}

/**
 * What the engine should do next for the run. Exit conditions come first, then the goal; then the
 * current step, passing through ended waits and branches without stopping, to the first step that
 * acts or must wait. Pure: the same state, facts and time always give the same action and keys.
 */
export function nextAction(playbook: Playbook, run: RunState, context: RunContext, now: Date): StepAction {
  if (run.status !== 'active') throw new Error(`Run ${run.runId} has ended (${run.status}); it has no next action`);
  if (playbook.id !== run.playbookId || playbook.version !== run.playbookVersion) {
    throw new Error(
      `Run ${run.runId} follows ${run.playbookId} v${run.playbookVersion}, not ${playbook.id} v${playbook.version}`,
    );
  }
  const base = { runVersion: run.version, trail: [] as string[] };
  const exit = exitReason(playbook, run.enteredAt, context, now);
  if (exit !== null) return { ...base, kind: 'exit', reason: exit };
  if (goalReached(playbook, run.enteredAt, context, now)) return { ...base, kind: 'complete', reason: 'goal-reached' };
  if (run.group === 'holdout') {
    // Held out: nothing is done, but the run stays open for the goal's window so that its outcome counts.
    const windowEnd = playbook.goal === null ? null : new Date(run.enteredAt.getTime() + playbook.goal.within.ms);
    if (windowEnd !== null && now < windowEnd) return { ...base, kind: 'wait', stepId: null, until: windowEnd };
    return { ...base, kind: 'complete', reason: 'holdout-window-ended' };
  }

  const indexOf = new Map(playbook.steps.map((step, index) => [step.id, index]));
  let index = run.stepId === null ? playbook.steps.length : indexOf.get(run.stepId);
  if (index === undefined)
    throw new Error(
      `Run ${run.runId} is at step ${run.stepId}, which ${playbook.id} v${playbook.version} does not have`,
    );
  let atCurrentStep = true;
  // Validation refuses loops made of branches only, so each pass either acts, waits, or moves on.
  for (let guard = 0; guard <= playbook.steps.length * 2; guard += 1) {
    const step: PlaybookStep | undefined = playbook.steps[index];
    if (step === undefined) return { ...base, kind: 'complete', reason: 'steps-done' };
    const next = playbook.steps[index + 1]?.id ?? null;
    const acting = { ...base, stepId: step.id, nextStepId: next };
    const key = (who: string): string => idempotencyKey(run, step.id, who);
    switch (step.kind) {
      case 'send':
        return {
          ...acting,
          kind: 'send',
          recipient: run.recipient,
          channel: step.channel,
          fallback: step.fallback,
          template: step.template,
          tone: step.tone,
          variables: step.variables,
          priority: playbook.priority,
          idempotencyKey: key(run.recipient),
        };
      case 'task':
        return {
          ...acting,
          kind: 'create-task',
          for: step.for,
          objective: step.objective,
          talkingPoints: step.talkingPoints,
          dueAt: new Date(now.getTime() + step.dueIn.ms),
          idempotencyKey: key(step.for),
        };
      case 'alert':
        return {
          ...acting,
          kind: 'alert',
          to: step.to,
          message: step.message,
          dueAt: step.dueIn === null ? null : new Date(now.getTime() + step.dueIn.ms),
          idempotencyKey: key(step.to),
        };
      case 'update':
        return {
          ...acting,
          kind: 'update-trait',
          trait: step.trait,
          value: step.value,
          idempotencyKey: key(run.recipient),
        };
      case 'exit':
        return { ...base, kind: 'exit', reason: `step ${step.id}${step.reason === null ? '' : `: ${step.reason}`}` };
      case 'branch': {
        const holds = conditionHolds(step.condition, run, context, now);
        const target: string | null = holds ? step.then : step.else;
        index = target === null ? index + 1 : indexOf.get(target)!;
        base.trail.push(
          `${step.id}: ${describeCondition(step.condition)} is ${holds ? 'true' : 'false'} ` +
            `→ ${playbook.steps[index]?.id ?? 'end'}`,
        );
        break;
      }
      case 'wait': {
        const since = atCurrentStep && run.waitingSince !== null ? run.waitingSince : now;
        const wait = waitOutcome(step, since, context, now);
        if (wait.kind === 'waiting') return { ...base, kind: 'wait', stepId: step.id, until: wait.until };
        base.trail.push(`${step.id}: ${wait.note}`);
        index += 1;
        break;
      }
      case 'escalate': {
        const task = [...run.tasks].reverse().find((candidate) => candidate.stepId === step.task);
        const done = task !== undefined && context.completedTasks.includes(task.idempotencyKey);
        if (task === undefined || done) {
          base.trail.push(
            `${step.id}: ` +
              `${task === undefined ? `no task from ${step.task} to escalate` : `task ${step.task} done in time`}`,
          );
          index += 1;
          break;
        }
        const escalateAt = new Date(task.dueAt.getTime() + (step.after?.ms ?? 0));
        if (now < escalateAt) return { ...base, kind: 'wait', stepId: step.id, until: escalateAt };
        return { ...acting, kind: 'escalate', taskKey: task.idempotencyKey, to: step.to, idempotencyKey: key(step.to) };
      }
      default:
        return assertNever(step);
    }
    atCurrentStep = false;
  }
  throw new Error(`Run ${run.runId} went round ${playbook.id}'s branches without reaching a step that acts or waits`);
}

type WaitOutcome =
  | { readonly kind: 'waiting'; readonly until: Date }
  | { readonly kind: 'over'; readonly note: string };

function waitOutcome(step: WaitStep, since: Date, context: RunContext, now: Date): WaitOutcome {
  const spec = step.wait;
  switch (spec.kind) {
    case 'duration': {
      const until = new Date(since.getTime() + spec.duration.ms);
      return now < until ? { kind: 'waiting', until } : { kind: 'over', note: `waited ${spec.duration.text}` };
    }
    case 'local-time': {
      const until = nextLocalTime(since, context.timezone, spec.hour, spec.minute);
      return now < until
        ? { kind: 'waiting', until }
        : { kind: 'over', note: `waited until ${spec.time} in ${context.timezone}` };
    }
    case 'event': {
      const until = new Date(since.getTime() + spec.timeout.ms);
      const seen = firstEventBetween(spec, context.events, since, now < until ? now : until);
      if (seen !== null) return { kind: 'over', note: `${spec.event} at ${seen.at.toISOString()}` };
      return now < until
        ? { kind: 'waiting', until }
        : { kind: 'over', note: `no ${spec.event} within ${spec.timeout.text}` };
    }
    default:
      return assertNever(spec);
  }
}

/** `${runId}:${stepId}:${who}`, with the attempt number added from the second time a step on a loop runs. */
function idempotencyKey(run: RunState, stepId: string, who: string): string {
  const attempt = (run.attempts[stepId] ?? 0) + 1;
  return attempt === 1 ? `${run.runId}:${stepId}:${who}` : `${run.runId}:${stepId}:${who}:${attempt}`;
}

/**
 * The run's state once the engine has carried out the action: a new object with the version one
 * higher. Throws TendError('conflict') when the action was decided from another version of the run
 * (another worker got there first), so the engine drops its work instead of doing it twice.
 */
export function advance(run: RunState, action: StepAction, outcome: StepOutcome): RunState {
  if (run.status !== 'active' || action.runVersion !== run.version) {
    throw new TendError(
      'conflict',
      `Run ${run.runId} is at version ${run.version} (${run.status}); ` +
        `the action was decided at version ${action.runVersion}`,
      [{ field: 'version', message: `must be ${run.version}, the run's current version; got ${action.runVersion}` }],
    );
  }
  const changed = { ...run, version: run.version + 1 };
  switch (action.kind) {
    case 'send':
    case 'create-task':
    case 'alert':
    case 'escalate':
    case 'update-trait': {
      const moved: RunState = {
        ...changed,
        stepId: action.nextStepId,
        waitingSince: outcome.at,
        attempts: { ...run.attempts, [action.stepId]: (run.attempts[action.stepId] ?? 0) + 1 },
      };
      if (action.kind === 'send' && outcome.kind === 'performed') return { ...moved, lastSendAt: outcome.at };
      if (action.kind === 'create-task') {
        return {
          ...moved,
          tasks: [...run.tasks, { stepId: action.stepId, idempotencyKey: action.idempotencyKey, dueAt: action.dueAt }],
        };
      }
      return moved;
    }
    case 'wait':
      // Entering a wait reached through other steps starts its clock; waiting on at the same step changes nothing else.
      if (action.stepId === null || (action.stepId === run.stepId && run.waitingSince !== null)) return changed;
      return { ...changed, stepId: action.stepId, waitingSince: outcome.at };
    case 'exit':
      return {
        ...changed,
        status: 'exited',
        stepId: null,
        waitingSince: null,
        endedAt: outcome.at,
        endReason: action.reason,
      };
    case 'complete':
      return {
        ...changed,
        status: 'completed',
        stepId: null,
        waitingSince: null,
        endedAt: outcome.at,
        endReason: action.reason,
      };
    default:
      return assertNever(action);
  }
}
