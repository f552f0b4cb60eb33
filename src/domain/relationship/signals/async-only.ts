// async-only: for a long stretch every touch was written (e-mail, SMS, chat); nobody spoke with them.
import { isSpoken } from '../contact-audit.js';
import { addDays, isoDay, wholeDaysBetween, withinLastDays } from '../time-spans.js';
import type { SignalDefinition } from './signal-definition.js';
import { countOf, severityOf, type RuleOutcome, type SignalContext } from './signal-context.js';
import { maxDays, setting, wholeNumber } from './signal-settings.js';
import { channelWords, lastSpokenOf, newestOf } from './touches.js';

const reads = ['touches', 'lastSpokenAt', 'createdAt'] as const;

export const asyncOnlyAfterDays = setting('asyncOnlyAfterDays', wholeNumber(90, 1, maxDays, 'days'));

export const asyncOnlySignal = {
  kind: 'async-only',
  label: 'Only e-mails, nobody spoke',
  reads,
  settings: [asyncOnlyAfterDays],
  rule: asyncOnlyRule,
  risk: 'relationship',
  today: { objective: null, suggestsCall: true, talkingPoint: false },
  health: { component: 'relationship', pointsOff: () => 25, reasons: 'first' },
} satisfies SignalDefinition<'async-only', typeof reads>;

/**
 * async-only: the account is older than the stretch, was touched within it, and every one of those
 * touches was written (no call, video call or meeting within the stretch, nor any spoken contact since).
 * Severity: 40, plus up to 30 as the silence reaches twice the stretch, plus up to 20 for value.
 */
function asyncOnlyRule(context: SignalContext<typeof reads>): RuleOutcome<'async-only'> {
  const { snapshot, now } = context;
  const stretch = asyncOnlyAfterDays.in(context.config);
  const recent = snapshot.touches.filter((touch) => withinLastDays(touch.at, stretch, now));
  const lastSpoken = lastSpokenOf(snapshot.lastSpokenAt, snapshot.touches, now);
  const newest = newestOf(recent);
  const checkAt = [
    addDays(snapshot.createdAt, stretch),
    lastSpoken === null ? null : addDays(lastSpoken, stretch),
    newest === null ? null : addDays(newest.at, stretch),
  ];
  const oldEnough = wholeDaysBetween(snapshot.createdAt, now) >= stretch;
  const spokeWithin = lastSpoken !== null && withinLastDays(lastSpoken, stretch, now);
  if (!oldEnough || newest === null || spokeWithin || recent.some(isSpoken)) return { signals: [], checkAt };
  const channels = [...new Set(recent.map((touch) => channelWords[touch.channel]))];
  const silentSince = lastSpoken ?? snapshot.createdAt;
  const silentDays = wholeDaysBetween(silentSince, now);
  return {
    signals: [
      {
        kind: 'async-only',
        severity: severityOf(40 + 30 * Math.min(1, (silentDays - stretch) / stretch) + 20 * context.valueWeight),
        valueAtStakeMinor: context.marginMinor,
        reasons: [
          `Every touch in the last ${countOf(stretch, 'day')} was ${joinOr(channels)}; nobody has spoken with them`,
          lastSpoken === null
            ? 'Nobody has ever had a call or meeting with them'
            : `The last call or meeting was on ${isoDay(lastSpoken)}, ${countOf(silentDays, 'day')} ago`,
        ],
        deadlineAt: addDays(silentSince, stretch),
        instance: '',
      },
    ],
    checkAt,
  };
}

/** ["e-mail", "SMS", "chat"] → "e-mail, SMS or chat". */
function joinOr(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
