// `tend demo` as a visitor runs it, as a separate process on a small company in a temporary folder (never
// the checkout): it prints sign-in links; the rep's link signs her in and her Today list is full, the
// manager's Oversight too; the clock is manual at the story's today; a second start reuses the company at
// once; and a wrong option is refused, naming the option, before anything is written.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientWithCookie } from '../support/people.js';
import { runTend } from '../support/run-tend.js';
import { send } from '../support/sign-in-requests.js';
import { interruptTendProcess, killTendProcess, startTendProcess, type TendProcess } from '../support/tend-process.js';
import { usingPostgres } from '../support/test-tend.js';

const folder = mkdtempSync(join(tmpdir(), 'tend-demo-test-'));
const data = join(folder, 'demo');
const today = '2026-06-01';
const args = ['demo', '--accounts', '40', '--today', today, '--data', data, '--port', '0', '--host', '127.0.0.1'];
// The outer run's store settings must not leak in: the demo always makes its own embedded store.
const environment = { DATABASE_URL: '', TEND_DATA_DIR: '', TEND_PUBLIC_URL: '', TEND_LOG_LEVEL: '' };
let running: TendProcess | null = null;

const demo = async (): Promise<TendProcess> => {
  running = await startTendProcess(environment, { args, cwd: folder });
  return running;
};
const stop = async (): Promise<void> => {
  if (running !== null) expect(await interruptTendProcess(running)).toBe(0);
  running = null;
};
afterAll(async () => {
  if (running !== null) await killTendProcess(running);
  rmSync(folder, { recursive: true, force: true });
});

/** The one-time link printed for a person (`rep      Rita Novak    http://…/sign-in/…`). */
const linkOf = (output: string, name: string): string => {
  const line = output.split('\n').find((candidate) => candidate.includes(name) && candidate.includes('/sign-in/'));
  expect(line, `no link for ${name} in:\n${output}`).toBeDefined();
  return /(http:\/\/\S+\/sign-in\/\S+)/.exec(line!)![1]!;
};

/** Follows a printed link as the app's sign-in page does, and returns a client with the session. */
async function signInWith(tend: TendProcess, link: string) {
  const path = new URL(link).pathname.replace('/sign-in/', '/api/v1/sign-in/');
  const used = await send(tend.url, { method: 'POST', path, headers: { origin: tend.url } });
  expect(used.status, JSON.stringify(used.body)).toBe(200);
  const person = clientWithCookie(tend.url, used.sessionCookie!);
  const me = await person.get('/api/v1/me');
  return { ...person, id: me.body.person.id as string, email: me.body.person.email as string };
}

// The demo runs on its own PGlite folder whatever DATABASE_URL says, so the PostgreSQL run has nothing
// more to check here.
describe.skipIf(usingPostgres())('tend demo (embedded only: it always makes its own PGlite store)', () => {
  it('refuses wrong options, naming the option, and writes nothing', async () => {
    const cases = [
      { option: ['--accounts', 'abc'], says: /--accounts must be a whole number from 30 to 5000, got "abc"/ },
      { option: ['--accounts', '5'], says: /--accounts must be a whole number from 30 to 5000, got "5"/ },
      { option: ['--today', '2026-13-01'], says: /--today must be a day such as 2026-12-07, got "2026-13-01"/ },
    ];
    for (const { option, says } of cases) {
      const refused = await runTend(['demo', '--data', data, ...option], environment, folder);
      expect(refused.code, refused.stdout).toBe(1);
      expect(refused.stderr).toMatch(says);
    }
    expect(existsSync(data)).toBe(false);

    const stranger = join(folder, 'not-a-demo');
    mkdirSync(stranger);
    writeFileSync(join(stranger, 'notes.txt'), 'keep me');
    const refused = await runTend(['demo', '--fresh', '--data', stranger], environment, folder);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not-a-demo exists but was not made by tend demo/);
    expect(existsSync(join(stranger, 'notes.txt'))).toBe(true);
  }, 30_000);

  let firstToday: unknown;
  let adminToken = '';

  it('generates the company and prints links that sign the rep and the manager in to full pages', async () => {
    const tend = await demo();
    const output = tend.output();
    expect(output).toMatch(/Generating Harbor Analytics: 40 accounts, a year to 2026-06-01/);
    expect(output).toMatch(/is listening on http:\/\/127\.0\.0\.1:\d+ \(populated in \d+\.\d s\)/);
    expect(output).toContain(`data:        ${data}`);
    adminToken = /admin token: (\S+)/.exec(output)![1]!;

    const admin = { authorization: `Bearer ${adminToken}` };
    const clock = await (await fetch(`${tend.url}/api/v1/clock`, { headers: admin })).json();
    expect(clock).toEqual({ kind: 'manual', now: `${today}T08:00:00.000Z` });

    const rita = await signInWith(tend, linkOf(output, 'Rita Novak'));
    expect(rita.email).toBe('rita.novak@harbor-analytics.example');
    const list = await rita.get(`/api/v1/users/${rita.id}/today`);
    expect(list.status).toBe(200);
    expect(list.body.accountsOwned).toBeGreaterThan(0);
    expect(list.body.entries.length).toBeGreaterThan(0);
    expect(list.body.entries[0].why.length).toBeGreaterThan(0);
    firstToday = list.body;

    const maria = await signInWith(tend, linkOf(output, 'Maria Keller'));
    const team = await maria.get('/api/v1/oversight');
    expect(team.status).toBe(200);
    expect(team.body.manager.email).toBe(maria.email);
    expect(team.body.reps.length).toBeGreaterThanOrEqual(3);
    const owned = team.body.reps.reduce((sum: number, rep: { accountsOwned: number }) => sum + rep.accountsOwned, 0);
    expect(owned).toBeGreaterThan(0);
    expect(team.body.reps.some((rep: { neglected: unknown[] }) => rep.neglected.length > 0)).toBe(true);
    await stop();
    expect(existsSync(join(folder, '.tend-demo'))).toBe(false);
  }, 90_000);

  it('starts the same company again at once, with new links', async () => {
    const began = performance.now();
    const tend = await demo();
    const seconds = (performance.now() - began) / 1000;
    const output = tend.output();
    expect(output).not.toMatch(/Generating/);
    expect(output).toMatch(/\(started in \d+\.\d s\)/);
    expect(seconds).toBeLessThan(20);
    const clock = await fetch(`${tend.url}/api/v1/clock`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(await clock.json()).toEqual({ kind: 'manual', now: `${today}T08:00:00.000Z` });
    const rita = await signInWith(tend, linkOf(output, 'Rita Novak'));
    expect((await rita.get(`/api/v1/users/${rita.id}/today`)).body).toEqual(firstToday);
    await stop();
  }, 60_000);
});
