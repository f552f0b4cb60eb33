// `tend keys` and `tend tokens` run as separate processes beside a running Tend: what they create works
// at once, what they revoke the running server refuses within 10 s of its process time, an ambiguous
// or unknown prefix is refused naming the candidates, and the audit log names the command line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clocks.js';
import { runTend } from '../support/run-tend.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const processClock = new ManualClock(new Date());
let tend: TestTend;
let environment: Record<string, string>;

beforeAll(async () => {
  tend = await startTestTend({ settings: { processClock } });
  environment = { DATABASE_URL: '', ...tend.environment };
});
afterAll(async () => tend?.stop());

async function tendCommand(...args: string[]): Promise<string> {
  const result = await runTend(args, environment);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

const track = (key: string) =>
  fetch(`${tend.url}/v1/track`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ userId: 'cli-user', event: 'Signed In' }),
  }).then((response) => response.status);

const read = (token: string) =>
  fetch(`${tend.url}/api/v1/write-keys`, { headers: { authorization: `Bearer ${token}` } }).then(
    (response) => response.status,
  );

describe('tend keys', () => {
  it('creates, lists and revokes a key; the running Tend refuses it within 10 s', async () => {
    const created = await tendCommand('keys', 'create', '--source', 'web', '--kind', 'browser');
    const key = /^(wk_\S+)$/m.exec(created)?.[1] ?? '';
    expect(key).toHaveLength(46);
    expect(created).toContain('browser write key for source "web"');
    const prefix = key.slice(0, 7);

    const listed = await tendCommand('keys', 'list');
    expect(listed).toMatch(/prefix\s+source\s+kind\s+created\s+revoked/);
    expect(listed).toMatch(new RegExp(`${prefix}\\s+web\\s+browser\\s+\\S+Z\\s+—`));
    expect(listed).not.toContain(key);

    expect(await track(key)).toBe(200);
    const revoked = await tendCommand('keys', 'revoke', prefix);
    expect(revoked).toContain(`Revoked ${prefix}… (source "web", browser`);
    expect(await track(key)).toBe(200); // the server's verdict of a moment ago
    processClock.advanceBy(10_000);
    expect(await track(key)).toBe(401);
    expect(await track(tend.writeKey)).toBe(200);

    const json = JSON.parse(await tendCommand('keys', 'list', '--json'));
    expect(json.writeKeys).toContainEqual({
      prefix,
      source: 'web',
      kind: 'browser',
      createdAt: expect.any(String),
      revokedAt: expect.any(String),
    });

    const audit = await tend.admin(`/api/v1/audit-log?subject=${prefix}`);
    expect(audit.body.entries.map((entry: { action: string; actor: string }) => [entry.action, entry.actor])).toEqual([
      ['write-key.revoked', 'command line (tend keys revoke)'],
      ['write-key.created', 'command line (tend keys create)'],
    ]);
  }, 120_000);

  it('refuses an ambiguous or unknown prefix, naming the candidates, and a kind it does not know', async () => {
    await tendCommand('keys', 'create', '--source', 'crm');
    await tendCommand('keys', 'create', '--source', 'crm');
    const ambiguous = await runTend(['keys', 'revoke', 'wk_'], environment);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(/"wk_" fits \d+ working write keys: /);
    expect(ambiguous.stderr.match(/source "crm"/g)).toHaveLength(2);
    const unknown = await runTend(['keys', 'revoke', 'nope'], environment);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No write key fits "nope": `tend keys list` shows the prefixes.');
    const kind = await runTend(['keys', 'create', '--source', 'crm', '--kind', 'mobile'], environment);
    expect(kind.code).toBe(1);
    expect(kind.stderr).toContain('--kind must be server or browser; got "mobile".');
  }, 120_000);
});

describe('tend tokens', () => {
  it('creates a token that works, lists tokens, revokes by label: a running Tend refuses it in 10 s', async () => {
    const created = await tendCommand('tokens', 'create', '--label', 'crm-sync');
    const token = /^(tend_admin_\S+)$/m.exec(created)?.[1] ?? '';
    expect(token).toHaveLength(54);
    expect(await read(token)).toBe(200);

    const listed = await tendCommand('tokens', 'list');
    expect(listed).toMatch(/label\s+prefix\s+created\s+revoked/);
    expect(listed).toMatch(new RegExp(`crm-sync\\s+${token.slice(0, 15)}\\s+\\S+Z\\s+—`));
    expect(listed).toMatch(/TEND_ADMIN_TOKEN\s+admi\s/); // the test's chosen token keeps 4 characters
    expect(listed).not.toContain(token);

    const taken = await runTend(['tokens', 'create', '--label', 'crm-sync'], environment);
    expect(taken.stderr).toContain('A working admin token is already labelled "crm-sync"');

    expect(await tendCommand('tokens', 'revoke', 'crm-sync')).toContain('Revoked the admin token "crm-sync"');
    processClock.advanceBy(10_000);
    expect(await read(token)).toBe(401);
    expect(await read(tend.adminToken)).toBe(200);

    const again = await runTend(['tokens', 'revoke', token.slice(0, 15)], environment);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('names only revoked admin tokens');
    const audit = await tend.admin('/api/v1/audit-log?action=admin-token.revoked');
    expect(audit.body.entries[0]).toMatchObject({
      actor: 'command line (tend tokens revoke)',
      subject: token.slice(0, 15),
      details: { label: 'crm-sync' },
    });
  }, 120_000);
});
