// An admin asks Tend to e-mail a person their sign-in link (an invitation): a real SMTP server receives
// a plain, friendly e-mail with the link, and the link signs the person in over HTTP. Without SMTP, for a
// disabled person, or with the SMTP server down, the request is refused clearly and no link is made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSmtpServer, type TestSmtpServer } from '../support/fake-providers.js';
import { clientWithCookie, type Person, signIn } from '../support/people.js';
import { send } from '../support/sign-in-requests.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let smtp: TestSmtpServer;
let tend: TestTend;
let withoutSmtp: TestTend;
let ada: Person;

const invite = (who: Person | TestTend, email: string, body: unknown = { send: true }) =>
  who.post(`/api/v1/users/${email}/sign-in-link`, body);

/** The sign-in links made for a person, as the audit log records them. */
async function linksMadeFor(target: TestTend, email: string): Promise<number> {
  const { body } = await target.admin(`/api/v1/audit-log?action=user.sign-in-link-created&subject=${email}`);
  return body.entries.length;
}

/** Uses a link as the app's sign-in page does: POST with Tend's own Origin. */
const useLink = (url: string) => {
  const path = new URL(url).pathname.replace('/sign-in/', '/api/v1/sign-in/');
  return send(tend.url, { method: 'POST', path, headers: { origin: tend.url } });
};

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  const channels = { TEND_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, TEND_EMAIL_FROM: 'Acme Tend <tend@acme.example>' };
  tend = await startTestTend({ settings: { channels } });
  withoutSmtp = await startTestTend();
  ada = await signIn(tend, { email: 'ada@acme.example', role: 'admin', name: 'Ada Admin' });
  for (const email of ['rita@acme.example', 'sam@acme.example', 'dora@acme.example']) {
    expect((await tend.post('/api/v1/users', { email, role: 'rep', name: email.split('@')[0] })).status).toBe(201);
  }
  expect((await withoutSmtp.post('/api/v1/users', { email: 'rita@acme.example', role: 'rep' })).status).toBe(201);
}, 60_000);
afterAll(async () => {
  await tend?.stop();
  await withoutSmtp?.stop();
  await smtp?.close();
});

describe('e-mailing a sign-in link', () => {
  it('sends a plain invitation from the admin, whose link signs the person in once', async () => {
    const answer = await invite(ada, 'Rita@Acme.example');
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({ sent: true, url: expect.stringMatching(/\/sign-in\/[A-Za-z0-9_-]{43}$/) });

    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail!.recipients).toEqual(['rita@acme.example']);
    expect(mail!.mail.from?.text).toBe('"Acme Tend" <tend@acme.example>');
    expect(mail!.mail.replyTo?.text).toBe('ada@acme.example');
    expect(mail!.mail.subject).toBe('Ada Admin invited you to Tend');
    expect(mail!.mail.text).toContain('Hello rita,');
    expect(mail!.mail.text).toContain('Ada Admin (ada@acme.example) invited you to Tend.');
    expect(mail!.mail.text).toContain(answer.body.url);
    expect(mail!.mail.text).toContain('It works once and expires in 24 hours.');
    expect(mail!.mail.html).toBe(false);
    // A staff e-mail: nothing to unsubscribe from, no tracked links.
    expect(mail!.mail.headers.has('list-unsubscribe')).toBe(false);
    expect(mail!.mail.text).not.toMatch(/\/l\//);

    const used = await useLink(answer.body.url);
    expect(used.status, JSON.stringify(used.body)).toBe(200);
    expect(used.body.person.email).toBe('rita@acme.example');
    const me = await clientWithCookie(tend.url, used.sessionCookie!).get('/api/v1/me');
    expect(me.body).toMatchObject({ signedInWith: 'session', person: { email: 'rita@acme.example' } });
    expect((await useLink(answer.body.url)).status).toBe(404);

    const { body } = await tend.admin('/api/v1/audit-log?action=user.sign-in-link-created&subject=rita@acme.example');
    expect(body.entries[0]).toMatchObject({ actor: 'user ada@acme.example', details: { emailed: true } });
    expect(JSON.stringify(body.entries)).not.toContain(answer.body.url.split('/').pop());
  });

  it('names nobody when the admin token asks, and e-mails nothing unless asked', async () => {
    const sent = await invite(tend, 'sam@acme.example');
    expect(sent.status).toBe(201);
    expect(smtp.received.at(-1)!.mail.subject).toBe('You are invited to Tend');
    expect(smtp.received.at(-1)!.mail.text).toContain('ask an admin of your Tend for a new one');

    const before = smtp.received.length;
    const plain = await fetch(`${tend.url}/api/v1/users/sam@acme.example/sign-in-link`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tend.adminToken}` },
    });
    expect(plain.status).toBe(201);
    expect(await plain.json()).toMatchObject({ sent: false });
    expect((await invite(tend, 'sam@acme.example', { send: false })).body.sent).toBe(false);
    expect(smtp.received).toHaveLength(before);
  });

  it('refuses a disabled person, an unknown one and a rep, and sends nothing', async () => {
    expect((await tend.post('/api/v1/users/dora@acme.example/disable', {})).status).toBe(200);
    const before = smtp.received.length;
    const disabled = await invite(ada, 'dora@acme.example');
    expect(disabled.status).toBe(409);
    expect(disabled.body.message).toMatch(/dora@acme\.example is disabled and cannot sign in: enable them first/);
    expect((await invite(ada, 'nobody@acme.example')).status).toBe(404);
    const rita = await signIn(tend, { email: 'rita@acme.example', role: 'rep' });
    expect((await invite(rita, 'sam@acme.example')).status).toBe(403);
    expect(smtp.received).toHaveLength(before);
    expect(await linksMadeFor(tend, 'dora@acme.example')).toBe(0);
  });

  it('says in the policy whether Tend can e-mail invitations', async () => {
    expect((await ada.get('/api/v1/policy')).body.email).toEqual({ delivery: 'smtp' });
    expect((await withoutSmtp.admin('/api/v1/policy')).body.email).toEqual({ delivery: 'local-mailbox' });
  });

  it('without SMTP, says how to configure it and makes no link', async () => {
    const answer = await invite(withoutSmtp, 'rita@acme.example');
    expect(answer.status).toBe(409);
    expect(answer.body.message).toMatch(/no SMTP server is configured\. Set TEND_SMTP_URL .* and TEND_EMAIL_FROM/);
    expect(answer.body.message).toMatch(/or make the link without sending it/);
    expect(answer.body).not.toHaveProperty('url');
    expect(await linksMadeFor(withoutSmtp, 'rita@acme.example')).toBe(0);
  });

  it('with the SMTP server down, says the e-mail was not sent and makes no link', async () => {
    const port = smtp.port;
    const received = smtp.received;
    await smtp.close();
    const before = await linksMadeFor(tend, 'sam@acme.example');
    const answer = await invite(ada, 'sam@acme.example');
    expect(answer.status).toBe(503);
    expect(answer.body.message).toMatch(/^The invitation e-mail to sam@acme\.example was not sent: /);
    expect(answer.body.message).toMatch(/No sign-in link was made/);
    expect(answer.body.message).not.toMatch(/it will be retried/);
    expect(answer.body).not.toHaveProperty('url');
    expect(await linksMadeFor(tend, 'sam@acme.example')).toBe(before);

    smtp = await startTestSmtpServer({ port });
    const again = await invite(ada, 'sam@acme.example');
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(smtp.received.map((mail) => mail.recipients)).toEqual([['sam@acme.example']]);
    expect(received.length).toBeGreaterThan(0);
  });
});
