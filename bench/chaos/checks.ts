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

type Row = Record<string, unknown>;

export const count = async (query: Query, text: string, values?: unknown[]): Promise<number> =>
  Number((await query(text, values))[0]?.count ?? 0);

export const finding = (line: string, samples: string[], gate = true, total = samples.length): Finding => ({
  line,
  count: total,
  gate,
  samples: samples.slice(0, 5),
});

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
const content = (text: string): string =>
  text
    .replace(/\/(unsubscribe|l)\/[A-Za-z0-9_-]+/g, '/$1/TOKEN')
    .replace(/\s+/g, ' ')
    .trim();

/** Every messageId answered 200 is in the events table; no (source, messageId) is there twice. */
async function eventFindings(query: Query, acknowledged: readonly string[]): Promise<Finding[]> {
  const sourceOf = `select w.source_id from write_keys w join sources s on s.id = w.source_id
    where s.name = 'default' limit 1`;
  const source = String((await query(sourceOf))[0]?.source_id ?? '');
  const rows = await query('select message_id from events where source_id = $1', [source]);
  const stored = new Set(rows.map((row) => String(row.message_id)));
  const missing = acknowledged.filter((id) => !stored.has(id));
  const repeats = 'from events group by source_id, message_id having count(*) > 1';
  const twice = await query(`select source_id, message_id, count(*)::int as copies ${repeats} limit 5`);
  return [
    finding(
      'acknowledged events missing',
      missing.map((id) => `messageId ${id} was answered 200, is not stored`),
    ),
    finding(
      'events stored twice (source + messageId)',
      twice.map((row) => `${String(row.source_id)} / ${String(row.message_id)}: ${String(row.copies)} rows`),
      true,
      await count(query, `select count(*)::int as count from (select 1 ${repeats}) as repeated`),
    ),
  ];
}

/** At most once at the providers: by key (Message-ID, the outbox row), and by content to one recipient. */
function duplicateFindings(emails: readonly ReceivedEmail[], texts: readonly ReceivedText[]): Finding[] {
  const emailTwice = repeated(emails, (email) => `${email.messageId} ${email.recipient}`);
  const emailSame = repeated(emails, (email) => `${email.recipient}\u0000${email.subject}\u0000${content(email.text)}`);
  const textTwice = repeated(
    texts.filter((text) => text.outboxId !== null),
    (text) => text.outboxId!,
  );
  const textSame = repeated(texts, (text) => `${text.to}\u0000${text.body}`);
  const ids = (group: readonly ReceivedEmail[]) => ` ${group.map((email) => email.messageId).join(', ')}`;
  const email = (group: ReceivedEmail[]) => `"${group[0]!.subject}" to ${group[0]!.recipient}: ${group.length} times`;
  const text = (group: ReceivedText[]) => `"${group[0]!.body.slice(0, 60)}…" to ${group[0]!.to}: ${group.length}× `;
  return [
    finding(
      'e-mails delivered twice (same Message-ID)',
      emailTwice.map((group) => email(group) + ids(group)),
    ),
    finding(
      'e-mails delivered twice (same content, same recipient)',
      emailSame.map((same) => email(same) + ids(same)),
    ),
    finding(
      'texts delivered twice (same outbox message)',
      textTwice.map((group) => text(group) + group[0]!.outboxId),
    ),
    finding('texts delivered twice (same content, same recipient)', textSame.map(text)),
  ];
}

/** A message the provider received after Tend had acknowledged the person's opt-out from its channel. */
function optOutFindings(input: CheckInput): Finding[] {
  const optOutsOf = new Map<string, OptOut[]>();
  for (const optOut of input.optOuts) {
    optOutsOf.set(optOut.personId, [...(optOutsOf.get(optOut.personId) ?? []), optOut]);
  }
  const { byEmail, byPhone } = input.population;
  const deliveries = [
    ...input.emails.map((email) => ({
      channel: 'email',
      at: email.at,
      person: byEmail.get(email.recipient),
      what: `e-mail "${email.subject}" (${email.messageId})`,
    })),
    ...input.texts.map((text) => ({
      channel: 'sms',
      at: text.at,
      person: byPhone.get(text.to),
      what: `text to ${text.to} (outbox ${text.outboxId ?? '?'})`,
    })),
  ];
  const violations: string[] = [];
  for (const delivery of deliveries) {
    if (!delivery.person) continue;
    const covers = (optOut: OptOut) => optOut.scope === 'all' || optOut.scope === delivery.channel;
    const before = (optOut: OptOut) => covers(optOut) && optOut.acknowledgedAt < delivery.at;
    const earlier = (optOutsOf.get(delivery.person.id) ?? []).filter(before);
    if (earlier.length === 0) continue;
    const first = earlier.reduce((a, b) => (a.acknowledgedAt <= b.acknowledgedAt ? a : b));
    const gap = delivery.at - first.acknowledgedAt;
    const who = delivery.person.id;
    violations.push(`${delivery.what} reached ${who} ${gap} ms after their opt-out (${first.how}) was answered`);
  }
  const strangers = deliveries.filter((delivery) => !delivery.person).map((delivery) => delivery.what);
  return [
    finding('messages delivered to someone opted out', violations),
    finding('messages to addresses nobody in the run has (staff, or unknown)', strangers, false),
  ];
}

/** The outbox against the providers: what Tend recorded as sent is there, and nothing else is. */
async function outboxFindings(input: CheckInput): Promise<Finding[]> {
  const outbox = await input.query(`select id, idempotency_key, channel, status, recipient, reason from outbox
    where channel in ('email', 'sms')`);
  const emailIds = new Set(input.emails.map((email) => email.messageId));
  const textIds = new Set(input.texts.map((text) => text.outboxId));
  const messageIdOf = (row: Row) => deterministicMessageId(String(row.idempotency_key), input.senderDomain);
  const atProvider = (row: Row) =>
    row.channel === 'email' ? emailIds.has(messageIdOf(row)) : textIds.has(String(row.id));
  const notThere = (row: Row) => !atProvider(row);
  const named = (row: Row) => `${String(row.channel)} ${String(row.id)}`;
  const to = (row: Row) => `${named(row)} to ${String(row.recipient)}`;
  const toWith = (row: Row) => `${to(row)}: ${String(row.status)}`;
  const fate = (row: Row) => `${named(row)}: ${atProvider(row) ? 'the provider has it' : 'the provider never got it'}`;
  const sentNotThere = outbox.filter((row) => row.status === 'sent' && notThere(row));
  const thereNotSent = outbox.filter((row) => !['sent', 'unconfirmed'].includes(String(row.status)) && atProvider(row));
  const unconfirmed = outbox.filter((row) => row.status === 'unconfirmed');
  return [
    finding('messages recorded as sent that the provider never got', sentNotThere.map(to)),
    finding('messages at the provider that Tend records as not sent', thereNotSent.map(toWith)),
    finding('messages left unconfirmed by a kill (not resent by design)', unconfirmed.map(fate), false),
    finding('  of which the provider never got (lost to the customer)', unconfirmed.filter(notThere).map(to), false),
  ];
}

/** Work left behind: runs and messages due over a minute ago; tasks and messages a run recorded that do not exist. */
async function workFindings(query: Query, now: Date): Promise<Finding[]> {
  const minuteAgo = new Date(now.getTime() - 60_000);
  const stuckRuns = `from journey_runs where status = 'active' and (next_due_at is null or next_due_at < $1)`;
  const stuck = await query(`select id, playbook_id, next_due_at, state->>'stepId' as step ${stuckRuns} limit 5`, [
    minuteAgo,
  ]);
  const due = (row: Row) => (row.next_due_at instanceof Date ? row.next_due_at.toISOString() : String(row.next_due_at));
  const stuckMessages = `select count(*)::int as count from outbox
    where (status = 'pending' and next_attempt_at < $1) or status = 'sending'`;
  const taskSteps = `from run_steps s
    where s.action->>'kind' in ('create-task', 'alert', 'escalate') and s.outcome->>'kind' = 'performed'
    and not exists (select 1 from tasks t where t.idempotency_key = s.action->>'idempotencyKey')`;
  const lostTasks = await query(`select s.run_id, s.step_id, s.action->>'idempotencyKey' as key ${taskSteps} limit 5`);
  const sendSteps = `from run_steps s where s.action->>'kind' = 'send' and s.outcome->>'kind' = 'performed'
    and not exists (select 1 from outbox o where o.idempotency_key = s.action->>'idempotencyKey')`;
  return [
    finding(
      'playbook runs stuck (due over a minute ago)',
      stuck.map((row) => `${String(row.playbook_id)} run ${String(row.id)} at ${String(row.step)} due ${due(row)}`),
      true,
      await count(query, `select count(*)::int as count ${stuckRuns}`, [minuteAgo]),
    ),
    finding(
      'messages stuck (pending and due over a minute ago, or still sending)',
      [],
      true,
      await count(query, stuckMessages, [minuteAgo]),
    ),
    finding(
      'tasks lost (a run recorded the step, no task exists)',
      lostTasks.map((row) => `run ${String(row.run_id)} step ${String(row.step_id)} (${String(row.key)})`),
      true,
      await count(query, `select count(*)::int as count ${taskSteps}`),
    ),
    finding(
      'messages lost (a run recorded the send, no outbox row exists)',
      [],
      true,
      await count(query, `select count(*)::int as count ${sendSteps}`),
    ),
  ];
}

export async function runChecks(input: CheckInput): Promise<Finding[]> {
  return [
    ...(await eventFindings(input.query, input.acknowledged)),
    ...duplicateFindings(input.emails, input.texts),
    ...optOutFindings(input),
    ...(await outboxFindings(input)),
    ...(await workFindings(input.query, input.now)),
  ];
}
