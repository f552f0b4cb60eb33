// `tend demo` (`npm run demo`): Tend on a generated company in its own data directory, ./.tend-demo (or
// --data), never the real one. The first run generates the company and plays its year into Tend (the last
// weeks day by day, so the playbooks act); later runs start the same data again. Prints sign-in links.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { dayStart, demoCompany } from '../domain/demo/demo-company.js';
import { demoTeam, vendor } from '../domain/demo/demo-team.js';
import { TendError } from '../domain/errors.js';
import { systemClock } from '../engine/clocks.js';
import { builtInPlaybooks } from '../config/playbook-library.js';
import { builtInTemplates } from '../config/template-library.js';
import { type RunningTend, startTend } from '../app/tend-service.js';
import { createSignInLink, linkUrl } from '../store/one-time-links.js';
import { newSecret } from '../store/secrets.js';
import { driveDemo } from './demo-driver.js';
import { settingsFrom } from '../config/environment.js';
import { commandLine } from './keys-command.js';

/** The story's last days Tend lives through day by day (the rest of the year is sent as history). */
export const demoDrivenDays = 21;
const dayMilliseconds = 86_400_000;

interface DemoRecord {
  readonly seed: number;
  readonly accounts: number;
  /** The story's today (an ISO day). */
  readonly today: string;
  /** False until the company is wholly in: a run cut short is started over. */
  readonly populated: boolean;
}

export interface DemoOptions {
  readonly fresh?: boolean;
  readonly seed?: string;
  readonly accounts?: string;
  readonly today?: string;
  readonly port?: string;
  readonly host?: string;
  /** The demo's own folder (default ./.tend-demo). */
  readonly data?: string;
}

/** Fewer accounts would leave the six reps with a book too thin to show their differences. */
const leastAccounts = 30;
/** More would take many minutes to generate; the demo is for looking around, benchmarks have bench/. */
const mostAccounts = 5000;

/** A tracking limit the demo's history (tens of thousands of events at once) does not run into. */
const demoConfig = `# The demo's policy: Tend's defaults, with the tracking limits raised so that the generated year
# goes in at once. Written by \`npm run demo\`; \`npm run demo -- --fresh\` writes it again.
limits:
  tracking:
    requests: { perSecond: 100000, burst: 100000 }
    events: { perSecond: 1000000, burst: 1000000 }
`;

function wholeNumber(raw: string | undefined, option: string, least: number, most: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < least || value > most) {
    const range = most === Number.MAX_SAFE_INTEGER ? `of at least ${least}` : `from ${least} to ${most}`;
    const message = `${option} must be a whole number ${range}, got ${JSON.stringify(raw)}.`;
    throw new TendError('invalid_request', message, [{ field: option, message: `must be a whole number ${range}` }]);
  }
  return value;
}

/** The company the options ask for, checked before anything is touched; undefined where not given. */
function askedFor(options: DemoOptions): { seed?: number; accounts?: number; today?: string } {
  const seed = wholeNumber(options.seed, '--seed', 0, Number.MAX_SAFE_INTEGER);
  const accounts = wholeNumber(options.accounts, '--accounts', leastAccounts, mostAccounts);
  const today = options.today === undefined ? undefined : storyToday(options.today).toISOString().slice(0, 10);
  return {
    ...(seed === undefined ? {} : { seed }),
    ...(accounts === undefined ? {} : { accounts }),
    ...(today === undefined ? {} : { today }),
  };
}

function storyToday(raw: string | undefined): Date {
  if (raw === undefined) {
    const now = systemClock.now();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  }
  const today = new Date(`${raw}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(today.getTime())) {
    throw new TendError('invalid_request', `--today must be a day such as 2026-12-07, got ${JSON.stringify(raw)}.`, [
      { field: '--today', message: 'is not a day' },
    ]);
  }
  return today;
}

function readRecord(path: string): DemoRecord | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DemoRecord;
  } catch {
    return null;
  }
}

/** Sign-in links for the people a visitor would want to be: a manager, two reps of opposite habits, the admin. */
async function signInLines(tend: RunningTend): Promise<string[]> {
  const shown = ['maria.keller', 'rita.novak', 'sam.fischer', 'alex.morgan'].map(
    (local) => `${local}@${vendor.domain}`,
  );
  const lines: string[] = [];
  for (const email of shown) {
    const user = demoTeam.find((member) => member.email === email);
    if (user === undefined) continue;
    const at = { business: tend.clock.now(), process: systemClock.now() };
    const link = await createSignInLink(tend.store.database, email, commandLine('tend demo'), at);
    const who =
      user.diligence?.description ??
      (user.role === 'manager' ? 'manages Rita, Jonas and Sam' : 'sees everything and the settings');
    lines.push(
      `  ${user.role.padEnd(8)} ${user.name.padEnd(13)} ${linkUrl(tend.url, 'sign-in', link.token)}`,
      `           (${who})`,
    );
  }
  return lines;
}

export async function demoCommand(options: DemoOptions): Promise<void> {
  const began = performance.now();
  const asked = askedFor(options);
  const folder = resolve(options.data ?? '.tend-demo');
  const recordPath = join(folder, 'demo.json');
  const configPath = join(folder, 'tend.config.yaml');
  const existing = readRecord(recordPath);
  // Only a folder the demo made (or an empty one) is ever deleted: --data could name anything.
  if (existsSync(folder) && !existsSync(recordPath) && readdirSync(folder).length > 0) {
    const message = `${folder} exists but was not made by tend demo: move it away, or give another folder with --data.`;
    throw new TendError('conflict', message, [{ field: '--data', message: 'is not a demo' }]);
  }
  const differs = ([key, value]: [string, unknown]) => existing?.[key as keyof typeof asked] !== value;
  const other = existing !== null && Object.entries(asked).some(differs);
  const fresh = options.fresh === true || existing === null || !existing.populated || other;
  if (fresh && existing !== null && !existing.populated && !options.fresh)
    console.log('The last demo run did not finish: starting it over.');
  else if (other && !options.fresh) console.log(`The demo in ${folder} is another company: making the one asked for.`);
  const base = settingsFrom(process.env, {
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.host === undefined ? {} : { host: options.host }),
  });
  const settings = {
    ...base,
    store: { kind: 'embedded' as const, dataDirectory: join(folder, 'data') },
    configPath,
    playbooksPath: builtInPlaybooks,
    templatesPath: builtInTemplates,
    logLevel: base.logLevel === 'info' ? 'warn' : base.logLevel,
  };

  let record: DemoRecord;
  let tend: RunningTend;
  let secrets: string[] = [];
  if (fresh) {
    const today = asked.today ?? storyToday(undefined).toISOString().slice(0, 10);
    record = { seed: asked.seed ?? 1, accounts: asked.accounts ?? 300, today, populated: false };
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    writeFileSync(configPath, demoConfig);
    writeFileSync(recordPath, `${JSON.stringify(record, null, 2)}\n`);
    const company = demoCompany({
      seed: record.seed,
      accounts: record.accounts,
      today: new Date(`${record.today}T00:00:00Z`),
    });
    const drivenDays = Math.min(demoDrivenDays, company.days - 1);
    const writeKey = newSecret('wk');
    const adminToken = newSecret('tend_admin');
    const clock = { kind: 'manual' as const, start: dayStart(company, company.days - drivenDays) };
    tend = await startTend({ ...settings, clock, writeKey, adminToken, worker: false });
    try {
      console.log(
        `Generating ${vendor.name}: ${record.accounts} accounts, a year to ${record.today} (seed ${record.seed})…`,
      );
      const figures = await driveDemo({
        url: tend.url,
        writeKey,
        adminToken,
        company,
        drivenDays,
        onProgress: (line) => console.log(`  ${line}`),
      });
      console.log(
        `  ${figures.historyEvents + figures.drivenEvents} events; ` +
          `Tend sent or assigned ${figures.reactions} messages and tasks, ${figures.completedTasks} tasks done`,
      );
    } catch (error) {
      await tend.close();
      throw error;
    }
    tend.scheduler.start();
    record = { ...record, populated: true };
    writeFileSync(recordPath, `${JSON.stringify(record, null, 2)}\n`);
    secrets = [
      `  write key:   ${writeKey}   (source "default"; shown once)`,
      `  admin token: ${adminToken}   (shown once)`,
    ];
  } else {
    record = existing!;
    const today = new Date(`${record.today}T00:00:00Z`);
    // The clock resumes where it stood; this start only matters if it was never stored.
    tend = await startTend({
      ...settings,
      clock: { kind: 'manual', start: new Date(today.getTime() + 8 * 3_600_000 - dayMilliseconds) },
      writeKey: null,
      adminToken: null,
    });
    secrets = [
      '  write key and admin token: the ones printed when the demo was made (`tend tokens create` makes another)',
    ];
  }
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  console.log(
    [
      `Tend demo (${vendor.name}, ${record.accounts} accounts, seed ${record.seed}) ` +
        `is listening on ${tend.url} (${fresh ? 'populated' : 'started'} in ${seconds} s)`,
      `  data:        ${folder}   (--fresh starts over)`,
      `  clock:       manual, standing at ${tend.clock.now().toISOString()} (POST /api/v1/clock/advance moves it)`,
      ...secrets,
      'Sign in as (one-time links, valid 24 hours; npm run demo prints new ones):',
      ...(await signInLines(tend)),
      'Ctrl-C stops.',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await tend.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'run Tend on a generated company in ./.tend-demo (a year of history, the playbooks run on it); ' +
        'prints sign-in links',
    )
    .option('--fresh', "delete the demo's folder and generate the company again")
    .option('--seed <n>', 'seed of the generated company (default 1)')
    .option('--accounts <n>', `how many accounts, ${leastAccounts} to ${mostAccounts} (default 300)`)
    .option('--today <day>', "the story's last day, e.g. 2026-12-07 (default: today)")
    .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)')
    .option('--host <host>', 'address to listen on (default: 0.0.0.0)')
    .option('--data <folder>', "the demo's own folder (default ./.tend-demo); never Tend's real data")
    .action(demoCommand);
}
