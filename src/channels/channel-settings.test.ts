import { describe, expect, it } from 'vitest';
import { TendError } from '../domain/errors.js';
import type { ChannelEnvironment } from '../config/settings.js';
import { readChannelSettings } from './channel-settings.js';

const sid = 'AC0123456789abcdef0123456789abcdef';

function problemsOf(environment: ChannelEnvironment): { field: string; message: string }[] {
  try {
    readChannelSettings(environment);
  } catch (error) {
    expect(error).toBeInstanceOf(TendError);
    expect((error as TendError).code).toBe('invalid_configuration');
    return (error as TendError).problems.map(({ field, message }) => ({ field, message }));
  }
  throw new Error('expected the settings to be refused');
}

describe('channel settings', () => {
  it("reads each provider's limit of sends a second, and names a limit that is not one", () => {
    expect(readChannelSettings({ TEND_SMTP_MAX_PER_SECOND: '14', TEND_TWILIO_MAX_PER_SECOND: '0.5' }).paces).toEqual({
      email: 14,
      sms: 0.5,
      webhook: null,
    });
    expect(() => readChannelSettings({ TEND_WEBHOOK_MAX_PER_SECOND: 'fast' })).toThrow(
      'TEND_WEBHOOK_MAX_PER_SECOND must be how many webhook calls a second your provider accepts, a number above 0 ' +
        'and at most 100000 (e.g. 14, or 0.5 for one every two seconds); got "fast"',
    );
    expect(() => readChannelSettings({ TEND_SMTP_MAX_PER_SECOND: '0' })).toThrow(/TEND_SMTP_MAX_PER_SECOND/);
  });

  it('uses the local mailbox for both channels when nothing is configured', () => {
    expect(readChannelSettings({})).toEqual({
      email: {
        kind: 'local-mailbox',
        from: 'Tend <tend@tend.localhost>',
        replyDomain: 'tend.localhost',
        threadReplies: false,
      },
      sms: { kind: 'local-mailbox', from: 'Tend' },
      webhook: { kind: 'local-mailbox' },
      inbound: { kind: 'disabled' },
      paces: { email: null, sms: null, webhook: null },
    });
    expect(readChannelSettings({ TEND_SMTP_URL: '  ', TEND_TWILIO_FROM: '' }).email.kind).toBe('local-mailbox');
  });

  it('reads SMTP with its sender, and the reply domain (defaulting to the sender domain)', () => {
    const settings = readChannelSettings({
      TEND_SMTP_URL: 'smtps://postmaster%40acme.example:p%3Ass@mail.acme.example',
      TEND_EMAIL_FROM: 'Acme <hello@acme.example>',
    });
    expect(settings.email).toEqual({
      kind: 'smtp',
      smtpUrl: 'smtps://postmaster%40acme.example:p%3Ass@mail.acme.example',
      server: {
        secure: true,
        host: 'mail.acme.example',
        port: 465,
        auth: { user: 'postmaster@acme.example', password: 'p:ss' },
      },
      from: 'Acme <hello@acme.example>',
      replyDomain: 'acme.example',
      threadReplies: false,
      allowPlaintext: false,
    });
    const plain = readChannelSettings({
      TEND_SMTP_URL: 'smtp://mail.acme.example',
      TEND_EMAIL_FROM: 'hello@acme.example',
      TEND_REPLY_DOMAIN: 'Reply.Acme.example',
    });
    expect(plain.email).toMatchObject({
      kind: 'smtp',
      server: { secure: false, port: 587, auth: null },
      replyDomain: 'reply.acme.example',
      threadReplies: true,
    });
  });

  it('names the variable for each e-mail problem, and never shows the password', () => {
    expect(problemsOf({ TEND_SMTP_URL: 'smtp://user:hunter2@mail.acme.example' })).toEqual([
      {
        field: 'TEND_EMAIL_FROM',
        message: expect.stringMatching(/^TEND_EMAIL_FROM is required when TEND_SMTP_URL is set/),
      },
    ]);
    const problems = problemsOf({
      TEND_SMTP_URL: 'https://user:hunter2@mail.acme.example',
      TEND_EMAIL_FROM: 'not an address',
      TEND_REPLY_DOMAIN: 'https://reply.acme.example',
    });
    expect(problems.map(({ field }) => field)).toEqual(['TEND_EMAIL_FROM', 'TEND_REPLY_DOMAIN', 'TEND_SMTP_URL']);
    expect(problems.some(({ message }) => message.includes('hunter2'))).toBe(false);
  });

  it('reads Twilio, with the default base URL or a configured one', () => {
    const settings = readChannelSettings({
      TEND_TWILIO_ACCOUNT_SID: sid,
      TEND_TWILIO_AUTH_TOKEN: 'token',
      TEND_TWILIO_FROM: '+14155550100',
    });
    expect(settings.sms).toEqual({
      kind: 'twilio',
      accountSid: sid,
      authToken: 'token',
      from: '+14155550100',
      baseUrl: 'https://api.twilio.com',
    });
    const local = readChannelSettings({
      TEND_TWILIO_ACCOUNT_SID: sid,
      TEND_TWILIO_AUTH_TOKEN: 'token',
      TEND_TWILIO_FROM: `MG${'f'.repeat(32)}`,
      TEND_TWILIO_BASE_URL: 'http://127.0.0.1:4010/',
    });
    expect(local.sms).toMatchObject({ kind: 'twilio', baseUrl: 'http://127.0.0.1:4010' });
  });

  it('names what is missing when Twilio is half configured', () => {
    expect(problemsOf({ TEND_TWILIO_ACCOUNT_SID: sid })).toEqual([
      {
        field: 'TEND_TWILIO_AUTH_TOKEN',
        message: expect.stringMatching(/^TEND_TWILIO_ACCOUNT_SID is set but TEND_TWILIO_AUTH_TOKEN is not/),
      },
      {
        field: 'TEND_TWILIO_FROM',
        message: expect.stringMatching(/^TEND_TWILIO_ACCOUNT_SID is set but TEND_TWILIO_FROM is not/),
      },
    ]);
    expect(
      problemsOf({
        TEND_TWILIO_ACCOUNT_SID: 'SK123',
        TEND_TWILIO_AUTH_TOKEN: 't',
        TEND_TWILIO_FROM: '0791234567',
        TEND_TWILIO_BASE_URL: 'api.twilio.com',
      }),
    ).toEqual([
      { field: 'TEND_TWILIO_ACCOUNT_SID', message: expect.stringContaining('"AC" followed by 32 hexadecimal digits') },
      { field: 'TEND_TWILIO_FROM', message: expect.stringContaining('E.164') },
      { field: 'TEND_TWILIO_BASE_URL', message: expect.stringContaining('http(s) URL') },
    ]);
  });

  it('reads the webhook receiver, and names what is missing or malformed', () => {
    const secret = `whsec_${Buffer.from('thirty-two bytes of webhook key!').toString('base64')}`;
    expect(
      readChannelSettings({ TEND_WEBHOOK_URL: 'https://hooks.acme.example/tend', TEND_WEBHOOK_SECRET: secret }).webhook,
    ).toEqual({ kind: 'receiver', url: 'https://hooks.acme.example/tend', secret });
    expect(problemsOf({ TEND_WEBHOOK_URL: 'https://hooks.acme.example/tend' }).map((problem) => problem.field)).toEqual(
      ['TEND_WEBHOOK_SECRET'],
    );
    expect(problemsOf({ TEND_WEBHOOK_URL: 'ftp://hooks', TEND_WEBHOOK_SECRET: 'plain' })).toEqual([
      { field: 'TEND_WEBHOOK_URL', message: expect.stringContaining('must be an http(s) URL') },
      { field: 'TEND_WEBHOOK_SECRET', message: expect.stringContaining('"whsec_" followed by base64') },
    ]);
  });
});
