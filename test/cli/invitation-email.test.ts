// Invitations from a running `tend start` and from `tend users link --send`, as separate processes at
// TEND_LOG_LEVEL=trace with a real SMTP server: each e-mail holds a link that signs the person in, the
// command says clearly when no SMTP server is set, and no link token ever reaches the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSmtpServer, type TestSmtpServer } from '../support/fake-providers.js';
import { runTend } from '../support/run-tend.js';
import { send } from '../support/sign-in-requests.js';
import { interruptTendProcess, killTendProcess, startTendProcess, type TendProcess } from '../support/tend-process.js';
import { freshLocation } from '../support/test-tend.js';

const adminToken = 'admin_invitation_test_0123456789';
let smtp: TestSmtpServer;
let tend: TendProcess;
let environment: Record<string, string>;
let cleanup: () => Promise<void>;
const tokens: string[] = [];
let log = '';

const tokenIn = (text: string): string => /\/sign-in\/([A-Za-z0-9_-]{43})/.exec(text)![1]!;
const signInWith = (token: string) => send(tend.url, { method: 'POST', path: `/api/v1/sign-in/${token}` });

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  const { location, cleanup: drop } = await freshLocation();
  cleanup = drop;
  environment = {
    ...(location.kind === 'postgres'
      ? { DATABASE_URL: location.url, TEND_DATA_DIR: '' }
      : { TEND_DATA_DIR: location.dataDirectory, DATABASE_URL: '' }),
    PORT: '0',
    HOST: '127.0.0.1',
    TEND_LOG_LEVEL: 'trace',
    TEND_PLAYBOOKS: 'none',
    TEND_ADMIN_TOKEN: adminToken,
    TEND_WRITE_KEY: '',
    TEND_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    TEND_EMAIL_FROM: 'Acme Tend <tend@acme.example>',
    TEND_PUBLIC_URL: 'https://tend.acme.example',
  };
  tend = await startTendProcess(environment);
  const user = await fetch(`${tend.url}/api/v1/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'rita@acme.example', name: 'Rita', role: 'rep' }),
  });
  expect(user.status).toBe(201);
}, 60_000);
afterAll(async () => {
  if (tend) await killTendProcess(tend);
  await smtp?.close();
  await cleanup?.();
});

describe('invitations by e-mail', () => {
  it('e-mails a working link from the API and from `tend users link --send`', async () => {
    const answer = await fetch(`${tend.url}/api/v1/users/rita@acme.example/sign-in-link`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ send: true }),
    });
    expect(answer.status).toBe(201);
    const { url } = (await answer.json()) as { url: string };
    expect(smtp.received.at(-1)!.mail.text).toContain(url);
    tokens.push(tokenIn(url));
    expect((await signInWith(tokenIn(url))).status).toBe(200);

    const command = await runTend(['users', 'link', '--email', 'Rita@Acme.example', '--send'], environment);
    expect(command.code, command.stderr).toBe(0);
    expect(command.stdout).toMatch(/^Invitation e-mailed to rita@acme\.example\. The link \(one use, valid until /);
    expect(smtp.received).toHaveLength(2);
    const mailed = tokenIn(smtp.received[1]!.mail.text ?? '');
    expect(tokenIn(command.stdout)).toBe(mailed);
    tokens.push(mailed);
    const used = await signInWith(mailed);
    expect(used.status).toBe(200);
    expect(used.body.person.email).toBe('rita@acme.example');
  }, 60_000);

  it('refuses `--send` without SMTP, saying how to set it, and prints no link', async () => {
    const command = await runTend(['users', 'link', '--email', 'rita@acme.example', '--send'], {
      ...environment,
      TEND_SMTP_URL: '',
    });
    expect(command.code).toBe(1);
    expect(command.stderr).toMatch(/no SMTP server is configured\. Set TEND_SMTP_URL/);
    expect(command.stdout).not.toMatch(/sign-in\//);
    expect(smtp.received).toHaveLength(2);
  }, 60_000);

  it('logged the requests at trace level without any link token', async () => {
    expect(await interruptTendProcess(tend)).toBe(0);
    log = tend.output();
    expect(log).toMatch(/"url":"\/api\/v1\/users\/rita@acme.example\/sign-in-link"/);
    expect(log).toMatch(/"url":"\/api\/v1\/sign-in\/\[redacted\]"/);
    expect(tokens).toHaveLength(2);
    for (const token of tokens) expect(log).not.toContain(token);
  });
});
