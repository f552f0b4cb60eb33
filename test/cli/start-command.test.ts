// `tend start` as a newcomer runs it: a fresh data directory, no configuration. It prints the URL, a
// write key and an admin token once, serves, and stops cleanly on Ctrl-C; a restart keeps the data
// and prints no new secrets; a second server on the same data directory is refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTend } from '../support/run-tend.js';
import { interruptTendProcess, startTendProcess } from '../support/tend-process.js';
import { usingPostgres } from '../support/test-tend.js';

const dataDirectory = mkdtempSync(join(tmpdir(), 'tend-start-'));
const environment = {
  TEND_DATA_DIR: dataDirectory,
  PORT: '0',
  HOST: '127.0.0.1',
  DATABASE_URL: '',
  TEND_WRITE_KEY: '',
  TEND_ADMIN_TOKEN: '',
};
afterAll(() => rmSync(dataDirectory, { recursive: true, force: true }));

const start = (extra: Record<string, string> = {}) => startTendProcess({ ...environment, ...extra });
const stop = interruptTendProcess;

describe.skipIf(usingPostgres())('tend start on the embedded database', () => {
  it('starts on a fresh data directory, prints URL, write key and admin token, serves, and stops cleanly', async () => {
    const first = await start();
    const writeKey = /write key:\s+(\S+)/.exec(first.output())?.[1] ?? '';
    const adminToken = /admin token:\s+(\S+)/.exec(first.output())?.[1] ?? '';
    expect(writeKey).toMatch(/^wk_/);
    expect(adminToken).toMatch(/^tend_admin_/);
    expect(first.output()).toMatch(/started in \d+\.\d s/);
    const sent = await fetch(`${first.url}/v1/track`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      body: JSON.stringify({ userId: 'first-user', event: 'Signed In' }),
    });
    expect(sent.status).toBe(200);
    const code = await stop(first);
    expect(code).toBe(0);
    expect(first.output()).toContain('Tend stopped cleanly.');

    // Restart: same data, no new secrets printed, the old ones still work; now listening for mail too.
    const inbound = {
      TEND_SMTP_INBOUND_PORT: '0',
      TEND_SMTP_INBOUND_HOST: '127.0.0.1',
      TEND_REPLY_DOMAIN: 'r.example',
    };
    const second = await start(inbound);
    expect(second.output()).toMatch(/inbound mail: SMTP on 127\.0\.0\.1:\d+ \(no TLS: set TEND_SMTP_INBOUND_TLS_CERT/);
    expect(second.output()).not.toContain(writeKey);
    expect(second.output()).not.toContain(adminToken);
    const contact = await fetch(`${second.url}/api/v1/contacts/first-user`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(contact.status).toBe(200);

    // A second server on the same data directory is refused with a clear message.
    const clash = await runTend(['start'], { ...environment });
    expect(clash.code).not.toBe(0);
    expect(clash.stderr).toContain('Another Tend process is using the data directory');
    expect(await stop(second)).toBe(0);
  }, 120_000);

  it('refuses bad configuration, naming the variable and what it accepts', async () => {
    const badPort = await runTend(['start'], { ...environment, PORT: 'eighty' });
    expect(badPort.code).not.toBe(0);
    expect(badPort.stderr).toContain('PORT must be a port number from 0 to 65535, got "eighty"');
    const badUrl = await runTend(['start'], { ...environment, DATABASE_URL: 'mysql://nope' });
    expect(badUrl.stderr).toContain('DATABASE_URL must be a PostgreSQL URL');
    const badClock = await runTend(['start'], { ...environment, TEND_CLOCK: 'manual' });
    expect(badClock.stderr).toContain('TEND_CLOCK_START is needed with TEND_CLOCK=manual');
    const noPublicUrl = await runTend(['start'], {
      ...environment,
      TEND_SMTP_URL: 'smtp://127.0.0.1:2525',
      TEND_EMAIL_FROM: 'Acme <hi@acme.example>',
    });
    expect(noPublicUrl.stderr).toContain('TEND_PUBLIC_URL is needed when TEND_SMTP_URL is set');
    const badChannel = await runTend(['start'], {
      ...environment,
      TEND_SMTP_URL: 'http://mail.example.com',
      TEND_PUBLIC_URL: 'https://tend.example.com',
    });
    expect(badChannel.stderr).toContain('TEND_SMTP_URL must start with smtp:// or smtps://');
    expect(badChannel.stderr).toContain('TEND_EMAIL_FROM is required when TEND_SMTP_URL is set');
    const noReplyDomain = await runTend(['start'], { ...environment, TEND_SMTP_INBOUND_PORT: '25' });
    expect(noReplyDomain.stderr).toContain('TEND_SMTP_INBOUND_PORT is set but TEND_REPLY_DOMAIN is not');
  });
});
