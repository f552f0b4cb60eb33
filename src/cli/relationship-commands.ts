// `tend today`, `tend oversight`, `tend signals` and `tend import users`: the relationship views from
// the command line, on the same store and policy as the server.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { TendError } from '../domain/errors.js';
import { signalKinds } from '../domain/relationship/signal.js';
import { ManualClock, systemClock } from '../engine/clocks.js';
import { loadTendConfig } from '../config/config-file.js';
import { oversightFor, todayFor } from '../engine/rep-views.js';
import { openStore, type Store } from '../store/database.js';
import { wholeBook } from '../store/book-scope.js';
import { listSignals } from '../store/signal-store.js';
import { completeTask, listTasks, taskOutcomes, type TaskOutcome } from '../store/task-store.js';
import { type NewUser, upsertUsers, userRoles, type UserRole } from '../store/users.js';
import { settingsFrom } from '../config/environment.js';

async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const settings = settingsFrom(process.env);
  const store = await openStore(settings.store, { shareRunning: true });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function contextFor(store: Store, at: string | undefined) {
  const settings = settingsFrom(process.env);
  const { config } = loadTendConfig(settings.configPath, process.cwd());
  let clock = systemClock;
  if (at === undefined && settings.clock.kind === 'manual') {
    // The manual clock lives in the running server, which may have moved it since TEND_CLOCK_START:
    // a view at the system time would disagree with the server's signals.
    throw new TendError(
      'invalid_request',
      'TEND_CLOCK=manual is set, so this view needs the time to evaluate at: ' +
        "pass --at with the server's time (GET /api/v1/clock tells it), " +
        'or unset TEND_CLOCK for the system time.',
      [{ field: '--at', message: 'is needed with a manual clock' }],
    );
  }
  if (at !== undefined) {
    const instant = new Date(at);
    if (Number.isNaN(instant.getTime()))
      throw new TendError(
        'invalid_request',
        `--at must be an instant such as 2026-03-01T09:00:00Z; got ${JSON.stringify(at)}.`,
        [{ field: '--at', message: 'is not an instant' }],
      );
    clock = new ManualClock(instant);
  }
  return { database: store.database, config, clock };
}

/** A commander option parser for a whole number in [minimum, maximum], refusing anything else by name. */
function wholeNumberOption(flag: string, minimum: number, maximum: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < minimum || parsed > maximum) {
      throw new TendError(
        'invalid_request',
        `${flag} must be a whole number from ${minimum} to ${maximum}; got ${JSON.stringify(value)}.`,
        [{ field: flag, message: 'is not a whole number in range' }],
      );
    }
    return parsed;
  };
}

const print = (json: boolean, value: unknown, text: () => string) =>
  console.log(json ? JSON.stringify(value, null, 2) : text());

export function registerRelationshipCommands(program: Command): void {
  program
    .command('today')
    .description("a rep's ranked list of whom to contact today, and why")
    .requiredOption('--rep <email>', "the rep's e-mail")
    .option(
      '--size <n>',
      'how many entries (default: today.size in tend.config.yaml, 8 without one)',
      wholeNumberOption('--size', 1, 100),
    )
    .option('--at <instant>', 'evaluate as of this instant (default: now)')
    .option('--json', 'print JSON')
    .action(async (options: { rep: string; size?: number; at?: string; json?: boolean }) =>
      withStore(async (store) => {
        const today = await todayFor(contextFor(store, options.at), options.rep, options.size, () => true);
        print(Boolean(options.json), today, () =>
          [
            `Today for ${today.rep.name ?? today.rep.email} (${today.accountsOwned} accounts owned), ` +
              `as of ${today.asOf}:`,
            ...today.entries.map(
              (entry, index) =>
                `${index + 1}. ${entry.name ?? entry.accountId} — ${entry.suggestedMethod}, ${entry.objective}\n` +
                `   why: ${entry.why.join('; ')}\n` +
                `   bring: ${entry.talkingPoints.join('; ') || '—'}`,
            ),
          ].join('\n'),
        );
      }),
    );

  program
    .command('oversight')
    .description("a manager's view of the team's books")
    .requiredOption('--manager <email>', "the manager's e-mail")
    .option('--at <instant>', 'evaluate as of this instant (default: now)')
    .option('--json', 'print JSON')
    .action(async (options: { manager: string; at?: string; json?: boolean }) =>
      withStore(async (store) => {
        const view = await oversightFor(contextFor(store, options.at), options.manager, () => true);
        print(Boolean(options.json), view, () => JSON.stringify(view.reps, null, 2));
      }),
    );

  program
    .command('signals')
    .description('open signals, most severe first')
    .option('--kind <kind>', 'only this kind')
    .option('--owner <email>', "only this owner's")
    .option('--account <id>', 'only this account')
    .option('--all', 'include cleared signals')
    .option('--json', 'print JSON')
    .action(async (options: { kind?: string; owner?: string; account?: string; all?: boolean; json?: boolean }) =>
      withStore(async (store) => {
        if (options.kind !== undefined && !(signalKinds as readonly string[]).includes(options.kind)) {
          throw new TendError(
            'invalid_request',
            `--kind must be one of ${signalKinds.join(', ')}; got ${JSON.stringify(options.kind)}.`,
            [{ field: '--kind', message: 'is not a signal kind' }],
          );
        }
        const signals = await listSignals(
          store.database,
          {
            limit: 500,
            ...(options.kind ? { kind: options.kind } : {}),
            ...(options.owner ? { ownerEmail: options.owner } : {}),
            ...(options.account ? { accountId: options.account } : {}),
            ...(options.all ? {} : { open: true }),
          },
          wholeBook,
        );
        print(Boolean(options.json), { signals }, () =>
          signals.length === 0
            ? 'No open signals.'
            : signals
                .map(
                  (signal) =>
                    `${String(signal.severity).padStart(3)}  ${signal.kind.padEnd(20)} ` +
                    `${(signal.accountName ?? signal.accountId).padEnd(24)} ${signal.owner ?? '(no owner)'}\n` +
                    `     ${signal.reasons.join('; ')}`,
                )
                .join('\n'),
        );
      }),
    );
}

/** `tend tasks`: open tasks (by owner, overdue), or record a task's outcome with --complete. */
export function registerTaskCommand(program: Command): void {
  program
    .command('tasks')
    .description('open tasks by due time; --complete ID --outcome OUTCOME records how one ended')
    .option('--owner <email>', "only this owner's")
    .option('--overdue', 'only tasks past their due time')
    .option('--all', 'include done tasks')
    .option('--complete <id>', 'the task to complete')
    .option('--outcome <outcome>', `with --complete: ${taskOutcomes.join(', ')}`)
    .option('--note <text>', 'with --complete: what happened')
    .option('--json', 'print JSON')
    .action(
      async (options: {
        owner?: string;
        overdue?: boolean;
        all?: boolean;
        complete?: string;
        outcome?: string;
        note?: string;
        json?: boolean;
      }) =>
        withStore(async (store) => {
          if (options.complete !== undefined) {
            if (!options.outcome || !(taskOutcomes as readonly string[]).includes(options.outcome)) {
              throw new TendError('invalid_request', `--outcome must be one of ${taskOutcomes.join(', ')}.`, [
                { field: '--outcome', message: 'is missing or unknown' },
              ]);
            }
            const task = await completeTask(
              store.database,
              options.complete,
              options.outcome as TaskOutcome,
              options.note ?? null,
              systemClock.now(),
            );
            print(
              Boolean(options.json),
              task,
              () => `Task ${task.id} done: ${task.outcome}${task.note ? ` (${task.note})` : ''}.`,
            );
            return;
          }
          const tasks = await listTasks(store.database, {
            limit: 500,
            ...(options.owner ? { ownerEmail: options.owner } : {}),
            ...(options.all ? {} : { status: 'open' as const }),
            ...(options.overdue ? { overdueAt: systemClock.now() } : {}),
          });
          print(Boolean(options.json), { tasks }, () =>
            tasks.length === 0
              ? 'No tasks.'
              : tasks
                  .map(
                    (task) =>
                      `${task.dueAt}  ${task.owner.padEnd(28)} ${task.objective}` +
                      `${task.accountId ? ` [${task.accountId}]` : ''}` +
                      `${task.escalatedTo ? ` (escalated to ${task.escalatedTo})` : ''}\n` +
                      `   ${task.id}`,
                  )
                  .join('\n'),
          );
        }),
    );
}

/** `tend import users FILE.csv`: email, name, role (rep, manager, admin), managerEmail. */
export async function importUsersCommand(file: string): Promise<void> {
  let records: Record<string, string>[];
  try {
    records = parse(readFileSync(file), {
      columns: (header: string[]) => header.map((column) => column.trim()),
      bom: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    throw new TendError('invalid_file', `${file} could not be read as CSV: ${(error as Error).message}`, [
      { field: 'FILE', message: 'is not readable CSV' },
    ]);
  }
  const users: NewUser[] = [];
  const rejected: string[] = [];
  records.forEach((record, index) => {
    const line = index + 2;
    const email = record.email ?? '';
    const role = (record.role ?? '').toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(email))
      rejected.push(`line ${line}: email ${JSON.stringify(email)} is not an e-mail address`);
    else if (!(userRoles as readonly string[]).includes(role))
      rejected.push(
        `line ${line}: role must be one of ${userRoles.join(', ')}; got ${JSON.stringify(record.role ?? '')}`,
      );
    else
      users.push({
        email,
        name: record.name || null,
        role: role as UserRole,
        managerEmail: record.managerEmail || record.manager || null,
      });
  });
  await withStore(async (store) => {
    const actor = { kind: 'command-line', command: 'tend import users' } as const;
    const saved = await upsertUsers(store.database, users, actor, systemClock.now());
    console.log(`${file}: ${records.length} rows; imported ${saved.length} users, rejected ${rejected.length}.`);
    for (const line of rejected) console.log(`  ${line}`);
    if (rejected.length > 0) process.exitCode = 1;
  });
}
