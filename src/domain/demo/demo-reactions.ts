// How the demo's customers and reps answer what Tend does: a nudge brings some people back, a payment
// plan gets invoices paid, a renewal offer makes cancelling less likely; a rep acts on a task as
// diligently as they do everything else. Held-out customers get none of this, so the playbooks' lift
// against their holdouts is real, not written in.
import type { Random } from '../models/random.js';
import { isPresent } from './demo-company.js';
import { aroundMedian, logistic, pick } from './demo-random.js';
import { type AccountState, dayMilliseconds, hourMilliseconds, sendEvent, type WorldContext } from './demo-state.js';
import { answer } from './demo-owner-day.js';

/** What Tend did that the world may answer: a message it sent, or a task it gave someone. */
export type DemoReaction =
  | {
      readonly kind: 'message';
      readonly id: string;
      readonly accountId: string | null;
      /** The person it went to (their product user id). */
      readonly userId: string | null;
      readonly channel: string;
      readonly template: string | null;
      readonly at: Date;
    }
  | {
      readonly kind: 'task';
      readonly id: string;
      readonly ownerEmail: string;
      readonly accountId: string | null;
      readonly objective: string;
      readonly at: Date;
    };

const replies = ['Thanks, that helps', 'Good to hear from you', 'Can we talk next week?', 'We will look at it'];

const dayOf = (context: WorldContext, at: number): number => (at - context.company.start.getTime()) / dayMilliseconds;

/** A customer who got a message from Tend: perhaps replies, and the message does what it is for. */
type MessageSent = Extract<DemoReaction, { kind: 'message' }>;
type TaskGiven = Extract<DemoReaction, { kind: 'task' }>;

export function reactToMessage(context: WorldContext, state: AccountState, reaction: MessageSent, random: Random) {
  if (state.stage === 'churned' || state.stage === 'lost' || state.stage === 'waiting') return;
  const at = reaction.at.getTime();
  const { people } = state.account;
  const person = people.find((candidate) => candidate.userId === reaction.userId) ?? people[0]!;
  switch (reaction.template) {
    case 'we-miss-you':
      if (random.next() < 0.55) state.boostedUntilDay = dayOf(context, at) + 21;
      state.satisfaction += 0.1;
      break;
    case 'payment-plan-offer':
    case 'payment-plan-offer-sms':
      for (const invoiceId of state.unpaid.keys()) {
        if (random.next() < 0.65) context.payInvoiceBy(invoiceId, at + (1 + 4 * random.next()) * dayMilliseconds);
      }
      break;
    case 'renewal-offer':
    case 'renewal-reminder':
      state.satisfaction += 0.25;
      break;
    case 'getting-started-help':
      if (!state.activated && random.next() < 0.6) {
        state.activated = true;
        const usedAt = at + (1 + 2 * random.next()) * dayMilliseconds;
        sendEvent(context, state, person.userId, usedAt, 'Feature Used', { feature: 'dashboards' });
      }
      state.satisfaction += 0.1;
      break;
    case 'outage-notice':
    case 'outage-resolved':
      state.satisfaction += 0.08;
      break;
    default:
      state.satisfaction += 0.03;
  }
  if (random.next() < 0.2 + 0.25 * logistic(state.satisfaction)) {
    const repliedAt = at + aroundMedian(random, 4, 0.9) * hourMilliseconds;
    const channel = reaction.channel === 'sms' ? 'sms' : 'email';
    const reply = { channel, direction: 'inbound', summary: pick(random, replies) };
    sendEvent(context, state, person.userId, repliedAt, 'Message Replied', reply);
    answer(context, state, person.userId, repliedAt, 'your message', random);
  }
}

/** A task for a rep or manager: done (a call, and the task completed) as often and as fast as they work. */
export function reactToTask(context: WorldContext, state: AccountState, reaction: TaskGiven, random: Random): void {
  if (state.stage === 'churned' || state.stage === 'lost' || state.stage === 'waiting') return;
  const owner = context.company.team.find((user) => user.email === reaction.ownerEmail);
  if (owner === undefined || owner.role === 'admin') return;
  const done = owner.diligence?.taskDone ?? 0.6;
  const hours = owner.diligence?.taskHours ?? 24;
  if (random.next() >= done) return;
  const given = reaction.at.getTime();
  const at = Math.max(given + aroundMedian(random, hours, 0.6) * hourMilliseconds, given + 600_000);
  const reached = random.next() < 0.85;
  const { people } = state.account;
  const person = people.find((candidate) => isPresent(candidate, dayOf(context, at))) ?? people[0]!;
  const summary = reached ? 'Followed up as the task asked' : 'No answer; left a voicemail';
  const { objective } = reaction;
  const call = { rep: owner.email, channel: 'phone', direction: 'outbound', twoWay: reached, objective, summary };
  sendEvent(context, state, person.userId, at, 'Call Logged', call);
  const outcome = reached ? ('reached' as const) : ('no-answer' as const);
  const completion = { taskId: reaction.id, outcome, note: summary };
  context.schedule(at + 60_000, { kind: 'completion', completion });
  if (!reached) return;
  state.lastSpokenDay = dayOf(context, at);
  state.satisfaction += 0.12;
  const every = state.diligence?.everyDays[state.account.tier] ?? null;
  if (every !== null && !state.account.forgotten) {
    state.nextOutreachDay = Math.max(state.nextOutreachDay ?? 0, dayOf(context, at) + every);
  }
}
