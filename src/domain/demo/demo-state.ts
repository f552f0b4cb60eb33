// What the demo world remembers from day to day: each account's stage and hidden satisfaction, when
// its owner last spoke with it, its unpaid invoices; and what it has scheduled to happen later.
import type { JsonObject, TrackingMessage } from '../tracking-message.js';
import { type DemoAccount, type DemoCompany, isPresent } from './demo-company.js';
import { groupOf, type MessageIds, type Timed, trackOf } from './demo-messages.js';
import { utcOffsetHours } from './demo-places.js';
import type { Diligence } from './demo-team.js';

export type AccountStage = 'waiting' | 'lead' | 'lost' | 'onboarding' | 'active' | 'renewal' | 'churned';

export interface AccountState {
  readonly account: DemoAccount;
  readonly index: number;
  readonly diligence: Diligence | null;
  stage: AccountStage;
  /** Hidden satisfaction (a logit): what the customer feels, which Tend only sees through its effects. */
  satisfaction: number;
  /** Day (fractional) of the last conversation with the owner; null: never. */
  lastSpokenDay: number | null;
  /** Day the owner next means to get in touch; null: not planned. */
  nextOutreachDay: number | null;
  /** Day of the next renewal (annual contracts), and whether notice to cancel was given. */
  renewalDay: number | null;
  /** Used a feature at least once (what onboarding waits for). */
  activated: boolean;
  /** Use is up after a nudge until this day. */
  boostedUntilDay: number;
  /** Day it cancelled; null while a customer. */
  churnedDay: number | null;
  invoices: number;
  tickets: number;
  /** Invoices issued and not yet paid, by id: when their payment is scheduled. */
  readonly unpaid: Map<string, { readonly amount: number; readonly margin: number; payAt: number }>;
}

/** A task the world's reps finished: the driver records it through Tend's API. */
export interface TaskCompletion {
  readonly taskId: string;
  readonly outcome: 'reached' | 'no-answer';
  readonly note: string;
}

/** Something the world will do at a later instant. */
export type Scheduled =
  | { readonly kind: 'message'; readonly message: TrackingMessage; readonly invoiceId?: string }
  | { readonly kind: 'completion'; readonly completion: TaskCompletion };

/** What the day simulation and the reactions share. */
export interface WorldContext {
  readonly company: DemoCompany;
  readonly ids: MessageIds;
  schedule(at: number, scheduled: Scheduled): void;
  /** Moves an invoice's scheduled payment to `at` when that is sooner. */
  payInvoiceBy(invoiceId: string, at: number): void;
}

export type TimedScheduled = Timed<Scheduled>;

export const dayMilliseconds = 86_400_000;
export const hourMilliseconds = 3_600_000;

/** Day the account became (or becomes) a customer. */
export const customerDay = (state: AccountState): number => state.account.startDay + state.account.leadDays;

/** An instant of the day that begins at `begins`: a local hour (fractional) in `timezone`, within the UTC day. */
export function localInstant(begins: number, timezone: string, localHour: number): number {
  const utcHour = (((localHour - (utcOffsetHours[timezone] ?? 0)) % 24) + 24) % 24;
  return begins + Math.floor(utcHour * hourMilliseconds);
}

export function isWeekday(begins: number): boolean {
  const weekday = new Date(begins).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The account's people on `day`. */
export const presentPeople = (state: AccountState, day: number) =>
  state.account.people.filter((person) => isPresent(person, day));

/** Schedules a track call in the account's name at `at`. */
export function sendEvent(
  context: WorldContext,
  state: AccountState,
  userId: string,
  at: number,
  event: string,
  properties: JsonObject,
): void {
  const message = trackOf(context.ids, userId, state.account.id, event, properties, new Date(at));
  context.schedule(at, { kind: 'message', message });
}

/** Schedules a group call that changes the account's traits. */
export function updateAccount(context: WorldContext, state: AccountState, at: number, traits: JsonObject): void {
  const userId = state.account.people[0]!.userId;
  const message = groupOf(context.ids, userId, state.account.id, traits, new Date(at));
  context.schedule(at, { kind: 'message', message });
}
