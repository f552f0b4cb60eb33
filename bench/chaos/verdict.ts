// The verdict on one chaos run: the checks on the database and the providers, what the clients and
// customers met on the way (5xx, refusals, lost callbacks), and whether Tend's manual clock survives a
// restart with its settings unchanged; with the figures to read beside them.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Finding, finding, type Query, runChecks } from './checks.js';
import { activityFigures } from './figures.js';
import { callUntilAnswered } from './http.js';
import { type BackendReport, quantiles } from './report.js';
import type { Happened } from './scenario.js';
import { secrets, type Stage } from './stage.js';

type Rows = Record<string, unknown>[];

/** The database for the checks: PostgreSQL over its URL; the embedded one opened directly once Tend has stopped. */
async function openForChecks(stage: Stage): Promise<{ query: Query; close(): Promise<void> }> {
  if (stage.databaseUrl !== null) {
    const client = new pg.Client({ connectionString: stage.databaseUrl });
    await client.connect();
    const query: Query = async (text, values) => (await client.query(text, values)).rows as Rows;
    return { query, close: () => client.end() };
  }
  const database = await PGlite.create({ dataDir: stage.pgdata });
  const query: Query = async (text, values) => (await database.query(text, values)).rows as Rows;
  return { query, close: () => database.close() };
}

function wayFindings(stage: Stage, happened: Happened): Finding[] {
  const { tally, acknowledged } = happened;
  const refused = happened.customers.figures;
  const firstOf = (lines: readonly string[]) => lines.slice(0, 5).map((line) => line.slice(0, 600));
  const errorLines = firstOf(stage.runner.errorLines);
  return [
    finding('5xx answers from Tend', tally.serverErrorSamples, true, tally.serverErrors),
    finding('event batches refused (4xx)', acknowledged.refusedSamples, true, acknowledged.refused),
    finding("customers' and staff's requests refused (4xx)", refused.refusedSamples, true, refused.refused),
    finding('errors Tend logged', errorLines, false, stage.runner.errors),
    finding('warnings Tend logged', firstOf(stage.runner.warningLines), false, stage.runner.warnings),
    finding('Twilio status callbacks Tend never took', [], true, stage.twilio.lostCallbacks()),
  ];
}

/**
 * Starts Tend once more with its original TEND_CLOCK_START, as an operator who changed nothing would,
 * and reads its clock: it must stand where the store left it, not back at the start.
 */
async function clockAfterRestart(stage: Stage, happened: Happened): Promise<Finding> {
  await stage.runner.start(stage.environment(happened.clockStart));
  const headers = { authorization: `Bearer ${secrets.adminToken}` };
  const answer = await callUntilAnswered(`${stage.url}/api/v1/clock`, { headers }, happened.tally, 'GET /api/v1/clock');
  await stage.runner.stop();
  const now = new Date((JSON.parse(answer.text) as { now: string }).now);
  const before = happened.finalNow;
  const back = before.getTime() - now.getTime();
  const days = (back / 86_400_000).toFixed(2);
  const what =
    `stood at ${before.toISOString()} before the restart, ${now.toISOString()} after ` +
    `(TEND_CLOCK_START unchanged): ${days} days back`;
  return finding('manual clock back in time after a restart', back > 0 ? [what] : [], true, back > 0 ? 1 : 0);
}

function runFigures(stage: Stage, happened: Happened): Record<string, string> {
  const { customers, tally, clock, population } = happened;
  const { figures } = customers;
  const seconds = (milliseconds: number) => (milliseconds / 1000).toFixed(1);
  const advances = quantiles(clock.advances);
  const listening = (milliseconds: number | null) => (milliseconds === null ? '?' : seconds(milliseconds));
  const starts = stage.runner.starts.map((start) => {
    return `${listening(start.listeningMilliseconds)} (${start.tendSeconds ?? '?'})`;
  });
  return {
    code: stage.codeVersion,
    'messages at the providers': `${stage.smtp.received.length} e-mails, ${stage.twilio.received.length} texts`,
    customers:
      `${population.people.length} people in ${population.accounts.length} accounts; ` +
      `${figures.smsOptIns} agreed to texts`,
    reactions:
      `${figures.emailReplies} e-mail replies, ${figures.textReplies} text replies, ${figures.clicks} clicks, ` +
      `${customers.optOuts.length} opt-outs, ${figures.tasksCompleted} tasks completed`,
    requests:
      `${tally.requests} (${tally.connectionFailures} failed to connect or broke, ` +
      `${tally.throttled} answered 429)`,
    'the clock':
      `${clock.advances.length} advances (median ${seconds(advances.median)} s, ` +
      `max ${seconds(advances.max)} s); at ${happened.clockAtTrafficEnd.toISOString().slice(0, 16)} ` +
      `when the traffic ended, then ${happened.timeSeconds.toFixed(0)} s ` +
      `to reach ${happened.clockEnd.toISOString().slice(0, 16)}`,
    'starts, spawn to listening (Tend\'s own "started in")': `${starts.join(', ')} s`,
  };
}

export async function judge(stage: Stage, happened: Happened, simulatedDays: number): Promise<BackendReport> {
  const database = await openForChecks(stage);
  let findings: Finding[];
  let figures: Record<string, string>;
  try {
    findings = await runChecks({
      query: database.query,
      acknowledged: happened.acknowledged.messageIds,
      emails: stage.smtp.received,
      texts: stage.twilio.received,
      optOuts: happened.customers.optOuts,
      population: happened.population,
      senderDomain: secrets.senderDomain,
      now: happened.finalNow,
    });
    figures = await activityFigures(database.query);
  } finally {
    await database.close();
  }
  findings.push(...wayFindings(stage, happened), await clockAfterRestart(stage, happened));
  const afterKills = stage.runner.starts.filter((start) => start.downMilliseconds !== null);
  return {
    backend: stage.backend,
    events: happened.acknowledged.messageIds.length,
    trafficSeconds: happened.trafficSeconds,
    kills: stage.runner.kills,
    restartMilliseconds: afterKills.map((start) => start.startMilliseconds),
    downMilliseconds: afterKills.map((start) => start.downMilliseconds!),
    simulatedDays,
    findings,
    figures: { ...figures, ...runFigures(stage, happened) },
  };
}
