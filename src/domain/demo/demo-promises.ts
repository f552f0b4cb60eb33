// The demo's promises: what the seller promised when the deal closed (a feature, an integration, a
// workshop), kept in time by most teams, late or never by some, so that the demo's accounts have
// promises to track, broken ones among them. Its own stream of draws: nothing else shifts with it.
import { isoDay } from './demo-company.js';
import { logistic, pick, streamOf } from './demo-random.js';
import {
  type AccountState,
  customerDay,
  dayMilliseconds,
  hourMilliseconds,
  sendEvent,
  type WorldContext,
} from './demo-state.js';

const promised: readonly { readonly title: string; readonly team: string }[] = [
  { title: 'Single sign-on with their identity provider', team: 'engineering' },
  { title: 'Export to their accounting system', team: 'engineering' },
  { title: 'An onboarding workshop for the whole team', team: 'onboarding' },
  { title: 'A dedicated support contact for the first quarter', team: 'support' },
  { title: 'The reporting dashboard they saw in the demo', team: 'engineering' },
  { title: 'Data migration from their old tool', team: 'onboarding' },
];

/** On the day an account becomes a customer (or the story's first day), the promises made to win it. */
export function promisesAtSigning(context: WorldContext, state: AccountState, day: number, begins: number): void {
  if (day !== Math.max(0, customerDay(state))) return;
  const random = streamOf(context.company.seed, 40, state.index);
  const count = random.next() < 0.3 ? 1 : random.next() < 0.1 ? 2 : 0;
  const account = state.account;
  const userId = account.people[0]!.userId;
  const madeAt = begins + 11 * hourMilliseconds;
  for (let index = 0; index < count; index++) {
    const promise = pick(random, promised);
    const dueDay = 20 + random.integer(70);
    const promiseId = `${account.id}-p${index + 1}`;
    // Some promises a person delivers (the account's own rep), most a team.
    const owner = random.next() < 0.25 ? account.ownerEmail : promise.team;
    const dueAt = begins + dueDay * dayMilliseconds;
    const made = { promiseId, title: promise.title, dueAt: isoDay(new Date(dueAt)), madeBy: account.ownerEmail, owner };
    sendEvent(context, state, userId, madeAt, 'Promise Made', made);
    // A happier customer is one whose promises were kept: in time for most, late for some, never for a few.
    const roll = random.next();
    const inTime = 0.55 + 0.3 * logistic(state.satisfaction);
    if (roll < inTime) {
      const keptAt = dueAt - random.integer(Math.min(dueDay, 20)) * dayMilliseconds - 8 * hourMilliseconds;
      sendEvent(context, state, userId, keptAt, 'Promise Kept', { promiseId, title: promise.title });
    } else if (roll < inTime + 0.15) {
      const keptAt = dueAt + (3 + random.integer(40)) * dayMilliseconds + 15 * hourMilliseconds;
      sendEvent(context, state, userId, keptAt, 'Promise Kept', { promiseId, title: promise.title, note: 'late' });
    } else if (roll < inTime + 0.2) {
      const reason = 'No longer needed after the second workshop';
      sendEvent(context, state, userId, dueAt - 5 * dayMilliseconds, 'Promise Withdrawn', { promiseId, reason });
    }
  }
}
