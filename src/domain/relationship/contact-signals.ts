// The signals about how the business keeps in touch: a tier's cadence overdue (neglected), a long
// stretch of nothing but written messages (async-only), and a customer nobody ever spoke with.
import type { Touch, TouchChannel } from './account-snapshot.js';
import { cadenceStatus } from './cadence-policy.js';
import { isSpoken, isSubstantive } from './contact-audit.js';
import { countOf, severityOf, type RuleOutcome, type SignalContext } from './signal-context.js';
import { addDays, isoDay, wholeDaysBetween, withinLastDays } from './time-spans.js';

const channelWords: Readonly<Record<TouchChannel, string>> = {
  phone: 'a phone call',
  video: 'a video call',
  meeting: 'a meeting',
  email: 'e-mail',
  sms: 'SMS',
  chat: 'chat',
  letter: 'letter',
};

/**
 * neglected: whole days since the last substantive two-way human contact (or since the account
 * appeared) exceed the tier's cadence. Severity: 30, plus up to 50 as the overdue days reach one more
 * full cadence, plus up to 20 for value (log-scaled margin).
 */
export function neglectedRule(context: SignalContext): RuleOutcome {
  const { snapshot, config, now } = context;
  const status = cadenceStatus(snapshot, config, now);
  if (status.cadence === null || status.dueAt === null) return { signals: [], checkAt: [] };
  const everyDays = status.cadence.everyDays;
  if (status.overdueDays <= 0) return { signals: [], checkAt: [addDays(status.since, everyDays + 1)] };
  const expectation = `tier ${status.tier} expects one every ${countOf(everyDays, 'day')}`;
  const reasons = [
    status.lastContactAt === null
      ? `No two-way conversation since the account appeared ${countOf(status.daysSince, 'day')} ago; ${expectation}`
      : `No two-way conversation for ${countOf(status.daysSince, 'day')}; ${expectation}`,
  ];
  const since = snapshot.touches.filter(
    (touch) =>
      touch.at.getTime() > status.since.getTime() && touch.at.getTime() <= now.getTime() && !isSubstantive(touch),
  );
  const newest = newestOf(since);
  if (newest !== null) {
    reasons.push(
      `${countOf(since.length, 'touch', 'touches')} since then, none a conversation ` +
        `(latest: ${channelWords[newest.channel]} by ${newest.actor === 'system' ? 'automation' : `the ${newest.actor}`} on ${isoDay(newest.at)})`,
    );
  }
  return {
    signals: [
      {
        kind: 'neglected',
        severity: severityOf(30 + 50 * Math.min(1, status.overdueDays / everyDays) + 20 * context.valueWeight),
        valueAtStakeMinor: context.marginMinor,
        reasons,
        deadlineAt: status.dueAt,
        instance: '',
      },
    ],
    checkAt: [],
  };
}

/**
 * async-only: the account is older than the stretch, was touched within it, and every one of those
 * touches was written (no call, video call or meeting within the stretch, nor any spoken contact since).
 * Severity: 40, plus up to 30 as the silence reaches twice the stretch, plus up to 20 for value.
 */
export function asyncOnlyRule(context: SignalContext): RuleOutcome {
  const { snapshot, now } = context;
  const stretch = context.config.signals.asyncOnlyAfterDays;
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

/** never-spoken: a customer for the configured number of days whom nobody has ever called or met. */
export function neverSpokenRule(context: SignalContext): RuleOutcome {
  const { snapshot, now } = context;
  const afterDays = context.config.signals.neverSpokenAfterDays;
  const deadline = addDays(snapshot.createdAt, afterDays);
  if (lastSpokenOf(snapshot.lastSpokenAt, snapshot.touches, now) !== null) return { signals: [], checkAt: [] };
  const age = wholeDaysBetween(snapshot.createdAt, now);
  if (age < afterDays) return { signals: [], checkAt: [deadline] };
  return {
    signals: [
      {
        kind: 'never-spoken',
        severity: severityOf(40 + 30 * Math.min(1, (age - afterDays) / afterDays) + 20 * context.valueWeight),
        valueAtStakeMinor: context.marginMinor,
        reasons: [`A customer for ${countOf(age, 'day')} and nobody has ever called or met them`],
        deadlineAt: deadline,
        instance: '',
      },
    ],
    checkAt: [],
  };
}

/** The newest spoken contact: the snapshot's, or a spoken touch the snapshot has not yet folded in. */
function lastSpokenOf(lastSpokenAt: Date | null, touches: readonly Touch[], now: Date): Date | null {
  let latest = lastSpokenAt !== null && lastSpokenAt.getTime() <= now.getTime() ? lastSpokenAt : null;
  for (const touch of touches) {
    if (!isSpoken(touch) || touch.at.getTime() > now.getTime()) continue;
    if (latest === null || touch.at.getTime() > latest.getTime()) latest = touch.at;
  }
  return latest;
}

function newestOf(touches: readonly Touch[]): Touch | null {
  let newest: Touch | null = null;
  for (const touch of touches) if (newest === null || touch.at.getTime() > newest.at.getTime()) newest = touch;
  return newest;
}

/** ["e-mail", "SMS", "chat"] → "e-mail, SMS or chat". */
function joinOr(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
