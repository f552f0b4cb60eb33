// What the chaos run checks at the end, from the database itself and from what the providers got:
// every acknowledged event stored once, every message delivered at most once and to nobody who had
// opted out, no playbook run or message left stuck, no task a run recorded missing, and every message
// Tend recorded as sent actually at the provider.
import { deterministicMessageId } from '../../src/channels/smtp-mailer.js';
import type { OptOut } from './customers.js';
import type { Population } from './population.js';
import type { ReceivedEmail, ReceivedText } from './providers.js';

export type Query = (text: string, values?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface Finding {
  readonly line: string;
  readonly count: number;
  /** Whether a non-zero count fails the run (false: a figure to read, not a broken promise). */
  readonly gate: boolean;
  readonly samples: readonly string[];
}

export interface CheckInput {
  readonly query: Query;
  readonly acknowledged: readonly string[];
  readonly emails: readonly ReceivedEmail[];
  readonly texts: readonly ReceivedText[];
  readonly optOuts: readonly OptOut[];
  readonly population: Population;
  /** The domain of TEND_EMAIL_FROM (Message-IDs are made on it). */
  readonly senderDomain: string;
  /** Tend's clock at the end. */
  readonly now: Date;
}

const count = async (query: Query, text: string, values?: unknown[]): Promise<number> => Number((await query(text, values))[0]?.count ?? 0);
const finding = (line: string, samples: string[], gate = true, total = samples.length): Finding => ({ line, count: total, gate, samples: samples.slice(0, 5) });

/** Groups items by a key and returns the groups with more than one member. */
function repeated<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group) group.push(item);
    else groups.set(name, [item]);
  }
  return [...groups.values()].filter((group) => group.length > 1);
}

/** A message's content without its one-time tokens (unsubscribe and tracked links differ per send). */
const content = (text: string): string => text.replace(/\/(unsubscribe|l)\/[A-Za-z0-9_-]+/g, '/$1/TOKEN').replace(/\s+/g, ' ').trim();

export async function runChecks(input: CheckInput): Promise<Finding[]> {
  const { query } = input;
  const findings: Finding[] = [];

  // Events: every messageId acknowledged with a 200 is stored, and nothing is stored twice.
  const source = String((await query(`select source_id from write_keys w join sources s on s.id = w.source_id where s.name = 'default' limit 1`))[0]?.source_id ?? '');
  const stored = new Set((await query('select message_id from events where source_id = $1', [source])).map((row) => String(row.message_id)));
  const missing = input.acknowledged.filter((id) => !stored.has(id));
  findings.push(finding('acknowledged events missing', missing.map((id) => `messageId ${id} was answered 200 and is not in the events table`)));
  const twice = await query('select source_id, message_id, count(*)::int as copies from events group by source_id, message_id having count(*) > 1 limit 5');
  const twiceCount = await count(query, 'select count(*)::int as count from (select 1 from events group by source_id, message_id having count(*) > 1) as repeated');
  findings.push(finding('events stored twice (source + messageId)', twice.map((row) => `${String(row.source_id)} / ${String(row.message_id)}: ${String(row.copies)} rows`), true, twiceCount));

  // Deliveries at the providers: at most once by key, and by content to one recipient.
  const emailTwice = repeated(input.emails, (email) => `${email.messageId} ${email.recipient}`);
  findings.push(finding('e-mails delivered twice (same Message-ID)', emailTwice.map((group) => `${group[0]!.messageId} to ${group[0]!.recipient}: ${group.length} times`)));
  const emailSame = repeated(input.emails, (email) => `${email.recipient}\u0000${email.subject}\u0000${content(email.text)}`);
  findings.push(finding('e-mails delivered twice (same content, same recipient)', emailSame.map((group) => `"${group[0]!.subject}" to ${group[0]!.recipient}: ${group.length} times (Message-IDs ${group.map((email) => email.messageId).join(', ')})`)));
  const textTwice = repeated(input.texts.filter((text) => text.outboxId !== null), (text) => text.outboxId!);
  findings.push(finding('texts delivered twice (same outbox message)', textTwice.map((group) => `outbox ${group[0]!.outboxId} to ${group[0]!.to}: ${group.length} times`)));
  const textSame = repeated(input.texts, (text) => `${text.to}\u0000${text.body}`);
  findings.push(finding('texts delivered twice (same content, same recipient)', textSame.map((group) => `"${group[0]!.body.slice(0, 60)}…" to ${group[0]!.to}: ${group.length} times`)));

  // Opt-outs: a message the provider received after Tend acknowledged the person's opt-out.
  const optOutsOf = new Map<string, OptOut[]>();
  for (const optOut of input.optOuts) optOutsOf.set(optOut.personId, [...(optOutsOf.get(optOut.personId) ?? []), optOut]);
  const violations: string[] = [];
  const deliveries = [
    ...input.emails.map((email) => ({ channel: 'email' as const, at: email.at, person: input.population.byEmail.get(email.recipient), what: `e-mail "${email.subject}" (${email.messageId})` })),
    ...input.texts.map((text) => ({ channel: 'sms' as const, at: text.at, person: input.population.byPhone.get(text.to), what: `text to ${text.to} (outbox ${text.outboxId ?? '?'})` })),
  ];
  for (const delivery of deliveries) {
    if (!delivery.person) continue;
    const earlier = (optOutsOf.get(delivery.person.id) ?? []).filter((optOut) => (optOut.scope === 'all' || optOut.scope === delivery.channel) && optOut.acknowledgedAt < delivery.at);
    if (earlier.length === 0) continue;
    const first = earlier.reduce((a, b) => (a.acknowledgedAt <= b.acknowledgedAt ? a : b));
    violations.push(`${delivery.what} reached ${delivery.person.id} ${delivery.at - first.acknowledgedAt} ms after Tend acknowledged their opt-out (${first.how})`);
  }
  findings.push(finding('messages delivered to someone opted out', violations));
  const strangers = deliveries.filter((delivery) => !delivery.person);
  findings.push(finding('messages to addresses nobody in the run has (staff, or unknown)', strangers.map((delivery) => delivery.what), false));

  // The outbox against the providers: a message Tend recorded as sent is at the provider.
  const outbox = await query(`select id, idempotency_key, channel, status, recipient, reason from outbox where channel in ('email', 'sms')`);
  const emailIds = new Set(input.emails.map((email) => email.messageId));
  const textIds = new Set(input.texts.map((text) => text.outboxId));
  const atProvider = (row: Record<string, unknown>) => (row.channel === 'email' ? emailIds.has(deterministicMessageId(String(row.idempotency_key), input.senderDomain)) : textIds.has(String(row.id)));
  const sentNotThere = outbox.filter((row) => row.status === 'sent' && !atProvider(row));
  findings.push(finding('messages recorded as sent that the provider never got', sentNotThere.map((row) => `${String(row.channel)} ${String(row.id)} to ${String(row.recipient)}`)));
  const thereNotSent = outbox.filter((row) => !['sent', 'unconfirmed'].includes(String(row.status)) && atProvider(row));
  findings.push(finding('messages at the provider that Tend records as not sent', thereNotSent.map((row) => `${String(row.channel)} ${String(row.id)}: ${String(row.status)} (${String(row.reason)})`)));
  const unconfirmed = outbox.filter((row) => row.status === 'unconfirmed');
  const unconfirmedLost = unconfirmed.filter((row) => !atProvider(row));
  findings.push(finding('messages left unconfirmed by a kill (not resent by design)', unconfirmed.map((row) => `${String(row.channel)} ${String(row.id)}: ${atProvider(row) ? 'the provider has it' : 'the provider never got it'}`), false));
  findings.push(finding('  of which the provider never got (lost to the customer)', unconfirmedLost.map((row) => `${String(row.channel)} ${String(row.id)} to ${String(row.recipient)}`), false));

  // Work left behind: runs and messages due more than a minute ago, tasks and messages a run recorded but that do not exist.
  const minuteAgo = new Date(input.now.getTime() - 60_000);
  const stuck = await query(`select id, playbook_id, next_due_at, state->>'stepId' as step from journey_runs where status = 'active' and (next_due_at is null or next_due_at < $1) limit 5`, [minuteAgo]);
  const stuckCount = await count(query, `select count(*)::int as count from journey_runs where status = 'active' and (next_due_at is null or next_due_at < $1)`, [minuteAgo]);
  findings.push(finding('playbook runs stuck (due over a minute ago)', stuck.map((row) => `${String(row.playbook_id)} run ${String(row.id)} at ${String(row.step)} due ${row.next_due_at instanceof Date ? row.next_due_at.toISOString() : String(row.next_due_at)}`), true, stuckCount));
  const stuckMessages = await count(query, `select count(*)::int as count from outbox where (status = 'pending' and next_attempt_at < $1) or status = 'sending'`, [minuteAgo]);
  findings.push(finding('messages stuck (pending and due over a minute ago, or still sending)', [], true, stuckMessages));
  const taskSteps = `from run_steps s where s.action->>'kind' in ('create-task', 'alert', 'escalate') and s.outcome->>'kind' = 'performed'
    and not exists (select 1 from tasks t where t.idempotency_key = s.action->>'idempotencyKey')`;
  const lostTasks = await query(`select s.run_id, s.step_id, s.action->>'idempotencyKey' as key ${taskSteps} limit 5`);
  findings.push(finding('tasks lost (a run recorded the step, no task exists)', lostTasks.map((row) => `run ${String(row.run_id)} step ${String(row.step_id)} (${String(row.key)})`), true, await count(query, `select count(*)::int as count ${taskSteps}`)));
  const sendSteps = `from run_steps s where s.action->>'kind' = 'send' and s.outcome->>'kind' = 'performed'
    and not exists (select 1 from outbox o where o.idempotency_key = s.action->>'idempotencyKey')`;
  findings.push(finding('messages lost (a run recorded the send, no outbox row exists)', [], true, await count(query, `select count(*)::int as count ${sendSteps}`)));
  return findings;
}

/** Figures to read beside the findings: what the playbooks did during the run. */
export async function activityFigures(query: Query): Promise<Record<string, string>> {
  const rows = (text: string) => query(text).then((result) => result.map((row) => Object.values(row).map(String).join(' ')).join(', ') || 'none');
  return {
    'events stored (all sources)': String(await count(query, 'select count(*)::int as count from events')),
    'playbook runs by playbook': await rows('select playbook_id, count(*)::int from journey_runs group by 1 order by 2 desc'),
    'outbox by channel and status': await rows('select channel, status, count(*)::int from outbox group by 1, 2 order by 1, 3 desc'),
    'skipped sends by reason': await rows(`select split_part(reason, ':', 1) as reason, count(*)::int from outbox where status = 'skipped' group by 1 order by 2 desc`),
    'tasks by status': await rows('select status, count(*)::int from tasks group by 1 order by 2 desc'),
    'open signals by kind': await rows('select kind, count(*)::int from signals where cleared_at is null group by 1 order by 2 desc'),
  };
}
