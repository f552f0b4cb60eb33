// promise-broken: something promised to the account (a feature, a fix, a discount) passed its due date
// and was not kept. The account's owner answers for it; the promise's owner and maker are named.
import { dueDayOf, latenessInWords, promisePeopleInWords } from '../promises.js';
import { dayMs } from '../time-spans.js';
import type { SignalDefinition } from './signal-definition.js';
import { severityOf, type RaisedSignal, type RuleOutcome, type SignalContext } from './signal-context.js';

const reads = ['promises'] as const;

export const promiseBrokenSignal = {
  kind: 'promise-broken',
  label: 'Promise broken',
  reads,
  settings: [],
  rule: promiseBrokenRule,
  // A customer let down on what they were sold is a relationship at risk.
  risk: 'relationship',
  today: {
    objective: 'say what will be done about the broken promise, and by when',
    suggestsCall: true,
    talkingPoint: true,
  },
  health: { component: 'promises', pointsOff: (signal) => signal.severity, reasons: 'all' },
} satisfies SignalDefinition<'promise-broken', typeof reads>;

/**
 * promise-broken, one per promise: open past its due time. Severity by the account's value: 50 for the
 * least valuable, up to 90 for the most, and up to 10 more as the weeks go by.
 */
function promiseBrokenRule(context: SignalContext<typeof reads>): RuleOutcome<'promise-broken'> {
  const { snapshot, now } = context;
  const signals: RaisedSignal<'promise-broken'>[] = [];
  const checkAt: Date[] = [];
  for (const promise of snapshot.promises) {
    if (promise.dueAt === null || promise.status !== 'open') continue;
    if (promise.dueAt.getTime() > now.getTime()) {
      checkAt.push(promise.dueAt);
      continue;
    }
    const weeksLate = (now.getTime() - promise.dueAt.getTime()) / (7 * dayMs);
    signals.push({
      kind: 'promise-broken',
      severity: severityOf(50 + 40 * context.valueWeight + Math.min(10, weeksLate * 2)),
      valueAtStakeMinor: context.marginMinor,
      reasons: [
        `Promise "${promise.title}" was due on ${dueDayOf(promise)} and is ${latenessInWords(promise.dueAt, now)} late`,
        promisePeopleInWords(promise),
      ],
      deadlineAt: promise.dueAt,
      instance: promise.promiseId,
    });
  }
  return { signals, checkAt };
}
