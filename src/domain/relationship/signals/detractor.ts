// detractor: a low survey score or a negative reply, recently.
import { addDays, isoDay, withinLastDays } from '../time-spans.js';
import type { SignalDefinition } from './signal-definition.js';
import { quote, severityOf, type RuleOutcome, type SignalContext } from './signal-context.js';
import { numberWithin, setting } from './signal-settings.js';

const reads = ['surveys', 'negativeReplies'] as const;

const detractorMaxScore = setting('detractorMaxScore', numberWithin(6, 0, 10, 'a survey score from 0 to 10'));

export const detractorSignal = {
  kind: 'detractor',
  label: 'Unhappy',
  reads,
  settings: [detractorMaxScore],
  rule: detractorRule,
  risk: 'relationship',
  today: { objective: 'close the loop on their feedback', suggestsCall: false, talkingPoint: false },
  // The health score reads the surveys and replies themselves (its voice).
  health: null,
} satisfies SignalDefinition<'detractor', typeof reads>;

/** Feedback older than this no longer makes someone a detractor. */
const detractorMemoryDays = 30;
/** Close the loop on bad feedback within two days (deadlineAt). */
const detractorFollowUpDays = 2;

/**
 * detractor: the latest survey answer of the last 30 days scores at most detractorMaxScore, or a reply
 * in the last 30 days was classified negative. Severity: 90 for a 0 down to 40 at the maximum score;
 * 60 for a negative reply; the larger holds.
 */
function detractorRule(context: SignalContext<typeof reads>): RuleOutcome<'detractor'> {
  const { snapshot, now } = context;
  const maxScore = detractorMaxScore.in(context.config);
  const surveys = snapshot.surveys
    .filter((survey) => withinLastDays(survey.at, detractorMemoryDays, now))
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  const replies = snapshot.negativeReplies
    .filter((reply) => withinLastDays(reply.at, detractorMemoryDays, now))
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  const checkAt = [...surveys, ...replies].map((item) => addDays(item.at, detractorMemoryDays));
  const latest = surveys[0];
  const reasons: string[] = [];
  let severity = 0;
  let raisedBy: Date | null = null;
  if (latest !== undefined && latest.score <= maxScore) {
    const comment = latest.comment === null || latest.comment.trim() === '' ? '' : `: ${quote(latest.comment)}`;
    reasons.push(`Scored us ${formatScore(latest.score)} out of 10 on ${isoDay(latest.at)}${comment}`);
    severity = 40 + 50 * (maxScore > 0 ? (maxScore - latest.score) / maxScore : 1);
    raisedBy = latest.at;
  }
  for (const reply of replies) {
    reasons.push(
      `Replied negatively on ${isoDay(reply.at)}${reply.summary === null ? '' : `: ${quote(reply.summary)}`}`,
    );
    severity = Math.max(severity, 60);
    if (raisedBy === null || reply.at.getTime() > raisedBy.getTime()) raisedBy = reply.at;
  }
  if (raisedBy === null) return { signals: [], checkAt };
  return {
    signals: [
      {
        kind: 'detractor',
        severity: severityOf(severity),
        valueAtStakeMinor: context.marginMinor,
        reasons,
        deadlineAt: addDays(raisedBy, detractorFollowUpDays),
        instance: '',
      },
    ],
    checkAt,
  };
}

function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}
