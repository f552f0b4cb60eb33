// How a promise reads to a rep: where it stands ("Late", "Kept"), its date in words ("due 20 March 2026,
// now 3 weeks late"), who delivers it and who promised it, and each line of its history.
import type { Reply } from '../api/types';
import { calendarDayInWords, dayInWords } from './format';

export type AccountPromise = Reply<'/api/v1/accounts/{accountId}/promises'>['promises'][number];
type Standing = AccountPromise['standing'];
type HistoryEntry = AccountPromise['history'][number];

const dayMs = 86_400_000;

/** The tag beside a promise: a word, so that a late one stands out without relying on its colour. */
export const standingTags: Record<Standing, string> = {
  broken: 'Late',
  'due-soon': 'Due soon',
  open: 'Open',
  kept: 'Kept',
  'kept-late': 'Kept late',
  withdrawn: 'Withdrawn',
};

const plural = (amount: number, unit: string) => `${amount} ${unit}${amount === 1 ? '' : 's'}`;

/** How late, as the API's talking points say it: "4 days", "3 weeks", "2 months" (a started day counts). */
export function lateness(dueAt: string, now: Date): string {
  const days = Math.max(1, Math.floor((now.getTime() - new Date(dueAt).getTime()) / dayMs) + 1);
  if (days >= 60) return plural(Math.floor(days / 30), 'month');
  if (days >= 14) return plural(Math.floor(days / 7), 'week');
  return plural(days, 'day');
}

/** How long is left before a promise is late, in whole days: "in 3 days", "tomorrow", "today is the last day". */
export function timeLeft(dueAt: string, now: Date): string {
  const days = Math.floor((new Date(dueAt).getTime() - now.getTime()) / dayMs);
  if (days <= 0) return 'today is the last day';
  return days === 1 ? 'tomorrow' : `in ${days} days`;
}

/** Its date and where that leaves it: "due 20 March 2026, now 3 weeks late", "kept on 18 March 2026". */
export function whenInWords(promise: AccountPromise, now: Date): string {
  const due = promise.dueDay === null ? 'no due date' : `due ${calendarDayInWords(promise.dueDay)}`;
  switch (promise.standing) {
    case 'open':
      return due;
    case 'due-soon':
      return promise.dueAt === null ? due : `${due}, ${timeLeft(promise.dueAt, now)}`;
    case 'broken':
      return promise.dueAt === null ? due : `${due}, now ${lateness(promise.dueAt, now)} late`;
    case 'kept':
      return `kept on ${dayInWords(promise.closedAt)}`;
    case 'kept-late':
      return `kept late, on ${dayInWords(promise.closedAt)} (${due})`;
    case 'withdrawn':
      return `withdrawn on ${dayInWords(promise.closedAt)}`;
  }
}

/** "Delivered by engineering; promised by sam@tend.example on 2 March 2026". */
export function peopleInWords(promise: AccountPromise): string {
  const delivers = promise.owner === null ? 'Nobody is named to deliver it yet' : `Delivered by ${promise.owner}`;
  const made = promise.madeBy === null ? 'promised' : `promised by ${promise.madeBy}`;
  return `${delivers}; ${made} on ${dayInWords(promise.madeAt)}`;
}

const historyWords: Record<HistoryEntry['event'], string> = {
  made: 'Promised',
  changed: 'Changed',
  kept: 'Marked kept',
  withdrawn: 'Withdrawn',
};

/** One line of a promise's history, without its time: "Changed by rita@tend.example". */
export function historyInWords(entry: HistoryEntry): string {
  const what = historyWords[entry.event];
  return entry.by === null ? what : `${what} by ${entry.by}`;
}
