// Promises made to an account (a feature by a date, a discount, a call from engineering): read from the
// `Promise …` events, each with its history, and judged against the clock (open, due soon, broken, kept,
// withdrawn). Pure: the store hands over the events, this decides what they mean.
import type { FieldProblem } from '../errors.js';
import type { AccountPromise, PromiseHistoryEntry, PromiseStatus } from './account-snapshot.js';
import { type EventFact, type PromiseEventName, promiseEventNames } from './event-facts.js';
import { dayMs, isoDay, wholeDaysBetween } from './time-spans.js';

export type { AccountPromise, PromiseEventName, PromiseHistoryEntry, PromiseStatus };
export { promiseEventNames };

/** Where a promise stands at an instant: `broken` and `due-soon` are open promises judged by their date. */
export type PromiseStanding = 'open' | 'due-soon' | 'broken' | 'kept' | 'kept-late' | 'withdrawn';

const countOf = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;

const promiseNames: ReadonlySet<string> = new Set(promiseEventNames);

/** A person's e-mail (compared in lower case) or a team's or person's name as written. */
export function personOrTeam(value: unknown): string | null {
  const given = text(value);
  if (given === null) return null;
  return given.includes('@') ? given.toLowerCase() : given;
}

/** Whether an event's name is one of a promise's. */
export function isPromiseEvent(name: string): name is PromiseEventName {
  return promiseNames.has(name);
}

function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A due date as sent: a date is due by the end of that day (UTC), a date-time at that instant. */
export function promiseDueAt(value: unknown): Date | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const given = value.trim();
  if (datePattern.test(given)) {
    const day = new Date(`${given}T00:00:00Z`);
    // 2027-02-31 is no day: JavaScript would read it as 3 March.
    return Number.isNaN(day.getTime()) || isoDay(day) !== given ? null : new Date(day.getTime() + dayMs);
  }
  // A time needs its zone (Z or an offset): read in the server's own zone it would move with the server.
  if (!dateTimePattern.test(given)) return null;
  const at = new Date(given);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * What is wrong with a `Promise …` event's properties, field by field; [] when it can be recorded. A
 * promise needs its id; a made promise also what was promised and when it is due.
 */
export function promiseEventProblems(name: PromiseEventName, properties: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (text(properties.promiseId) === null)
    problems.push({ field: 'promiseId', message: 'is missing: every promise needs an id of its own' });
  if (name === 'Promise Made' && text(properties.title) === null)
    problems.push({ field: 'title', message: 'is missing: say what was promised, e.g. "Single sign-on by March"' });
  const due = properties.dueAt ?? properties.dueDate;
  if (name === 'Promise Made' && (due === undefined || due === null || due === ''))
    problems.push({ field: 'dueAt', message: 'is missing: say by when it is due, e.g. 2027-03-31' });
  else if (due !== undefined && due !== null && due !== '' && promiseDueAt(due) === null)
    problems.push({
      field: 'dueAt',
      message:
        `is not a date: ${JSON.stringify(due)} (use YYYY-MM-DD, or a date-time with its zone ` +
        'such as 2027-03-31T17:00:00Z)',
    });
  return problems;
}

interface Draft {
  title: string | null;
  dueAt: Date | null;
  madeBy: string | null;
  owner: string | null;
  madeAt: Date | null;
  status: PromiseStatus;
  closedAt: Date | null;
  history: PromiseHistoryEntry[];
}

/** What a change moved, in words: "due 2027-03-31 → 2027-04-30; owner support → engineering". */
function changesInWords(before: Draft, after: Draft): string | null {
  const changes: string[] = [];
  const day = (at: Date | null) => (at === null ? 'none' : isoDay(new Date(at.getTime() - 1)));
  if (before.title !== after.title) changes.push(`title "${before.title ?? ''}" → "${after.title ?? ''}"`);
  if (before.dueAt?.getTime() !== after.dueAt?.getTime())
    changes.push(`due ${day(before.dueAt)} → ${day(after.dueAt)}`);
  if (before.owner !== after.owner) changes.push(`owner ${before.owner ?? 'nobody'} → ${after.owner ?? 'nobody'}`);
  if (before.madeBy !== after.madeBy)
    changes.push(`made by ${before.madeBy ?? 'nobody'} → ${after.madeBy ?? 'nobody'}`);
  return changes.length === 0 ? null : changes.join('; ');
}

/**
 * The account's promises from its `Promise …` events, oldest promise first. A second `Promise Made` or a
 * `Promise Changed` with the same id changes what it gives; a kept or withdrawn promise stays so (a CRM
 * re-sending what it once promised does not reopen it). Events about a promise never made are kept until
 * it is, and a promise with no title is left out.
 */
export function accountPromises(events: readonly EventFact[]): AccountPromise[] {
  const drafts = new Map<string, Draft>();
  // Events of one instant (a CRM's batch, a click on the manual clock) in the order a promise's life runs:
  // the store hands them over in no order, and a kept promise read before its making would reopen.
  const lifeOrder = (name: string) => promiseEventNames.indexOf(name as PromiseEventName);
  const ordered = events
    .filter((event) => promiseNames.has(event.name))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || lifeOrder(a.name) - lifeOrder(b.name));
  for (const event of ordered) {
    const promiseId = text(event.properties.promiseId);
    if (promiseId === null) continue;
    const draft: Draft = drafts.get(promiseId) ?? {
      title: null,
      dueAt: null,
      madeBy: null,
      owner: null,
      madeAt: null,
      status: 'open',
      closedAt: null,
      history: [],
    };
    const by = text(event.properties.recordedBy) ?? text(event.properties.madeBy);
    const note = text(event.properties.note) ?? text(event.properties.reason);
    switch (event.name as PromiseEventName) {
      case 'Promise Made':
      case 'Promise Changed': {
        const before = { ...draft };
        draft.title = text(event.properties.title) ?? draft.title;
        draft.dueAt = promiseDueAt(event.properties.dueAt ?? event.properties.dueDate) ?? draft.dueAt;
        draft.madeBy = personOrTeam(event.properties.madeBy) ?? draft.madeBy;
        draft.owner = personOrTeam(event.properties.owner) ?? draft.owner;
        const first = draft.madeAt === null;
        if (event.name === 'Promise Made') draft.madeAt ??= event.at;
        const changes = first ? null : changesInWords(before, draft);
        // A CRM sending the same promise again says nothing new: the history keeps what changed.
        if (!first && changes === null && note === null) break;
        draft.history.push({
          at: event.at,
          event: first && event.name === 'Promise Made' ? 'made' : 'changed',
          by: text(event.properties.recordedBy) ?? (first ? draft.madeBy : null),
          note: [changes, note].filter((part) => part !== null).join('. ') || null,
        });
        break;
      }
      case 'Promise Kept':
      case 'Promise Withdrawn':
        draft.status = event.name === 'Promise Kept' ? 'kept' : 'withdrawn';
        draft.closedAt = event.at;
        draft.history.push({ at: event.at, event: draft.status === 'kept' ? 'kept' : 'withdrawn', by, note });
        break;
    }
    drafts.set(promiseId, draft);
  }
  return [...drafts].flatMap(([promiseId, draft]) =>
    draft.title === null || draft.madeAt === null
      ? []
      : [
          {
            promiseId,
            title: draft.title,
            dueAt: draft.dueAt,
            madeBy: draft.madeBy,
            owner: draft.owner,
            madeAt: draft.madeAt,
            status: draft.status,
            closedAt: draft.closedAt,
            history: draft.history,
          },
        ],
  );
}

/** Where a promise stands at `now`: an open one is broken once its due time has passed. */
export function promiseStanding(promise: AccountPromise, now: Date, dueSoonDays: number): PromiseStanding {
  const due = promise.dueAt;
  switch (promise.status) {
    case 'withdrawn':
      return 'withdrawn';
    case 'kept':
      return due !== null && promise.closedAt !== null && promise.closedAt > due ? 'kept-late' : 'kept';
    case 'open':
      if (due === null) return 'open';
      if (due.getTime() <= now.getTime()) return 'broken';
      return due.getTime() - now.getTime() <= dueSoonDays * dayMs ? 'due-soon' : 'open';
  }
}

/** The day a promise is due by, as people read it (the last day, not the midnight after it). */
export function dueDayOf(promise: AccountPromise): string | null {
  return promise.dueAt === null ? null : isoDay(new Date(promise.dueAt.getTime() - 1));
}

/** How late in words: "3 weeks", "4 days", "2 months". */
export function latenessInWords(dueAt: Date, now: Date): string {
  const days = Math.max(1, wholeDaysBetween(dueAt, now) + 1);
  if (days >= 60) return countOf(Math.floor(days / 30), 'month');
  if (days >= 14) return countOf(Math.floor(days / 7), 'week');
  return countOf(days, 'day');
}

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * What a rep should raise about a promise in a conversation, or null when there is nothing to raise:
 * "Raise the promise "Single sign-on" due in March 2027, now 3 weeks late (engineering delivers it)".
 */
export function promiseTalkingPoint(promise: AccountPromise, now: Date, dueSoonDays: number): string | null {
  const standing = promiseStanding(promise, now, dueSoonDays);
  if (promise.dueAt === null || (standing !== 'broken' && standing !== 'due-soon')) return null;
  const lastDay = new Date(promise.dueAt.getTime() - 1);
  const month = `${monthNames[lastDay.getUTCMonth()]} ${lastDay.getUTCFullYear()}`;
  const owner = promise.owner === null ? '' : ` (${promise.owner} delivers it)`;
  return standing === 'broken'
    ? `Raise the promise "${promise.title}" due in ${month}, now ${latenessInWords(promise.dueAt, now)} late${owner}`
    : `The promise "${promise.title}" is due on ${isoDay(lastDay)}: check it will be kept${owner}`;
}

/** Who must deliver, and who promised it, in words (a signal's second reason). */
export function promisePeopleInWords(promise: { madeBy: string | null; owner: string | null; madeAt: Date }): string {
  const maker = promise.madeBy === null ? 'Promised' : `Promised by ${promise.madeBy}`;
  const owner = promise.owner === null ? 'nobody is named to deliver it' : `${promise.owner} must deliver it`;
  return `${maker} on ${isoDay(promise.madeAt)}; ${owner}`;
}

/** One promise as a template speaks of it. */
export interface PromiseWord {
  readonly title: string;
  /** The last day it may be kept on, YYYY-MM-DD. */
  readonly dueDay: string | null;
  readonly owner: string | null;
  readonly standing: string;
  /** What a rep should raise about it ("Raise the promise … now 3 weeks late"), or null. */
  readonly talkingPoint: string | null;
}

/** `promises.broken`, `promises.open` (not yet due, or due soon) and their talking points, for templates. */
export interface PromiseWords {
  readonly broken: readonly PromiseWord[];
  readonly open: readonly PromiseWord[];
  readonly talkingPoints: readonly string[];
}

/** The promises a message may speak of: broken and still open ones, the most urgent first. */
export function promiseWords(promises: readonly AccountPromise[], now: Date, dueSoonDays = 7): PromiseWords {
  const words = promises
    .filter((promise) => promise.status === 'open')
    .sort((a, b) => (a.dueAt?.getTime() ?? Number.POSITIVE_INFINITY) - (b.dueAt?.getTime() ?? Number.POSITIVE_INFINITY))
    .map((promise) => ({
      title: promise.title,
      dueDay: dueDayOf(promise),
      owner: promise.owner,
      standing: promiseStanding(promise, now, dueSoonDays),
      talkingPoint: promiseTalkingPoint(promise, now, dueSoonDays),
    }));
  return {
    broken: words.filter((word) => word.standing === 'broken'),
    open: words.filter((word) => word.standing !== 'broken'),
    talkingPoints: words.flatMap((word) => (word.talkingPoint === null ? [] : [word.talkingPoint])),
  };
}
