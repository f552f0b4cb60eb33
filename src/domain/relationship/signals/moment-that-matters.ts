// moment-that-matters: a moment worth a personal word: an anniversary, a usage milestone, an outage.
import { addDays, addYears, isoDay, withinLastDays } from '../time-spans.js';
import type { SignalDefinition } from './signal-definition.js';
import { countOf, quote, type RaisedSignal, type RuleOutcome, type SignalContext } from './signal-context.js';
import { settingGroup, text, wholeNumbers } from './signal-settings.js';

const reads = ['createdAt', 'lifetimeActivityCount', 'outages'] as const;

const milestones = settingGroup('milestones', {
  activity: text('Signed In'),
  counts: wholeNumbers([100, 1000, 10000], 1, 1e12, 'events'),
});

export const momentThatMattersSignal = {
  kind: 'moment-that-matters',
  label: 'A moment that matters',
  reads,
  settings: [milestones],
  rule: momentRule,
  // A positive moment puts nothing at risk; an outage's value at stake is not money at risk either.
  risk: 'none',
  today: {
    objective: (signal) =>
      signal.instance.startsWith('outage-') ? 'apologise for the outage and explain the fix' : 'mark the moment',
    suggestsCall: false,
    talkingPoint: true,
  },
  health: null,
} satisfies SignalDefinition<'moment-that-matters', typeof reads>;

/** How far ahead an anniversary is a moment, and how long an outage stays one. */
const momentDays = 7;

/**
 * moment-that-matters: an anniversary of the account within the next 7 days ('anniversary-YYYY',
 * until the day after), the highest usage milestone reached ('milestone-N'), or an outage in the last
 * 7 days ('outage-YYYY-MM-DD'). Positive moments put no money at stake; an outage puts the margin.
 */
function momentRule(context: SignalContext<typeof reads>): RuleOutcome<'moment-that-matters'> {
  const { snapshot, now } = context;
  const { activity, counts } = milestones.in(context.config);
  const signals: RaisedSignal<'moment-that-matters'>[] = [];
  const checkAt: Date[] = [];
  const years = Math.max(1, now.getUTCFullYear() - snapshot.createdAt.getUTCFullYear());
  for (const year of [years, years + 1]) {
    const anniversary = addYears(snapshot.createdAt, year);
    const opens = addDays(anniversary, -momentDays);
    const closes = addDays(anniversary, 1);
    checkAt.push(opens, closes);
    if (opens.getTime() > now.getTime() || closes.getTime() <= now.getTime()) continue;
    signals.push({
      kind: 'moment-that-matters',
      severity: 20,
      valueAtStakeMinor: 0,
      reasons: [`${countOf(year, 'year')} as a customer on ${isoDay(anniversary)}`],
      deadlineAt: anniversary,
      instance: `anniversary-${anniversary.getUTCFullYear()}`,
    });
  }
  const reached = counts.filter((count) => snapshot.lifetimeActivityCount >= count);
  if (reached.length > 0) {
    const milestone = Math.max(...reached);
    signals.push({
      kind: 'moment-that-matters',
      severity: 25,
      valueAtStakeMinor: 0,
      reasons: [`Has done ${quote(activity)} ${milestone.toLocaleString('en')} times in all`],
      deadlineAt: null,
      instance: `milestone-${milestone}`,
    });
  }
  const outageDays = new Map<string, { at: Date; summary: string | null }>();
  for (const outage of snapshot.outages) {
    if (!withinLastDays(outage.at, momentDays, now)) continue;
    checkAt.push(addDays(outage.at, momentDays));
    const day = isoDay(outage.at);
    const known = outageDays.get(day);
    if (known === undefined || (known.summary === null && outage.summary !== null)) outageDays.set(day, outage);
  }
  for (const [day, outage] of outageDays) {
    signals.push({
      kind: 'moment-that-matters',
      severity: 50,
      valueAtStakeMinor: context.marginMinor,
      reasons: [`An outage touched them on ${day}${outage.summary === null ? '' : `: ${quote(outage.summary)}`}`],
      deadlineAt: addDays(outage.at, 2),
      instance: `outage-${day}`,
    });
  }
  return { signals, checkAt };
}
