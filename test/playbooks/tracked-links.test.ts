// Only links the business wrote go through Tend's /l/ redirect: a URL a write key put into a trait or an
// event property, printed by a template, is sent as it is, so that /l/ on the business's own domain
// never redirects to an address a caller chose.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSmtpServer, type TestSmtpServer } from '../support/fake-providers.js';
import { advance, group, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const playbook = `
id: form-follow-up
name: Form follow-up
version: 1
trigger: { event: Form Submitted }
steps:
  - id: thank
    send:
      channel: email
      template: form-thanks
      variables: { guide: "https://docs.acme.example/guides/{{ account.id }}" }
holdout: 0
reentry: never
`;

const template = `
key: form-thanks
variants:
  en:
    standard:
      subject: "Thanks for your form"
      text: |
        Your site: {{ account.traits.website }}
        The page you sent it from: {{ event.page }}
        Book a call: https://cal.acme.example/rita?kind=call
        Your guide: {{ guide }}
`;

let tend: TestTend;
let smtp: TestSmtpServer;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  const folder = mkdtempSync(join(tmpdir(), 'tend-links-'));
  mkdirSync(join(folder, 'playbooks'));
  mkdirSync(join(folder, 'templates'));
  writeFileSync(join(folder, 'playbooks', 'form-follow-up.yaml'), playbook);
  writeFileSync(join(folder, 'templates', 'form-thanks.yaml'), template);
  tend = await startTestTend({
    clock: { kind: 'manual', start: new Date('2026-05-04T09:00:00Z') },
    playbooks: join(folder, 'playbooks'),
    settings: {
      templatesPath: join(folder, 'templates'),
      channels: { TEND_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, TEND_EMAIL_FROM: 'Acme <hello@acme.example>' },
    },
  });
  await send(tend, [
    { type: 'identify', userId: 'fay', traits: { email: 'fay@formco.example', name: 'Fay' } },
    group('fay', 'formco', { name: 'Form Co', website: 'https://evil.example/phish?from=trait' }),
  ]);
  await send(tend, [track('fay', 'Form Submitted', { page: 'https://evil.example/phish?from=event' })]);
  await advance(tend, 'PT1M');
});
afterAll(async () => {
  await tend?.stop();
  await smtp?.close();
});

describe('tracked links', () => {
  it('tracks links written in the template and the step, and leaves those from traits and events be', async () => {
    const mails = smtp.received.filter((received) => received.recipients.includes('fay@formco.example'));
    expect(mails).toHaveLength(1);
    const text = mails[0]!.mail.text ?? '';
    expect(text).toContain('Your site: https://evil.example/phish?from=trait');
    expect(text).toContain('The page you sent it from: https://evil.example/phish?from=event');
    const tracked = [...text.matchAll(new RegExp(`${tend.url}/l/[A-Za-z0-9_-]{24}`, 'g'))].map((match) => match[0]);
    expect(tracked).toHaveLength(2);
    const targets = [];
    for (const link of tracked) targets.push((await fetch(link, { redirect: 'manual' })).headers.get('location'));
    expect(targets).toEqual(['https://cal.acme.example/rita?kind=call', 'https://docs.acme.example/guides/formco']);
  });
});
