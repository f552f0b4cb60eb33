// promise-due: a promise to the account falls due within days (7 by default) and is still open: a light
// signal for whoever must deliver it, while there is still time to keep it.
import { dueDayOf, promisePeopleInWords, promiseStanding } from '../promises.js';
import { addDays, wholeDaysBetween } from '../time-spans.js';
import type { SignalDefinition } from './signal-definition.js';
import { countOf, severityOf, type RaisedSignal, type RuleOutcome, type SignalContext } from './signal-context.js';
import { setting, wholeNumber } from './signal-settings.js';

const reads = ['promises'] as const;

export const promiseDueDays = setting('promiseDueDays', wholeNumber(7, 1, 90, 'days'));

export const promiseDueSignal = {
  kind: 'promise-due',
  label: 'Promise due soon',
  reads,
  settings: [promiseDueDays],
  rule: promiseDueRule,
  // Nothing is lost yet: it is a reminder, not money at risk.
  risk: 'none',
  today: { objective: null, suggestsCall: false, talkingPoint: true },
  health: { component: 'promises', pointsOff: () => 0, reasons: 'first' },
} satisfies SignalDefinition<'promise-due', typeof reads>;

/**
 * promise-due, one per promise: open, due within promiseDueDays and not yet past. The account's owner's, like
 * every signal; its notice goes to the promise's owner when that is a Tend user, else to the account's owner.
 * Severity: 20, up to 40 for the most valuable accounts.
 */
function promiseDueRule(context: SignalContext<typeof reads>): RuleOutcome<'promise-due'> {
  const { snapshot, now } = context;
  const days = promiseDueDays.in(context.config);
  const signals: RaisedSignal<'promise-due'>[] = [];
  const checkAt: Date[] = [];
  for (const promise of snapshot.promises) {
    if (promise.dueAt === null || promise.status !== 'open') continue;
    const standing = promiseStanding(promise, now, days);
    if (standing === 'open') checkAt.push(addDays(promise.dueAt, -days));
    if (standing !== 'due-soon') continue;
    checkAt.push(promise.dueAt);
    const daysLeft = Math.max(0, wholeDaysBetween(now, promise.dueAt));
    signals.push({
      kind: 'promise-due',
      severity: severityOf(20 + 20 * context.valueWeight),
      valueAtStakeMinor: 0,
      reasons: [
        `Promise "${promise.title}" is due on ${dueDayOf(promise)}, ` +
          (daysLeft === 0 ? 'today' : `in ${countOf(daysLeft, 'day')}`),
        promisePeopleInWords(promise),
      ],
      deadlineAt: promise.dueAt,
      instance: promise.promiseId,
      ...(promise.owner?.includes('@') ? { noticeTo: promise.owner } : {}),
    });
  }
  return { signals, checkAt };
}
