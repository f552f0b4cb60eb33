// What a playbook is once its YAML file has been validated: a trigger, an audience, steps, exit
// conditions, a goal, a holdout share and re-entry rules. Durations are kept as text and milliseconds.
import type { SignalKind } from '../relationship/signal.js';
import type { MessagePriority } from './message-priority.js';

export type LifecycleStage = 'lead' | 'onboarding' | 'active' | 'renewal' | 'churned';
export const lifecycleStages: readonly LifecycleStage[] = ['lead', 'onboarding', 'active', 'renewal', 'churned'];

/** Channels a message can go out on; `best` in a send step means the channel learned for that person. */
export type MessageChannel = 'email' | 'sms' | 'webhook';
export const messageChannels: readonly MessageChannel[] = ['email', 'sms', 'webhook'];
export type SendChannel = MessageChannel | 'best';

/** Template variants; a template without the variant falls back to its neutral text. */
export type Tone = 'neutral' | 'friendly' | 'empathetic' | 'formal';
export const tones: readonly Tone[] = ['neutral', 'friendly', 'empathetic', 'formal'];

/** A value a trait, an event property or a template variable may be compared with or set to. */
export type ScalarValue = string | number | boolean;

/** An ISO 8601 duration as written (P3D, PT15M) and its length. */
export interface IsoDuration {
  readonly text: string;
  readonly ms: number;
}

/**
 * Who a task or alert is for: the account's owner, the owner's manager, whoever holds a role, or the owner of
 * the promise whose signal started the run (promise-broken, promise-due) when that is a Tend user.
 */
export type Assignee = 'owner' | 'manager' | 'promise-owner' | `role:${string}`;

/** An event by name, optionally with properties that must equal the given values. */
export interface EventMatch {
  readonly event: string;
  readonly where: Readonly<Record<string, ScalarValue>>;
}

/** Which subjects a playbook may act on, or the segment a `segment` trigger watches for. */
export interface AudienceFilter {
  /** Value tier names (from tend.config.yaml); null = any tier. */
  readonly tiers: readonly string[] | null;
  readonly lifecycleStages: readonly LifecycleStage[] | null;
  /** Traits that must equal these values. */
  readonly traits: Readonly<Record<string, ScalarValue>>;
  /** Channels the contact must have opted in to. */
  readonly consentTo: readonly MessageChannel[];
}

export type Schedule =
  | { readonly kind: 'cron'; readonly expression: string }
  /** ISO 8601 repeating interval: R/P1W, or R/2025-01-06T09:00:00Z/P1W with a first occurrence. */
  | {
      readonly kind: 'interval';
      readonly expression: string;
      readonly every: IsoDuration;
      readonly startsAt: Date | null;
    };

export type PlaybookTrigger =
  | { readonly kind: 'signal'; readonly signal: SignalKind }
  | ({ readonly kind: 'event' } & EventMatch)
  | { readonly kind: 'segment'; readonly segment: AudienceFilter }
  | { readonly kind: 'schedule'; readonly schedule: Schedule };

export type BranchCondition =
  /** A response (reply, click) arrived after the run's last message. */
  | { readonly kind: 'responded' }
  | { readonly kind: 'signal-open'; readonly signal: SignalKind }
  | { readonly kind: 'trait'; readonly equals: Readonly<Record<string, ScalarValue>> }
  /** The event happened since the run began. */
  | ({ readonly kind: 'event' } & EventMatch);

export type WaitSpec =
  | { readonly kind: 'duration'; readonly duration: IsoDuration }
  /** Until the next 'HH:MM' in the contact's time zone. */
  | { readonly kind: 'local-time'; readonly time: string; readonly hour: number; readonly minute: number }
  | ({ readonly kind: 'event'; readonly timeout: IsoDuration } & EventMatch);

interface StepBase {
  readonly id: string;
}

export interface SendStep extends StepBase {
  readonly kind: 'send';
  readonly channel: SendChannel;
  readonly template: string;
  readonly tone: Tone;
  /** Used when the chosen channel cannot be used (no consent, no address). */
  readonly fallback: MessageChannel | null;
  /** Extra template variables (Liquid expressions allowed, rendered by the templating layer). */
  readonly variables: Readonly<Record<string, ScalarValue>>;
}

export interface WaitStep extends StepBase {
  readonly kind: 'wait';
  readonly wait: WaitSpec;
}

export interface BranchStep extends StepBase {
  readonly kind: 'branch';
  readonly condition: BranchCondition;
  readonly then: string;
  /** Step to go to when the condition does not hold; null = the next step. */
  readonly else: string | null;
}

export interface TaskStep extends StepBase {
  readonly kind: 'task';
  readonly for: Assignee;
  readonly objective: string;
  readonly talkingPoints: readonly string[];
  readonly dueIn: IsoDuration;
}

export interface AlertStep extends StepBase {
  readonly kind: 'alert';
  readonly to: Assignee;
  readonly message: string;
  /** When the person alerted should have acted by; null = no deadline. */
  readonly dueIn: IsoDuration | null;
}

export interface EscalateStep extends StepBase {
  readonly kind: 'escalate';
  /** The id of an earlier task step whose task is escalated when not done. */
  readonly task: string;
  /** Grace after the task's due time; null = at the due time. */
  readonly after: IsoDuration | null;
  readonly to: Assignee;
}

export interface UpdateStep extends StepBase {
  readonly kind: 'update';
  readonly trait: string;
  readonly value: ScalarValue | null;
}

export interface ExitStep extends StepBase {
  readonly kind: 'exit';
  readonly reason: string | null;
}

export type PlaybookStep =
  | SendStep
  | WaitStep
  | BranchStep
  | TaskStep
  | AlertStep
  | EscalateStep
  | UpdateStep
  | ExitStep;
export type StepKind = PlaybookStep['kind'];
export const stepKinds: readonly StepKind[] = ['send', 'wait', 'branch', 'task', 'alert', 'escalate', 'update', 'exit'];

export type ExitCondition =
  /** The signal that started the run is no longer open (only for signal triggers). */
  { readonly kind: 'signal-cleared' } | ({ readonly kind: 'event' } & EventMatch);

export interface PlaybookGoal {
  readonly event: string;
  readonly within: IsoDuration;
}

export type ReentryPolicy =
  | { readonly kind: 'never' }
  | { readonly kind: 'always' }
  /** Again once this long has passed since the previous run ended. */
  | { readonly kind: 'after'; readonly after: IsoDuration };

export interface Playbook {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly version: number;
  readonly enabled: boolean;
  readonly trigger: PlaybookTrigger;
  readonly audience: AudienceFilter;
  readonly steps: readonly PlaybookStep[];
  readonly exit: readonly ExitCondition[];
  readonly goal: PlaybookGoal | null;
  /** Share of entering subjects held out (no actions) to measure uplift, 0–0.5. */
  readonly holdout: number;
  readonly reentry: ReentryPolicy;
  /** How urgently its messages go out against other playbooks' (see message-priority.ts). */
  readonly priority: MessagePriority;
}
