// One day in the life of one demo account: its people sign in (less as they sour), invoices fall due
// and are paid (a few late, a few failed), tickets are opened and resolved (some reopened), surveys
// answered; stages move on; and its hidden satisfaction drifts, worn down by silence, fading use and
// trouble, until some cancel. The owner's side of the day is in demo-owner-day.ts.
import type { Random } from '../models/random.js';
import { type DemoPerson, dayStart, isoDay } from './demo-company.js';
import { accountTraits, groupOf, identifyOf, trackOf } from './demo-messages.js';
import { callSummaries, customerEmails, leadDay, objectives, outreach, planOutreach } from './demo-owner-day.js';
import { features, ticketProblems } from './demo-places.js';
import { promisesAtSigning } from './demo-promises.js';
import { aroundMedian, logistic, pick } from './demo-random.js';
import {
  type AccountState,
  customerDay,
  dayMilliseconds,
  hourMilliseconds,
  isWeekday,
  localInstant,
  presentPeople,
  sendEvent,
  updateAccount,
  type WorldContext,
} from './demo-state.js';
import { expectedEveryDays } from './demo-team.js';

const comments = {
  low: [
    'Support takes too long',
    'Nobody has talked to us in months',
    'The reports are often wrong',
    'Too expensive for what we use',
  ],
  middle: ['Does the job', 'Fine, a few rough edges', 'Good, but the exports could be better'],
  high: ['Our team relies on it every day', 'Great support from our account manager', 'Saves us hours every week'],
};
const cancelReasons = ['budget cuts', 'switched to a competitor', 'not using it enough', 'unhappy with support'];

/** Day index of an ISO day in the story (negative before it). */
function dayIndexOf(context: WorldContext, iso: string): number {
  return Math.round((Date.parse(`${iso}T00:00:00Z`) - context.company.start.getTime()) / dayMilliseconds);
}

const renewalIso = (context: WorldContext, day: number): string => isoDay(dayStart(context.company, day));

/**
 * The account's first day: its people and the account itself, as the CRM sync sends them. A customer
 * from before the story was first seen on the last anniversary of becoming one (Tend marks
 * anniversaries from when it first saw an account), and its last conversation is sent with it.
 */
function appear(context: WorldContext, state: AccountState, day: number, begins: number, random: Random): void {
  const account = state.account;
  const since = dayIndexOf(context, account.customerSince);
  const firstSeenDay = account.startDay > 0 ? day : -((day - since) % 365);
  const at = begins + firstSeenDay * dayMilliseconds + 8 * hourMilliseconds + (state.index % 3_600) * 1_000;
  if (account.leadDays > 0) state.stage = 'lead';
  else if (account.startDay > 0) state.stage = 'onboarding';
  else state.stage = 'active';
  if (account.contract === 'annual' && state.stage !== 'lead') {
    state.renewalDay = since + 365 * Math.max(1, Math.ceil((day + 1 - since) / 365));
    if (state.stage === 'active' && state.renewalDay - day <= 90) state.stage = 'renewal';
  }
  const renewal = state.renewalDay === null ? null : renewalIso(context, state.renewalDay);
  account.people.forEach((person, index) => {
    if (person.joinsDay > day) return;
    context.schedule(at, { kind: 'message', message: identifyOf(context.ids, person, new Date(at)) });
    const traits = index === 0 ? accountTraits(account, state.stage, renewal) : {};
    const group = groupOf(context.ids, person.userId, account.id, traits, new Date(at));
    context.schedule(at, { kind: 'message', message: group });
  });
  const userId = account.people[0]!.userId;
  if (state.stage === 'onboarding') {
    sendEvent(context, state, userId, at + 60_000, 'Subscription Started', { plan: account.plan });
  }
  if (account.spokenDaysAgo !== null) {
    const lastCall = begins - account.spokenDaysAgo * dayMilliseconds + 14 * hourMilliseconds;
    const spokenAt = Math.max(at + hourMilliseconds, lastCall);
    const summary = pick(random, callSummaries);
    const objective = objectives[account.tier];
    const call = { rep: account.ownerEmail, channel: 'phone', direction: 'outbound', objective, summary };
    sendEvent(context, state, userId, spokenAt, 'Call Logged', call);
    state.lastSpokenDay = (spokenAt - context.company.start.getTime()) / dayMilliseconds;
  }
  planOutreach(state, state.lastSpokenDay ?? day - 30, random);
}

function cancel(context: WorldContext, state: AccountState, day: number, at: number, random: Random): void {
  const effectiveDate = renewalIso(context, state.renewalDay ?? day + 30);
  const notice = { plan: state.account.plan, reason: pick(random, cancelReasons), effectiveDate };
  sendEvent(context, state, state.account.people[0]!.userId, at, 'Subscription Cancelled', notice);
  updateAccount(context, state, at + 60_000, { lifecycleStage: 'churned', revenue: 0, profit: 0 });
  state.stage = 'churned';
  state.churnedDay = day;
}

/** A lead buys (or is lost) when its days as a lead are over. */
function convert(context: WorldContext, state: AccountState, day: number, at: number): void {
  const account = state.account;
  if (account.leadLost) {
    state.stage = 'lost';
    return;
  }
  state.stage = 'onboarding';
  if (account.contract === 'annual') state.renewalDay = day + 365;
  const renewal = state.renewalDay === null ? null : renewalIso(context, state.renewalDay);
  updateAccount(context, state, at, accountTraits(account, 'onboarding', renewal));
  sendEvent(context, state, account.people[0]!.userId, at + 60_000, 'Subscription Started', { plan: account.plan });
}

/** Stages move on: a lead buys or is lost, onboarding ends, renewals come up and are decided. */
function lifecycle(context: WorldContext, state: AccountState, day: number, begins: number, random: Random): void {
  const account = state.account;
  const at = begins + 7 * hourMilliseconds;
  if (state.stage === 'lead') {
    if (day >= customerDay(state)) convert(context, state, day, at);
    return;
  }
  if (state.stage === 'onboarding' && day >= customerDay(state) + 45) {
    state.stage = 'active';
    updateAccount(context, state, at, { lifecycleStage: 'active' });
  }
  if (state.renewalDay !== null && (state.stage === 'active' || state.stage === 'renewal')) {
    if (state.stage === 'active' && state.renewalDay - day <= 90) {
      state.stage = 'renewal';
      updateAccount(context, state, at, { lifecycleStage: 'renewal' });
    }
    // Notice is given a month ahead: most cancellations come then.
    const cancels = day === state.renewalDay - 30 && random.next() < logistic(-3.2 - 2.2 * state.satisfaction);
    if (cancels) {
      cancel(context, state, day, at, random);
      return;
    }
    if (day >= state.renewalDay) {
      state.renewalDay += 365;
      state.stage = 'active';
      const renewalDate = renewalIso(context, state.renewalDay);
      const renewed = { plan: account.plan, renewalDate };
      sendEvent(context, state, account.people[0]!.userId, at, 'Subscription Renewed', renewed);
      updateAccount(context, state, at + 60_000, { lifecycleStage: 'active', renewalDate });
    }
  }
  const billed = new Date(begins).getUTCDate() === account.billingDay && day > customerDay(state);
  if (account.contract === 'monthly' && billed && random.next() < logistic(-5 - 2.2 * state.satisfaction)) {
    cancel(context, state, day, at, random);
  }
}

/** Satisfaction drifts back towards its base, and is worn down by silence and fading use. */
function drift(context: WorldContext, state: AccountState, day: number, random: Random): void {
  const drivers = context.company.churnDrivers;
  const account = state.account;
  let change = 0.004 * (account.baseSatisfaction - state.satisfaction) + 0.03 * random.normal();
  const silentSince = state.lastSpokenDay ?? customerDay(state) - 30;
  const overdue = (day - silentSince) / expectedEveryDays[account.tier] - 1;
  if (overdue > 0) change -= drivers.neglect * 0.006 * Math.min(2, overdue + 0.3);
  if (account.fadingFromDay !== null && day >= account.fadingFromDay) change -= drivers.usage * 0.0025;
  state.satisfaction = Math.max(-4, Math.min(3, state.satisfaction + change));
}

/** A person who joins during the year is sent with their account. */
function join(context: WorldContext, state: AccountState, person: DemoPerson, begins: number): void {
  const at = localInstant(begins, person.timezone, 9);
  context.schedule(at, { kind: 'message', message: identifyOf(context.ids, person, new Date(at)) });
  const group = groupOf(context.ids, person.userId, state.account.id, {}, new Date(at));
  context.schedule(at, { kind: 'message', message: group });
}

/** How much the account's people use the product today, against their usual: mood, fading, a nudge. */
function usageFactor(state: AccountState, day: number, starting: boolean): number {
  const account = state.account;
  const fading = account.fadingFromDay !== null && day >= account.fadingFromDay;
  const fade = fading ? (1 - account.weeklyFade) ** ((day - account.fadingFromDay!) / 7) : 1;
  const nudged = day < state.boostedUntilDay ? 1.5 : 1;
  return 1.7 * logistic(1.6 * state.satisfaction - 0.3) * fade * nudged * (starting ? 0.3 : 1);
}

function usage(context: WorldContext, state: AccountState, day: number, begins: number, random: Random): void {
  const account = state.account;
  const weekday = isWeekday(begins);
  const starting = state.stage === 'onboarding' && account.slowStarter && day < customerDay(state) + 35;
  const factor = usageFactor(state, day, starting);
  account.people.forEach((person, index) => {
    if (person.joinsDay > day) return;
    if (person.joinsDay === day && day > account.startDay) join(context, state, person, begins);
    if (person.leavesDay !== null && day >= person.leavesDay) {
      // A champion leaving hurts more than anyone else.
      const loss = index === 0 ? 0.45 : 0.15;
      if (day === person.leavesDay) state.satisfaction -= context.company.churnDrivers.usage * loss;
      return;
    }
    const leaving = person.leavesDay !== null && person.leavesDay - day < 21 ? (person.leavesDay - day) / 21 : 1;
    const signIns = Math.min(4, random.poisson(person.weeklySignIns * factor * leaving * (weekday ? 0.19 : 0.025)));
    for (let count = 0; count < signIns; count++) {
      const at = localInstant(begins, person.timezone, 7 + 12 * random.next());
      sendEvent(context, state, person.userId, at, 'Signed In', {});
      if (random.next() >= (state.activated ? 0.08 : starting ? 0 : 0.3)) continue;
      state.activated = true;
      sendEvent(context, state, person.userId, at + 120_000, 'Feature Used', { feature: pick(random, features) });
    }
  });
}

function tickets(context: WorldContext, state: AccountState, day: number, begins: number, random: Random): void {
  const people = presentPeople(state, day);
  if (!isWeekday(begins) || people.length === 0) return;
  const weight = context.company.churnDrivers.tickets;
  const opened = random.poisson(0.0035 * people.length * (1 + 0.6 * Math.max(0, -state.satisfaction)));
  for (let count = 0; count < opened; count++) {
    const person = pick(random, people);
    const problem = pick(random, ticketProblems);
    const ticketId = `T-${state.account.id.slice(5)}-${++state.tickets}`;
    const at = localInstant(begins, person.timezone, 8 + 10 * random.next());
    const ticket = { ticketId, problem, subject: `Problem with ${problem}`, channel: 'chat' };
    sendEvent(context, state, person.userId, at, 'Ticket Opened', ticket);
    const hours = Math.min(200, Math.max(0.3, aroundMedian(random, 6, 1.1)));
    const resolvedAt = at + hours * hourMilliseconds;
    sendEvent(context, state, person.userId, resolvedAt, 'Ticket Resolved', { ticketId, problem });
    state.satisfaction -= weight * (0.04 + (0.03 * Math.max(0, hours - 24)) / 24);
    if (random.next() >= 0.12) continue;
    const reopenedAt = resolvedAt + (1 + 3 * random.next()) * dayMilliseconds;
    const reopened = { ticketId, problem, subject: `Problem with ${problem} is back` };
    sendEvent(context, state, person.userId, reopenedAt, 'Ticket Reopened', reopened);
    state.satisfaction -= weight * 0.1;
  }
}

/** When an invoice issued on the day beginning at `begins` is paid: most on time, some late, a few after a failure. */
function payment(
  context: WorldContext,
  state: AccountState,
  invoice: { invoiceId: string; amount: number },
  begins: number,
  random: Random,
): number {
  const roll = random.next();
  if (roll < 0.025) {
    const failedAt = begins + (28 + random.integer(3)) * dayMilliseconds + 9 * hourMilliseconds;
    const failure = { ...invoice, currency: state.account.currency, reason: 'card declined' };
    sendEvent(context, state, state.account.people[0]!.userId, failedAt, 'Payment Failed', failure);
    return failedAt + (3 + random.integer(6)) * dayMilliseconds;
  }
  const lateShare = 0.04 + 0.14 * logistic(-2 * state.satisfaction - 1);
  const days = roll < 0.025 + lateShare ? 33 + random.integer(38) : 2 + random.integer(26);
  return begins + days * dayMilliseconds + 10 * hourMilliseconds;
}

function invoices(context: WorldContext, state: AccountState, day: number, begins: number, random: Random): void {
  const account = state.account;
  if (new Date(begins).getUTCDate() !== account.billingDay || day < customerDay(state) || account.revenue <= 0) return;
  const invoiceId = `INV-${account.id.slice(5)}-${++state.invoices}`;
  const amount = Math.round((account.revenue / 12) * 100) / 100;
  const margin = Math.round((account.profit / 12) * 100) / 100;
  const userId = account.people[0]!.userId;
  const dueDate = isoDay(new Date(begins + 30 * dayMilliseconds));
  const issued = { invoiceId, amount, margin, currency: account.currency, dueDate };
  sendEvent(context, state, userId, begins + 6 * hourMilliseconds, 'Invoice Issued', issued);
  const payAt = payment(context, state, { invoiceId, amount }, begins, random);
  state.unpaid.set(invoiceId, { amount, margin, payAt });
  const paid = { invoiceId, amount, margin, currency: account.currency };
  // Tagged with the invoice, so that a payment plan Tend offers can bring it forward.
  const message = trackOf(context.ids, userId, account.id, 'Invoice Paid', paid, new Date(payAt));
  context.schedule(payAt, { kind: 'message', message, invoiceId });
}

/** Four times a year the customers are asked how likely they would recommend the product (0–10). */
function surveys(context: WorldContext, state: AccountState, day: number, begins: number, random: Random): void {
  if (day % 91 !== 40) return;
  for (const person of presentPeople(state, day)) {
    if (random.next() >= 0.3) continue;
    const score = Math.max(0, Math.min(10, Math.round(7.3 + 1.7 * state.satisfaction + 1.3 * random.normal())));
    const band = score <= 6 ? 'low' : score <= 8 ? 'middle' : 'high';
    const at = localInstant(begins + random.integer(7) * dayMilliseconds, person.timezone, 9 + 8 * random.next());
    const answer = { survey: 'NPS', score, scale: 10, comment: pick(random, comments[band]) };
    sendEvent(context, state, person.userId, at, 'Survey Answered', answer);
  }
}

export function simulateAccountDay(context: WorldContext, state: AccountState, day: number, random: Random): void {
  const begins = dayStart(context.company, day).getTime();
  if (state.stage === 'waiting') {
    if (day < state.account.startDay) return;
    appear(context, state, day, begins, random);
  }
  if (state.stage === 'lead') leadDay(context, state, day, begins, random);
  lifecycle(context, state, day, begins, random);
  if (state.stage === 'lead' || state.stage === 'lost' || state.stage === 'churned') return;
  drift(context, state, day, random);
  usage(context, state, day, begins, random);
  tickets(context, state, day, begins, random);
  invoices(context, state, day, begins, random);
  promisesAtSigning(context, state, day, begins);
  surveys(context, state, day, begins, random);
  customerEmails(context, state, day, begins, random);
  outreach(context, state, day, begins, random);
}
