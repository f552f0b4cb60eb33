// A rep's "today" list: the few accounts most worth a personal contact today, each with why, how,
// what for, and what to talk about.
import type { AccountSnapshot, TouchChannel } from './account-snapshot.js';
import { cadenceStatus } from './cadence-policy.js';
import type { AccountEvaluation, ActiveSignal, SignalKind } from './signal.js';
import { signalRegistry } from './signals/registry.js';
import { quote } from './signals/signal-context.js';
import type { TendConfig } from './tend-config.js';
import { isoDay, wholeDaysBetween } from './time-spans.js';
import { revenueAtRiskOf } from './oversight.js';
import { contributionOf } from './value-tiers.js';

export interface TodayCandidate {
  readonly snapshot: AccountSnapshot;
  readonly evaluation: AccountEvaluation;
}

export interface TodayEntry {
  readonly accountId: string;
  readonly name: string | null;
  /** value × risk × overdue (see rankToday), rounded to 3 decimals. */
  readonly score: number;
  readonly tier: string;
  /** The contribution tiers rank by (profit or revenue per year, minor units). */
  readonly valueMinor: number;
  readonly why: readonly string[];
  readonly suggestedMethod: TouchChannel;
  readonly objective: string;
  readonly talkingPoints: readonly string[];
  readonly signals: readonly SignalKind[];
  /** The account's currency (of valueMinor and valueAtStakeMinor); null when unknown. */
  readonly currency: string | null;
  /** The money at stake if nobody acts, minor units (see revenueAtRiskOf). */
  readonly valueAtStakeMinor: number;
  /** The earliest deadline among the open signals; null when none has one. */
  readonly deadlineAt: Date | null;
  /** The person a signal is about (the most severe that names one); null: the account as a whole. */
  readonly contactId: string | null;
}

/**
 * Ranks a rep's accounts for today by score = value × risk × overdue, where
 * value = 1 + log10(1 + contribution in major units) (log-scaled; 1 for nothing, so trouble still counts),
 * risk = 1 − Π(1 − severityᵢ / 100) over the open signals (0 without any: such accounts are left out),
 * overdue = 1 + min(1, days past the tier cadence / cadence days). Among equal scores an account with a
 * broken promise comes first, then the account id decides.
 * Overdue saturates at one whole cadence late: an account forgotten for years is gone dark, not ten
 * times as urgent, and must not outrank a far more valuable account at risk on lateness alone.
 */
export function rankToday(
  candidates: readonly TodayCandidate[],
  config: TendConfig,
  now: Date,
  size: number = config.today.size,
): TodayEntry[] {
  const entries: TodayEntry[] = [];
  for (const { snapshot, evaluation } of candidates) {
    const signals = [...evaluation.signals].sort((a, b) => b.severity - a.severity);
    if (signals.length === 0) continue;
    const status = cadenceStatus(snapshot, config, now);
    const valueMinor = contributionOf(snapshot, config.value.basis);
    const value = 1 + Math.log10(1 + Math.max(0, valueMinor) / 100);
    const risk = 1 - signals.reduce((calm, signal) => calm * (1 - Math.min(100, signal.severity) / 100), 1);
    const overdue = 1 + (status.cadence === null ? 0 : Math.min(1, status.overdueDays / status.cadence.everyDays));
    const spokenMissing = signals.some((signal) => signalRegistry[signal.kind].today.suggestsCall);
    entries.push({
      accountId: snapshot.accountId,
      name: snapshot.name,
      score: Math.round(value * risk * overdue * 1000) / 1000,
      tier: status.tier,
      valueMinor,
      why: signals.slice(0, 4).flatMap((signal) => signal.reasons.slice(0, 1)),
      suggestedMethod: spokenMissing ? 'phone' : (status.cadence?.methods[0] ?? 'phone'),
      objective: objectiveOf(signals) ?? status.cadence?.objective ?? 'check-in',
      talkingPoints: talkingPoints(snapshot, signals, now),
      signals: signals.map((signal) => signal.kind),
      currency: snapshot.currency,
      valueAtStakeMinor: revenueAtRiskOf(signals),
      deadlineAt: earliest(signals.map((signal) => signal.deadlineAt)),
      contactId: signals.find((signal) => signal.contactId !== undefined)?.contactId ?? null,
    });
  }
  entries.sort(
    (a, b) =>
      b.score - a.score ||
      brokenFirst(a) - brokenFirst(b) ||
      (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0),
  );
  return entries.slice(0, Math.max(0, size));
}

/** Among equals, a customer let down on a promise comes first: 0 before 1. */
function brokenFirst(entry: TodayEntry): number {
  return entry.signals.includes('promise-broken') ? 0 : 1;
}

function earliest(times: readonly (Date | null)[]): Date | null {
  let first: Date | null = null;
  for (const time of times) if (time !== null && (first === null || time < first)) first = time;
  return first;
}

/**
 * The objective of the most severe signal that has its own ('rescue the renewal' when a renewal
 * nears for an account at risk); null: the tier cadence's objective.
 */
function objectiveOf(signals: readonly ActiveSignal[]): string | null {
  const renewing = signals.some((signal) => signal.kind === 'renewal-approaching');
  const atRisk = signals.some((signal) => signal.kind === 'at-risk');
  for (const signal of signals) {
    const objective = renewing && atRisk ? 'rescue the renewal' : signalObjective(signal);
    if (objective !== null) return objective;
  }
  return null;
}

/** The signal's own objective (its kind's today approach); null: it has none. */
function signalObjective(signal: ActiveSignal): string | null {
  const { objective } = signalRegistry[signal.kind].today;
  return typeof objective === 'function' ? objective(signal) : objective;
}

/** What to talk about, from the account's recent records: problems, usage, renewal, feedback, money, last touch. */
/** A touch as a talking point names it: "a call by …", "an e-mail from the customer". */
const touchNouns: Readonly<Record<string, string>> = {
  phone: 'a call',
  video: 'a video call',
  meeting: 'a meeting',
  email: 'an e-mail',
  sms: 'a text message',
  chat: 'a chat',
  letter: 'a letter',
};

function talkingPoints(snapshot: AccountSnapshot, signals: readonly ActiveSignal[], now: Date): string[] {
  const points: string[] = [];
  const problems = new Map<string, { count: number; last: Date; unanswered: boolean }>();
  for (const contact of snapshot.inbound) {
    const topic = contact.problem ?? contact.summary;
    if (topic === null) continue;
    const known = problems.get(topic);
    const unanswered = contact.answeredAt === null;
    problems.set(topic, {
      count: (known?.count ?? 0) + 1,
      last: known === undefined || contact.at > known.last ? contact.at : known.last,
      unanswered: (known?.unanswered ?? false) || unanswered,
    });
  }
  for (const [topic, problem] of [...problems].sort((a, b) => b[1].last.getTime() - a[1].last.getTime()).slice(0, 2)) {
    const contacts = problem.count === 1 ? '1 contact' : `${problem.count} contacts`;
    points.push(
      `Problem ${quote(topic)}: ${contacts}, the last on ${isoDay(problem.last)}` +
        (problem.unanswered ? ', still unanswered' : ''),
    );
  }
  for (const signal of signals) {
    if (signalRegistry[signal.kind].today.talkingPoint) points.push(...signal.reasons.slice(0, 1));
  }
  if (snapshot.renewalAt !== null && snapshot.renewalAt > now) {
    points.push(`Renews on ${isoDay(snapshot.renewalAt)}, in ${wholeDaysBetween(now, snapshot.renewalAt)} days`);
  }
  const survey = [...snapshot.surveys].sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  if (survey !== undefined) {
    points.push(
      `Last survey: ${survey.score} out of 10 on ${isoDay(survey.at)}` +
        (survey.comment === null ? '' : `: ${quote(survey.comment)}`),
    );
  }
  const reply = [...snapshot.negativeReplies].sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  if (reply !== undefined)
    points.push(`Negative reply on ${isoDay(reply.at)}${reply.summary === null ? '' : `: ${quote(reply.summary)}`}`);
  const lastTouch = [...snapshot.touches]
    .filter((touch) => touch.at <= now)
    .sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  if (lastTouch !== undefined) {
    const who =
      lastTouch.actor === 'system'
        ? 'sent automatically'
        : lastTouch.actor === 'customer'
          ? 'from the customer'
          : `by ${lastTouch.userEmail ?? 'a rep'}`;
    const summary = lastTouch.summary === null ? '' : `: ${quote(lastTouch.summary)}`;
    const what = touchNouns[lastTouch.channel] ?? `a touch (${lastTouch.channel})`;
    points.push(`Last touch: ${what} ${who} on ${isoDay(lastTouch.at)}${summary}`);
  }
  return points.slice(0, 6);
}
