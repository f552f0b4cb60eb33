// First start as a user meets it: `tend start` on a store without an admin prints a set-up link (a new
// one at each start until there is an admin), the link creates the first admin, `tend users link` prints
// a sign-in link that works once; and at TEND_LOG_LEVEL=trace, no password, session token or sign-in
// link ever reaches the log (a set-up link only in the start-up lines that show it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTend } from '../support/run-tend.js';
import { send } from '../support/sign-in-requests.js';
import { interruptTendProcess, startTendProcess, type TendProcess } from '../support/tend-process.js';
import { freshLocation } from '../support/test-tend.js';

const publicUrl = 'https://tend.example.test';
const passwords = ['the first admin’s password', 'a wrong password, tried', 'the admin’s newer password'] as const;
let environment: Record<string, string>;
let cleanup: () => Promise<void>;
const outputs: string[] = [];
const hidden: string[] = [...passwords];
let running: TendProcess | null = null;

async function start(): Promise<TendProcess> {
  running = await startTendProcess(environment);
  return running;
}
async function stop(): Promise<void> {
  if (running === null) return;
  await interruptTendProcess(running);
  outputs.push(running.output());
  running = null;
}
const setupLinkIn = (output: string): string | null => /first admin: open (\S+)/.exec(output)?.[1] ?? null;
const tokenOf = (url: string): string => url.split('/').pop()!;

beforeAll(async () => {
  const { location, cleanup: drop } = await freshLocation();
  cleanup = drop;
  environment = {
    ...(location.kind === 'postgres'
      ? { DATABASE_URL: location.url, TEND_DATA_DIR: '' }
      : { TEND_DATA_DIR: location.dataDirectory, DATABASE_URL: '' }),
    PORT: '0',
    HOST: '127.0.0.1',
    TEND_LOG_LEVEL: 'trace',
    TEND_PUBLIC_URL: publicUrl,
    TEND_PLAYBOOKS: 'none',
    TEND_ADMIN_TOKEN: '',
    TEND_WRITE_KEY: '',
  };
});
afterAll(async () => {
  await stop();
  await cleanup?.();
});

describe('first start, sign-in links and the log', () => {
  it('prints a new set-up link at each start until there is an admin, then none', async () => {
    const first = setupLinkIn((await start()).output());
    expect(first).toMatch(new RegExp(`^${publicUrl}/setup/[A-Za-z0-9_-]{43}$`));
    await stop();
    const tend = await start();
    const second = setupLinkIn(tend.output())!;
    expect(second).toMatch(/\/setup\//);
    expect(second).not.toBe(first);

    const origin = { origin: tend.url };
    const body = { name: 'Ada Admin', email: 'ada@example.test', password: passwords[0] };
    const path = `/api/v1/setup/${tokenOf(second)}`;
    const created = await send(tend.url, { method: 'POST', path, body, headers: origin });
    expect(created.status).toBe(201);
    expect(created.setCookies.join()).toMatch(/; Secure/);
    hidden.push(created.sessionCookie!.split('=')[1]!);

    const wrong = { email: 'ada@example.test', password: passwords[1] };
    expect((await send(tend.url, { method: 'POST', path: '/api/v1/sessions', body: wrong })).status).toBe(401);
    const right = { email: 'ada@example.test', password: passwords[0] };
    const signedIn = await send(tend.url, { method: 'POST', path: '/api/v1/sessions', body: right });
    expect(signedIn.status).toBe(200);
    hidden.push(signedIn.sessionCookie!.split('=')[1]!);
    const change = { currentPassword: passwords[0], newPassword: passwords[2] };
    const headers = { cookie: signedIn.sessionCookie!, ...origin };
    const changed = await send(tend.url, { method: 'PUT', path: '/api/v1/me/password', body: change, headers });
    expect(changed.status).toBe(200);
    const user = { email: 'rita@example.test', role: 'rep' };
    expect((await send(tend.url, { method: 'POST', path: '/api/v1/users', body: user, headers })).status).toBe(201);

    const printed = await runTend(['users', 'link', '--email', 'Rita@Example.test'], environment);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toMatch(/Sign-in link for rita@example\.test \(one use, valid until /);
    const link = new RegExp(`${publicUrl}/sign-in/[A-Za-z0-9_-]{43}`).exec(printed.stdout)![0];
    hidden.push(tokenOf(link));
    const used = await send(tend.url, { method: 'POST', path: `/api/v1/sign-in/${tokenOf(link)}` });
    expect(used.status).toBe(200);
    expect(used.body.person.email).toBe('rita@example.test');
    hidden.push(used.sessionCookie!.split('=')[1]!);
    expect((await send(tend.url, { method: 'POST', path: `/api/v1/sign-in/${tokenOf(link)}` })).status).toBe(404);

    const unknown = await runTend(['users', 'link', '--email', 'nobody@example.test'], environment);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No user "nobody@example.test"/);
    await stop();

    expect(setupLinkIn((await start()).output())).toBeNull();
    await stop();
  }, 120_000);

  it('logged every request at trace level, and no password, session token or link token', () => {
    const log = outputs.join('\n');
    expect(log).toMatch(/"url":"\/api\/v1\/setup\/\[redacted\]"/);
    expect(log).toMatch(/"url":"\/api\/v1\/sign-in\/\[redacted\]"/);
    expect(log).toMatch(/"url":"\/api\/v1\/sessions"/);
    for (const secret of hidden) expect(log).not.toContain(secret);
    // A set-up link appears once: in the start-up lines of the start that made it.
    for (const output of outputs) {
      const link = setupLinkIn(output);
      if (link !== null) expect(log.split(tokenOf(link)).length - 1).toBe(1);
    }
  });
});
