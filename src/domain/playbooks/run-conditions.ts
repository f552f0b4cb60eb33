// The facts a journey run decides on — the subject's events, open signals, traits — and the checks
// made from them: exit conditions, the goal, branch conditions, whether a message got a response.
import type { SignalKind } from '../relationship/signal.js';
import { assertNever } from '../tracking-message.js';
import type { BranchCondition, EventMatch, Playbook } from './playbook-definition.js';

export interface RunEvent {
  readonly name: string;
  readonly at: Date;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** What the engine gathers about the run's subject before asking for the next action. */
export interface RunContext {
  /** The subject's events since the run began (order does not matter). */
  readonly events: readonly RunEvent[];
  /** Whether the signal that started the run is still open; true for runs not started by a signal. */
  readonly triggerSignalOpen: boolean;
  readonly openSignals: readonly SignalKind[];
  readonly traits: Readonly<Record<string, unknown>>;
  /** The contact's IANA time zone, or the configured default, for waits until a local time. */
  readonly timezone: string;
  /** Idempotency keys of this run's tasks that have been completed. */
  readonly completedTasks: readonly string[];
}

/** Events that count as a response to a message (channel learning counts the same ones). */
export const responseEvents: readonly string[] = ['Message Replied', 'Message Clicked'];

/** Whether the event has the name and every `where` property value. */
export function eventMatches(match: EventMatch, event: RunEvent): boolean {
  return (
    event.name === match.event &&
    Object.entries(match.where).every(([property, value]) => event.properties[property] === value)
  );
}

/** The earliest matching event in [from, to], or null. */
export function firstEventBetween(
  match: EventMatch,
  events: readonly RunEvent[],
  from: Date,
  to: Date,
): RunEvent | null {
  let first: RunEvent | null = null;
  for (const event of events) {
    const at = event.at.getTime();
    if (at < from.getTime() || at > to.getTime() || !eventMatches(match, event)) continue;
    if (first === null || at < first.at.getTime()) first = event;
  }
  return first;
}

/** Why the run must stop now (an exit condition of the playbook holds), or null. */
export function exitReason(playbook: Playbook, enteredAt: Date, context: RunContext, now: Date): string | null {
  for (const condition of playbook.exit) {
    switch (condition.kind) {
      case 'signal-cleared':
        if (!context.triggerSignalOpen) return 'signal-cleared';
        break;
      case 'event':
        if (firstEventBetween(condition, context.events, enteredAt, now) !== null) return `event: ${condition.event}`;
        break;
      default:
        return assertNever(condition);
    }
  }
  return null;
}

/** Whether the goal event happened within the goal's window after the run began. */
export function goalReached(playbook: Playbook, enteredAt: Date, context: RunContext, now: Date): boolean {
  const goal = playbook.goal;
  if (goal === null) return false;
  const windowEnd = new Date(Math.min(now.getTime(), enteredAt.getTime() + goal.within.ms));
  return firstEventBetween({ event: goal.event, where: {} }, context.events, enteredAt, windowEnd) !== null;
}

/** Whether a response came after the last message (none sent yet: no). */
export function respondedSince(lastSendAt: Date | null, context: RunContext, now: Date): boolean {
  if (lastSendAt === null) return false;
  return responseEvents.some(
    (name) => firstEventBetween({ event: name, where: {} }, context.events, lastSendAt, now) !== null,
  );
}

/** Evaluates a branch's condition; `responded` looks for a response after the run's last message. */
export function conditionHolds(
  condition: BranchCondition,
  run: { readonly enteredAt: Date; readonly lastSendAt: Date | null },
  context: RunContext,
  now: Date,
): boolean {
  switch (condition.kind) {
    case 'responded':
      return respondedSince(run.lastSendAt, context, now);
    case 'signal-open':
      return context.openSignals.includes(condition.signal);
    case 'trait':
      return Object.entries(condition.equals).every(([name, value]) => context.traits[name] === value);
    case 'event':
      return firstEventBetween(condition, context.events, run.enteredAt, now) !== null;
    default:
      return assertNever(condition);
  }
}

/** How a branch condition reads in a run's history. */
export function describeCondition(condition: BranchCondition): string {
  switch (condition.kind) {
    case 'responded':
      return 'responded to the last message';
    case 'signal-open':
      return `signal ${condition.signal} open`;
    case 'trait':
      return Object.entries(condition.equals)
        .map(([name, value]) => `${name} = ${String(value)}`)
        .join(' and ');
    case 'event':
      return `${condition.event} happened`;
    default:
      return assertNever(condition);
  }
}
