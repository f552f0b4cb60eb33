// A new TEND_ADMIN_TOKEN replaces the old one: `tend start` twice on the same store with different
// tokens leaves only the new one working, says so at start and in the audit log; starting again with
// the revoked token says that it is refused, and leaves the working one working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTend } from '../support/run-tend.js';
import { interruptTendProcess, startTendProcess, type TendProcess } from '../support/tend-process.js';
import { freshLocation } from '../support/test-tend.js';

let environment: Record<string, string>;
let cleanup: () => Promise<void>;
const running: TendProcess[] = [];

beforeAll(async () => {
  const fresh = await freshLocation();
  cleanup = fresh.cleanup;
  const place: Record<string, string> =
    fresh.location.kind === 'postgres'
      ? { DATABASE_URL: fresh.location.url }
      : { TEND_DATA_DIR: fresh.location.dataDirectory, DATABASE_URL: '' };
  environment = { ...place, PORT: '0', HOST: '127.0.0.1', TEND_WRITE_KEY: '', TEND_PLAYBOOKS: 'none' };
});
afterAll(async () => {
  for (const started of running) if (started.child.exitCode === null) await interruptTendProcess(started);
  await cleanup?.();
});

async function start(adminToken: string): Promise<TendProcess> {
  const started = await startTendProcess({ ...environment, TEND_ADMIN_TOKEN: adminToken });
  running.push(started);
  return started;
}

const status = (started: TendProcess, token: string) =>
  fetch(`${started.url}/api/v1/write-keys`, { headers: { authorization: `Bearer ${token}` } }).then(
    (response) => response.status,
  );

describe('replacing TEND_ADMIN_TOKEN', () => {
  const oldToken = 'first-admin-token-0123456789';
  const newToken = 'second-admin-token-0123456789';

  it('revokes the token it replaced at start, says so, and leaves only the new one working', async () => {
    const first = await start(oldToken);
    expect(await status(first, oldToken)).toBe(200);
    expect(first.output()).not.toContain('revoked');
    expect(await interruptTendProcess(first)).toBe(0);

    const second = await start(newToken);
    expect(second.output()).toContain(
      'revoked the token an earlier TEND_ADMIN_TOKEN set (firs…): it is refused from now on',
    );
    expect(await status(second, newToken)).toBe(200);
    expect(await status(second, oldToken)).toBe(401);
    const audit = await fetch(`${second.url}/api/v1/audit-log?action=admin-token.revoked`, {
      headers: { authorization: `Bearer ${newToken}` },
    });
    const entries = ((await audit.json()) as { entries: { actor: string; subject: string }[] }).entries;
    expect(entries).toEqual([expect.objectContaining({ actor: 'Tend (TEND_ADMIN_TOKEN replaced)', subject: 'firs' })]);
    expect(await interruptTendProcess(second)).toBe(0);

    const listed = await runTend(['tokens', 'list'], environment);
    expect(listed.stdout).toMatch(/TEND_ADMIN_TOKEN\s+firs\s+\S+Z\s+\S+Z/); // revoked
    expect(listed.stdout).toMatch(/TEND_ADMIN_TOKEN\s+seco\s+\S+Z\s+—/);

    // Back to the old value by mistake: it stays refused, and the start output says why.
    const third = await start(oldToken);
    expect(third.output()).toMatch(/TEND_ADMIN_TOKEN was revoked at \S+ and is refused: set a new one/);
    expect(third.output()).not.toContain('revoked the token an earlier');
    expect(await status(third, oldToken)).toBe(401);
    expect(await status(third, newToken)).toBe(200); // a revoked value replaces nothing: nobody is locked out
    expect(await interruptTendProcess(third)).toBe(0);
  }, 180_000);
});
