// Notices to staff through real channels on the manual clock: an alert step reaches the account's owner
// once by e-mail (a real SMTP server) and once on Slack (a local server playing its incoming webhook), in
// the round that raised it, and never again after a restart; a disabled person gets nothing; each person's
// choices (off, digest) hold; the daily digest arrives at 08:00 in the person's own time zone, not at
// 08:00 UTC, and not at all when there is nothing to say. The settings API names the field it refuses.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSmtpServer, type TestSmtpServer } from '../support/fake-providers.js';
import { type Person, signIn } from '../support/people.js';
import { advance, group, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const playbook = `
id: detractor-alert
name: Detractor alert
version: 1
trigger: { signal: detractor }
steps:
  - id: alert-owner
    alert: { to: owner, message: "A contact gave a low survey score: call them today", dueIn: PT1H }
  - id: call-back
    task: { for: owner, objective: Call back about the survey, dueIn: P2D }
holdout: 0
reentry: never
`;

/** Slack's incoming webhook, played by a local server: what it received, each body parsed. */
const slackPosts: { path: string; body: { text: string; blocks: unknown[] } }[] = [];
const slackSecretPath = '/services/T0001/B0001/notasecretatall';
let slackUrl: string;
let closeSlack: () => Promise<void>;
let smtp: TestSmtpServer;
let first: TestTend;
let tend: TestTend;
let rita: Person;
let mark: Person;
let sam: Person;
const folder = mkdtempSync(join(tmpdir(), 'tend-staff-notices-'));

const settings = () => ({
  channels: { TEND_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, TEND_EMAIL_FROM: 'Tend <tend@acme.example>' },
});
const mailsTo = (address: string) => smtp.received.filter((received) => received.recipients.includes(address));
const digestsTo = (address: string) =>
  mailsTo(address).filter((received) => received.mail.subject?.startsWith('Your Tend digest'));
const slackDigests = () => slackPosts.filter((post) => post.body.text.startsWith('Your Tend digest'));
const survey = (userId: string, groupId: string, owner: string, name: string, profit = 10_000) => [
  { type: 'identify', userId, traits: { email: `${userId}@customer.example`, name: userId } },
  group(userId, groupId, { name, profit, owner }),
  track(userId, 'Survey Answered', { score: 1, comment: 'Nobody calls back' }),
];

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  const slack = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      slackPosts.push({ path: request.url ?? '', body: JSON.parse(body) });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
  slackUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}${slackSecretPath}`;
  closeSlack = () => new Promise<void>((resolve) => slack.close(() => resolve()));
  writeFileSync(join(folder, 'detractor-alert.yaml'), playbook);
  // Monday 09:00 in New York.
  first = await startTestTend({
    clock: { kind: 'manual', start: new Date('2026-05-04T13:00:00Z') },
    playbooks: folder,
    settings: settings(),
  });
  tend = first;
  mark = await signIn(tend, { email: 'mark@acme.example', role: 'manager', name: 'Mark Manager' });
  rita = await signIn(tend, { email: 'rita@acme.example', role: 'rep', name: 'Rita Rep', managerEmail: mark.email });
  sam = await signIn(tend, { email: 'sam@acme.example', role: 'rep', managerEmail: mark.email });
  for (const user of [
    { email: 'dora@acme.example', role: 'rep', managerEmail: mark.email },
    { email: 'ada@acme.example', role: 'admin' },
  ])
    expect((await tend.post('/api/v1/users', user)).status).toBe(201);
  expect((await tend.post('/api/v1/users/dora@acme.example/disable', {})).status).toBe(200);
});

afterAll(async () => {
  await tend?.stop();
  await first?.stop();
  await smtp?.close();
  await closeSlack?.();
});

describe('notification settings', () => {
  it('refuses bad input naming the field, keeps the Slack URL secret, and lets only the person or an admin change them', async () => {
    const own = await rita.get('/api/v1/users/me/notifications');
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      email: { address: 'rita@acme.example' },
      slack: { own: { set: false, host: null }, team: null, inEffect: null },
      timezone: null,
      digestTimezone: 'UTC',
      mayEdit: true,
    });
    const delivery = Object.fromEntries(
      own.body.kinds.map((kind: { kind: string; delivery: string }) => [kind.kind, kind.delivery]),
    );
    expect(delivery).toEqual({
      alert: 'immediately',
      task: 'digest',
      escalation: 'immediately',
      reply: 'immediately',
      signal: 'digest',
    });

    const refused = async (body: unknown, field: string) => {
      const answer = await rita.put('/api/v1/users/me/notifications', body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
      return answer.body;
    };
    expect((await refused({ timezone: 'Mars/Olympus_Mons' }, 'body.timezone')).message).toMatch(/IANA time zone/);
    expect(
      (await refused({ slackWebhookUrl: 'http://hooks.example/services/x' }, 'body.slackWebhookUrl')).message,
    ).toMatch(/https:\/\//);
    await refused({ kinds: { alert: 'sometimes' } }, 'body.kinds.alert');
    expect((await refused({ teamSlackWebhookUrl: slackUrl }, 'body.teamSlackWebhookUrl')).message).toMatch(/managers/);

    const saved = await rita.put('/api/v1/users/me/notifications', {
      timezone: 'America/New_York',
      slackWebhookUrl: slackUrl,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.slack.own).toEqual({ set: true, host: new URL(slackUrl).host });
    expect(saved.body).toMatchObject({ timezone: 'America/New_York', digestTimezone: 'America/New_York' });
    expect(JSON.stringify(saved.body)).not.toContain(slackSecretPath);
    // Accounted for in the audit log, with the channel's host and never the URL.
    const audit = await tend.admin('/api/v1/audit-log?action=user.notifications-changed');
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0]).toMatchObject({
      actor: `user ${rita.email}`,
      subject: rita.email,
      details: { timezone: 'America/New_York', slack: { set: true, host: new URL(slackUrl).host } },
    });
    expect(JSON.stringify(audit.body)).not.toContain(slackSecretPath);

    // A manager sees a rep's settings and may not change them; another rep does not see them at all.
    const seen = await mark.get(`/api/v1/users/${rita.id}/notifications`);
    expect(seen.status).toBe(200);
    expect(seen.body.mayEdit).toBe(false);
    const changed = await mark.put(`/api/v1/users/${rita.id}/notifications`, { kinds: { alert: 'off' } });
    expect(changed.status).toBe(403);
    expect(changed.body.errors[0].field).toBe('id');
    expect((await sam.get(`/api/v1/users/${rita.id}/notifications`)).status).toBe(404);
    // The manager's team webhook reaches a rep with none of their own.
    expect((await mark.put('/api/v1/users/me/notifications', { teamSlackWebhookUrl: slackUrl })).status).toBe(200);
    expect((await sam.get('/api/v1/users/me/notifications')).body.slack.inEffect).toBe('team');
  });
});

describe('an alert step', () => {
  it("reaches the owner once by e-mail and once on Slack with the account's link, in the round that raised it", async () => {
    await send(tend, [
      ...survey('anna', 'kunde', rita.email, 'Kunde AG', 900_000),
      ...survey('dan', 'dolly', 'dora@acme.example', 'Dolly GmbH'),
    ]);
    await advance(tend, 'PT1M');
    const mails = mailsTo(rita.email);
    expect(mails.map((received) => received.mail.subject)).toEqual([
      'Kunde AG: Alert: A contact gave a low survey score: call them today',
    ]);
    expect(mails[0]!.mail.text).toContain(`${tend.url}/accounts/kunde`);
    expect(mails[0]!.mail.html).toContain(`href="${tend.url}/accounts/kunde"`);
    expect(mails[0]!.mail.headers.get('list-unsubscribe')).toBeUndefined();
    expect(slackPosts).toHaveLength(1);
    expect(slackPosts[0]!.path).toBe(slackSecretPath);
    const blocks = JSON.stringify(slackPosts[0]!.body.blocks);
    expect(blocks).toContain('Kunde AG');
    expect(blocks).toContain('The playbook');
    expect(blocks).toContain(`"url":"${tend.url}/accounts/kunde"`);
    // A disabled person gets nothing; the task goes to the digest (its default), not out now.
    expect(mailsTo('dora@acme.example')).toHaveLength(0);
    // No staff row is among the customer's messages (caps, timeline, results).
    const customers = (await tend.admin('/api/v1/outbox?accountId=kunde')).body.messages;
    expect(customers.filter((message: { channel: string }) => message.channel !== 'email')).toEqual([]);
    const staff = (await tend.admin('/api/v1/outbox')).body.messages.filter(
      (message: { channel: string }) => message.channel === 'staff-email' || message.channel === 'slack',
    );
    expect(staff.map((message: { status: string }) => message.status)).toEqual(['sent', 'sent']);
  });

  it('is not sent again after a restart', async () => {
    await first.tend.close();
    tend = await startTestTend({
      restartOf: first,
      playbooks: folder,
      settings: settings(),
      clock: { kind: 'manual', start: new Date('2026-05-04T13:00:00Z') },
    });
    await advance(tend, 'PT2H');
    expect(mailsTo(rita.email).filter((received) => received.mail.subject?.includes('Alert'))).toHaveLength(1);
    expect(slackPosts).toHaveLength(1);
  });

  it("follows the person's choice: off sends nothing, digest keeps it for the morning", async () => {
    const put = (kinds: Record<string, string>) =>
      fetch(`${tend.url}/api/v1/users/${rita.id}/notifications`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tend.adminToken}` },
        body: JSON.stringify({ kinds }),
      });
    expect((await put({ alert: 'off' })).status).toBe(200);
    await send(tend, survey('otto', 'three', rita.email, 'Three Ltd'));
    await advance(tend, 'PT1M');
    expect((await put({ alert: 'digest' })).status).toBe(200);
    await send(tend, survey('fina', 'four', rita.email, 'Four Inc'));
    await advance(tend, 'PT1M');
    expect(mailsTo(rita.email)).toHaveLength(1);
    expect(slackPosts).toHaveLength(1);
  });
});

describe('the daily digest', () => {
  it("arrives at 08:00 in the rep's time zone, not at 08:00 UTC, and not at all for someone with nothing", async () => {
    await advance(tend, 'PT17H');
    expect((await tend.admin('/api/v1/clock')).body.now).toBe('2026-05-05T08:03:00.000Z');
    expect(digestsTo(rita.email)).toHaveLength(0);
    // Her manager keeps UTC (he set no zone): his came at 08:00 UTC, with his team's escalations.
    const managers = digestsTo(mark.email);
    expect(managers).toHaveLength(1);
    expect(managers[0]!.mail.text).toContain('Escalated to you');
    expect(managers[0]!.mail.text).toContain('Kunde AG: A contact gave a low survey score: call them today (rita');
    await advance(tend, 'PT4H');
    const digests = digestsTo(rita.email);
    expect(digests.map((received) => received.mail.subject)).toEqual(['Your Tend digest for 2026-05-05']);
    const text = digests[0]!.mail.text ?? '';
    expect(text).toContain('Your open tasks');
    expect(text).toContain('Call back about the survey');
    expect(text).toContain('Notices kept for your digest');
    expect(text).toContain('Four Inc: Alert: A contact gave a low survey score');
    expect(text).not.toContain('Three Ltd: Alert');
    expect(slackDigests()).toHaveLength(1);
    // Nothing to say: no digest (an admin without accounts or tasks; a disabled rep).
    expect(mailsTo('ada@acme.example')).toHaveLength(0);
    expect(mailsTo('dora@acme.example')).toHaveLength(0);
    // Once a day: the next comes the next morning.
    await advance(tend, 'PT20H');
    expect(digestsTo(rita.email)).toHaveLength(1);
  });
});

describe('signals', () => {
  it('on a top-tier account reach the owner; a customer left waiting reaches the owner, then the manager', async () => {
    const subjects = (address: string) => mailsTo(address).map((received) => received.mail.subject ?? '');
    const admin = { 'content-type': 'application/json', authorization: `Bearer ${tend.adminToken}` };
    const choice = await fetch(`${tend.url}/api/v1/users/${rita.id}/notifications`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ kinds: { signal: 'immediately' } }),
    });
    expect(choice.status).toBe(200);
    // Kunde AG is the valuable one (tier A since the first night's ranking); Three Ltd is not.
    await send(tend, [
      group('anna', 'kunde', { renewalDate: '2026-07-20' }),
      group('otto', 'three', { renewalDate: '2026-07-20' }),
      track('fina', 'Message Replied', { subject: 'Where is my refund?' }),
    ]);
    await advance(tend, 'PT1M');
    expect(subjects(rita.email).filter((subject) => subject.includes('Renewal coming'))).toEqual([
      'Kunde AG: Renewal coming',
    ]);
    await advance(tend, 'PT24H');
    expect(subjects(rita.email).filter((subject) => subject.includes('Waiting for an answer'))).toEqual([
      'Four Inc: Waiting for an answer',
    ]);
    expect(subjects(mark.email).filter((subject) => subject.includes('Still waiting'))).toEqual([]);
    await advance(tend, 'PT24H');
    expect(subjects(mark.email).filter((subject) => subject.includes('Still waiting'))).toEqual([
      'Still waiting for an answer: Four Inc',
    ]);
  });
});

describe("a manager's digest", () => {
  it("names the team's neglect, per rep, with the money at stake, linked to the accounts behind it", async () => {
    // Nobody has spoken to Rita's customers for weeks: her accounts go past their cadence.
    await advance(tend, 'P40D');
    const latest = digestsTo(mark.email).at(-1)!.mail.text ?? '';
    expect(latest).toContain('Neglect in your team');
    expect(latest).toMatch(/rita@acme\.example: \d+ neglected accounts?/);
    expect(latest).toContain('/accounts?owner=rita%40acme.example&signal=neglected');
  });
});
