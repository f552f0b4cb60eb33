// The work the app's pages list, for the app benchmark, generated in the database over the signals data
// set (seeded hash draws, the same rows every run): tasks for the accounts' owners (open, done, some
// overdue and escalated to the owner's manager), playbook runs of the playbooks Tend loaded (most ended,
// some in progress at a step, a tenth held out), their first steps, and the outbox messages they sent.
import { type DatasetShape, type Query, uniformFunction } from './signals-dataset.js';

export interface WorkShape {
  readonly tasks: number;
  readonly runs: number;
  /** Share of treated runs that sent an e-mail. */
  readonly sentShare: number;
}

export interface LoadedPlaybook {
  readonly id: string;
  readonly version: number;
  readonly stepIds: readonly string[];
}

export interface WorkCounts {
  readonly tasks: number;
  readonly openTasks: number;
  readonly escalatedTasks: number;
  readonly runs: number;
  readonly activeRuns: number;
  readonly outbox: number;
}

const quoted = (at: Date): string => `'${at.toISOString()}'::timestamptz`;
const text = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** Tasks: 60 % open, 35 % done, 5 % cancelled; due from 20 days before the anchor to 10 after. */
function tasksSql(data: DatasetShape, work: WorkShape): string {
  const now = quoted(data.anchor);
  return `
    insert into tasks (id, idempotency_key, account_id, contact_id, owner_email, objective, talking_points, due_at,
                       status, outcome, note, source, created_at, completed_at, escalated_at, escalated_to)
    select gen_random_uuid(), 'bench-task-' || t, accounts.id, 'user_' || (a * ${data.contactsPerAccount}),
      accounts.owner_email, 'Call to review how the account is doing',
      '["Their goals this quarter", "Open tickets"]'::jsonb, due, status,
      case when status = 'done'
        then (array['reached', 'no-answer', 'saved', 'other'])[1 + floor(bench_u(t, 74) * 4)::int] end,
      null, case when bench_u(t, 75) < 0.7 then 'playbook' else 'manual' end, due - interval '2 days',
      case when status = 'done' then least(${now}, due - interval '1 day' + bench_u(t, 76) * interval '3 days') end,
      case when status = 'open' and due < ${now} then least(${now}, due + interval '1 hour') end,
      case when status = 'open' and due < ${now} then manager.email end
    from generate_series(0::int8, ${work.tasks - 1}::int8) t,
      lateral (select floor(${data.accounts} * bench_u(t, 71))::int8 as a,
                      ${now} + (bench_u(t, 72) * 30 - 20) * interval '1 day' as due,
                      case when bench_u(t, 73) < 0.6 then 'open' when bench_u(t, 73) < 0.95 then 'done'
                           else 'cancelled' end as status) drawn
      join accounts on accounts.id = 'acct_' || a
      left join users owner on owner.email = accounts.owner_email
      left join users manager on manager.id = owner.manager_id`;
}

/**
 * Runs over the last 60 days: 30 % still in progress (at one of the playbook's steps, due after the
 * anchor, so a Tend on a manual clock at the anchor leaves them be), the rest completed or exited.
 */
function runsSql(data: DatasetShape, work: WorkShape, playbooks: readonly LoadedPlaybook[]): string {
  const now = quoted(data.anchor);
  const steps = (playbook: LoadedPlaybook): string => `array[${playbook.stepIds.map(text).join(', ')}]::text[]`;
  const catalogue = playbooks
    .map((playbook, index) => `(${index}, ${text(playbook.id)}, ${playbook.version}, ${steps(playbook)})`)
    .join(', ');
  const contact = `'user_' || (a * ${data.contactsPerAccount})`;
  return `
    with catalogue (k, id, version, steps) as (values ${catalogue})
    insert into journey_runs (id, playbook_id, playbook_version, subject_key, account_id, contact_id, run_group, status,
                              state, version, next_due_at, trigger, entered_at, ended_at, end_reason, goal_reached)
    select run_id, catalogue.id, catalogue.version, 'acct_' || a, 'acct_' || a, ${contact}, run_group, status,
      jsonb_build_object('runId', run_id, 'playbookId', catalogue.id, 'playbookVersion', catalogue.version,
        'recipient', ${contact}, 'group', run_group, 'version', 2, 'status', status,
        'enteredAt', entered_at, 'stepId', case when status = 'active' then step_id end,
        'waitingSince', case when status = 'active' then entered_at + interval '1 hour' end,
        'lastSendAt', null, 'attempts', '{}'::jsonb, 'tasks', '[]'::jsonb,
        'endedAt', case when status <> 'active' then entered_at + interval '3 days' end,
        'endReason', case when status = 'exited' then 'signal-cleared' end),
      2, case when status = 'active' then ${now} + (1 + bench_u(r, 66) * 20) * interval '1 day' end,
      '{}'::jsonb, entered_at, case when status <> 'active' then least(${now}, entered_at + interval '3 days') end,
      case when status = 'exited' then 'signal-cleared' end, status = 'completed' and bench_u(r, 67) < 0.3
    from generate_series(0::int8, ${work.runs - 1}::int8) r,
      lateral (select floor(${data.accounts} * bench_u(r, 61))::int8 as a,
                      floor(bench_u(r, 62) * ${playbooks.length})::int as k,
                      gen_random_uuid() as run_id, ${now} - bench_u(r, 63) * 60 * interval '1 day' as entered_at,
                      case when bench_u(r, 64) < 0.1 then 'holdout' else 'treated' end as run_group,
                      case when bench_u(r, 65) < 0.3 then 'active' when bench_u(r, 65) < 0.8 then 'completed'
                           else 'exited' end as status) drawn
      join catalogue on catalogue.k = drawn.k,
      lateral (select catalogue.steps[1 + floor(bench_u(r, 68) * cardinality(catalogue.steps))::int] as step_id) step
    on conflict (playbook_id, subject_key) where status = 'active' do nothing`;
}

const runStepsSql = `
  insert into run_steps (run_id, version, step_id, action, outcome, at)
  select id, 1, null, '{"kind": "enter"}'::jsonb, '{}'::jsonb, entered_at from journey_runs`;

/** One e-mail per treated run that sent (most sent, some delivered locally, skipped or failed). */
function outboxSql(work: WorkShape): string {
  const body = 'It has been a while. How are things going?';
  return `
    insert into outbox (id, idempotency_key, run_id, account_id, contact_id, channel, recipient, payload, status,
                        reason, attempts, created_at, sent_at, message)
    select gen_random_uuid(), 'bench:' || runs.id || ':send', runs.id, runs.account_id, runs.contact_id, 'email',
      contacts.email, jsonb_build_object('template', 'we-miss-you', 'stepId', 'send'), sent,
      case when sent = 'skipped' then 'quiet hours' when sent = 'failed' then 'the relay refused it' end,
      case when sent = 'skipped' then 0 else 1 end, runs.entered_at + interval '5 minutes',
      case when sent in ('sent', 'delivered-locally') then runs.entered_at + interval '6 minutes' end,
      case when sent in ('sent', 'delivered-locally') then jsonb_build_object('to', contacts.email,
        'subject', 'We miss you', 'text', '${body}', 'html', '<p>${body}</p>') end
    from journey_runs runs join contacts on contacts.id = runs.contact_id,
      lateral (select bench_u(hashtext(runs.id::text), 81) as draw) drawn,
      lateral (select case when draw < 0.8 then 'sent' when draw < 0.85 then 'delivered-locally'
                           when draw < 0.95 then 'skipped' else 'failed' end as sent) chosen
    where runs.run_group = 'treated' and bench_u(hashtext(runs.id::text), 82) < ${work.sentShare}`;
}

/** Generates the work rows (after the playbooks are loaded: runs name them), then analyses the tables. */
export async function loadWork(
  query: Query,
  data: DatasetShape,
  work: WorkShape,
  playbooks: readonly LoadedPlaybook[],
  log: (text: string) => void,
): Promise<WorkCounts> {
  if (playbooks.length === 0) throw new Error('no playbook with steps is loaded: the runs need one');
  await query(uniformFunction);
  const statements = [
    ['tasks', tasksSql(data, work)],
    ['playbook runs', runsSql(data, work, playbooks)],
    ['run steps', runStepsSql],
    ['outbox', outboxSql(work)],
  ] as const;
  for (const [label, statement] of statements) {
    const began = performance.now();
    await query(statement);
    log(`  ${label} (${((performance.now() - began) / 1000).toFixed(1)} s)`);
  }
  await query('drop function bench_u(bigint, bigint)');
  for (const table of ['tasks', 'journey_runs', 'run_steps', 'outbox']) await query(`vacuum analyze ${table}`);
  const counts = await query(`select (select count(*) from tasks)::int8 as tasks,
    (select count(*) from tasks where status = 'open')::int8 as open_tasks,
    (select count(*) from tasks where escalated_to is not null)::int8 as escalated,
    (select count(*) from journey_runs)::int8 as runs,
    (select count(*) from journey_runs where status = 'active')::int8 as active_runs,
    (select count(*) from outbox)::int8 as outbox`);
  const row = counts.rows[0]!;
  return {
    tasks: Number(row.tasks),
    openTasks: Number(row.open_tasks),
    escalatedTasks: Number(row.escalated),
    runs: Number(row.runs),
    activeRuns: Number(row.active_runs),
    outbox: Number(row.outbox),
  };
}

/** The playbooks Tend loaded at start, with their step ids (from the stored definitions). */
export async function loadedPlaybooks(query: Query): Promise<LoadedPlaybook[]> {
  const rows = await query(`select id, version,
      coalesce((select array_agg(step->>'id') from jsonb_array_elements(definition->'steps') step), '{}') as steps
    from playbooks where enabled order by id`);
  return rows.rows
    .map((row) => ({
      id: String(row.id),
      version: Number(row.version),
      stepIds: (row.steps as (string | null)[]).filter((step): step is string => step !== null),
    }))
    .filter((playbook) => playbook.stepIds.length > 0);
}
