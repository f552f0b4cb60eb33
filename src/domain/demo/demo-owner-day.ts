// The owner's side of a demo account's day: the calls, meetings and e-mails a rep plans by their
// cadence, their answers to customers' e-mails (as quick as their diligence), and the call back to a
// new lead. Calls and meetings lift the customer's satisfaction; late or missing answers wear it down.
import type { Random } from '../models/random.js';
import { aroundMedian, pick } from './demo-random.js';
import {
  type AccountState,
  dayMilliseconds,
  hourMilliseconds,
  isWeekday,
  localInstant,
  presentPeople,
  sendEvent,
  type WorldContext,
} from './demo-state.js';

export const objectives = { A: 'business review', B: 'value share', C: 'check-in' } as const;

export const callSummaries = [
  'Went through their usage and the goals for next quarter',
  'Talked about the new forecasting features',
  'Reviewed open tickets and agreed next steps',
  'Introduced the new contact in their finance team',
  'Checked how the last release landed with their team',
  'Discussed adding seats for another department',
];

const questions = [
  'Question about our invoice',
  'How do we add a colleague?',
  'Export to our ERP',
  'Numbers in the monthly report',
  'Can we change the billing address?',
  'Training for new staff',
];

/** When the owner next means to get in touch, from `fromDay`; never for a forgotten account. */
export function planOutreach(state: AccountState, fromDay: number, random: Random): void {
  const every = state.diligence?.everyDays[state.account.tier] ?? null;
  const jitter = Math.exp(0.2 * (random.next() * 2 - 1));
  state.nextOutreachDay = every === null || state.account.forgotten ? null : fromDay + every * jitter;
}

/** A rep's answer to a customer's e-mail; a late or missing answer wears the customer down. */
export function answer(
  context: WorldContext,
  state: AccountState,
  userId: string,
  askedAt: number,
  subject: string,
  random: Random,
): void {
  const diligence = state.diligence;
  if (diligence === null) return;
  const weight = context.company.churnDrivers.neglect;
  if (random.next() < (diligence.answerHours < 24 ? 0.02 : 0.15)) {
    state.satisfaction -= 0.15 * weight;
    return;
  }
  const hours = aroundMedian(random, diligence.answerHours, 0.7);
  const reply = { rep: state.account.ownerEmail, subject: `Re: ${subject}`, summary: 'Answered their question' };
  sendEvent(context, state, userId, askedAt + hours * hourMilliseconds, 'Email Sent', reply);
  state.satisfaction -= weight * 0.03 * Math.min(3, Math.max(0, hours - 24) / 24);
}

/** Now and then a customer e-mails their account manager a question. */
export function customerEmails(context: WorldContext, state: AccountState, day: number, begins: number, draw: Random) {
  const people = presentPeople(state, day);
  if (!isWeekday(begins) || people.length === 0) return;
  if (draw.next() >= 0.012 * (1 + 0.5 * Math.max(0, -state.satisfaction))) return;
  const person = pick(draw, people);
  const subject = pick(draw, questions);
  const at = localInstant(begins, person.timezone, 8 + 10 * draw.next());
  const question = { rep: state.account.ownerEmail, channel: 'email', direction: 'inbound', subject, summary: subject };
  sendEvent(context, state, person.userId, at, 'Message Replied', question);
  answer(context, state, person.userId, at, subject, draw);
}

const dayOf = (context: WorldContext, at: number): number => (at - context.company.start.getTime()) / dayMilliseconds;

/** A call or meeting the owner planned; one in seven calls reaches nobody and is tried again soon. */
function converse(context: WorldContext, state: AccountState, userId: string, at: number, day: number, random: Random) {
  const { account } = state;
  const rep = account.ownerEmail;
  const objective = objectives[account.tier];
  const meeting = account.tier === 'A' && random.next() < 0.35;
  const reached = meeting || random.next() < 0.85;
  if (meeting) {
    const held = { rep, channel: 'meeting', objective, summary: pick(random, callSummaries) };
    sendEvent(context, state, userId, at, 'Meeting Held', held);
  } else {
    const summary = reached ? pick(random, callSummaries) : 'No answer; left a voicemail';
    const channel = random.next() < 0.3 ? 'video' : 'phone';
    const call = { rep, channel, direction: 'outbound', twoWay: reached, objective, summary };
    sendEvent(context, state, userId, at, 'Call Logged', call);
  }
  if (!reached) {
    state.nextOutreachDay = day + 2 + random.integer(3);
    return;
  }
  state.lastSpokenDay = dayOf(context, at);
  state.satisfaction += 0.06 * (0.6 + 0.6 * random.next());
  planOutreach(state, day, random);
}

/** The owner's planned outreach, on a working day: a call or meeting, or an e-mail, as their diligence has it. */
export function outreach(context: WorldContext, state: AccountState, day: number, begins: number, random: Random) {
  const { diligence, account } = state;
  if (diligence === null || state.nextOutreachDay === null || day < state.nextOutreachDay || !isWeekday(begins)) return;
  const person = presentPeople(state, day)[0];
  if (person === undefined) return;
  const owner = context.company.team.find((user) => user.email === account.ownerEmail);
  const at = localInstant(begins, owner?.timezone ?? 'Europe/London', 9 + 8 * random.next());
  if (random.next() < diligence.spokenShare) return converse(context, state, person.userId, at, day, random);
  const rep = account.ownerEmail;
  const email = { rep, subject: 'Checking in', objective: objectives[account.tier] };
  sendEvent(context, state, person.userId, at, 'Email Sent', email);
  state.satisfaction += 0.015;
  if (random.next() < 0.35) {
    const repliedAt = at + aroundMedian(random, 20, 0.6) * hourMilliseconds;
    const summary = 'All good on our side';
    const reply = { rep, channel: 'email', direction: 'inbound', subject: 'Re: Checking in', summary };
    sendEvent(context, state, person.userId, repliedAt, 'Message Replied', reply);
    answer(context, state, person.userId, repliedAt, 'Checking in', random);
  }
  planOutreach(state, day, random);
}

/** A new lead: the owner calls back, as quickly as they answer anything. */
export function leadDay(context: WorldContext, state: AccountState, day: number, begins: number, random: Random): void {
  if (day !== state.account.startDay || state.diligence === null) return;
  const at = begins + (10 + aroundMedian(random, state.diligence.answerHours, 0.7)) * hourMilliseconds;
  const summary = 'Talked through what they need';
  const objective = 'qualify the lead';
  const call = { rep: state.account.ownerEmail, channel: 'phone', direction: 'outbound', objective, summary };
  sendEvent(context, state, state.account.people[0]!.userId, at, 'Call Logged', call);
  state.lastSpokenDay = dayOf(context, at);
}
