import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../test/support/self-signed.js';
import type { ChannelEnvironment } from '../config/settings.js';
import { TendError } from '../domain/errors.js';
import { readChannelSettings } from './channel-settings.js';

function problemsOf(environment: ChannelEnvironment): { field: string; message: string }[] {
  try {
    readChannelSettings(environment);
  } catch (error) {
    expect(error).toBeInstanceOf(TendError);
    return (error as TendError).problems.map(({ field, message }) => ({ field, message }));
  }
  throw new Error('expected the settings to be refused');
}

const replyDomain = { TEND_REPLY_DOMAIN: 'Replies.Acme.example' };

describe('inbound e-mail settings', () => {
  it('listens for mail with a port and the reply domain: on every address, 10 MiB at most, no TLS', () => {
    expect(readChannelSettings({ ...replyDomain, TEND_SMTP_INBOUND_PORT: '2525' }).inbound).toEqual({
      kind: 'enabled',
      replyDomain: 'replies.acme.example',
      webhook: null,
      smtp: { host: '0.0.0.0', port: 2525, maxBytes: 10 * 1024 * 1024, tls: null, senderChecks: 'enforce' },
    });
    const webhookOnly = readChannelSettings({ TEND_INBOUND_EMAIL_SECRET: 'inbound-secret-0123456789' }).inbound;
    expect(webhookOnly).toMatchObject({
      kind: 'enabled',
      smtp: null,
      webhook: { secret: 'inbound-secret-0123456789' },
    });
  });

  it('names each wrong or missing variable', () => {
    expect(problemsOf({ TEND_SMTP_INBOUND_PORT: '25' })).toEqual([
      {
        field: 'TEND_REPLY_DOMAIN',
        message: expect.stringMatching(/^TEND_SMTP_INBOUND_PORT is set but TEND_REPLY_DOMAIN/),
      },
    ]);
    const wrong = {
      ...replyDomain,
      TEND_SMTP_INBOUND_PORT: 'smtp',
      TEND_SMTP_INBOUND_HOST: 'http://0.0.0.0',
      TEND_SMTP_INBOUND_MAX_BYTES: '10MB',
      TEND_SMTP_INBOUND_TLS_CERT: '/nowhere/cert.pem',
    };
    expect(problemsOf(wrong).map((problem) => problem.field)).toEqual([
      'TEND_SMTP_INBOUND_PORT',
      'TEND_SMTP_INBOUND_HOST',
      'TEND_SMTP_INBOUND_MAX_BYTES',
      'TEND_SMTP_INBOUND_TLS_KEY',
    ]);
    expect(problemsOf({ TEND_SMTP_INBOUND_MAX_BYTES: '1000' })).toEqual([
      { field: 'TEND_SMTP_INBOUND_MAX_BYTES', message: expect.stringMatching(/TEND_SMTP_INBOUND_PORT is not/) },
    ]);
  });

  it('checks senders unless told off, and names a wrong word', () => {
    const port = { ...replyDomain, TEND_SMTP_INBOUND_PORT: '25' };
    const off = readChannelSettings({ ...port, TEND_SMTP_INBOUND_SENDER_CHECKS: 'Off' }).inbound;
    expect(off).toMatchObject({ smtp: { senderChecks: 'off' } });
    expect(problemsOf({ ...port, TEND_SMTP_INBOUND_SENDER_CHECKS: 'strict' })).toEqual([
      {
        field: 'TEND_SMTP_INBOUND_SENDER_CHECKS',
        message: expect.stringMatching(/^TEND_SMTP_INBOUND_SENDER_CHECKS must be enforce .* or off .*, got "strict"$/),
      },
    ]);
    expect(problemsOf({ TEND_SMTP_INBOUND_SENDER_CHECKS: 'off' })).toEqual([
      { field: 'TEND_SMTP_INBOUND_SENDER_CHECKS', message: expect.stringMatching(/TEND_SMTP_INBOUND_PORT is not/) },
    ]);
  });

  it('reads a certificate and key for STARTTLS, and refuses a missing file or a key of another certificate', () => {
    const first = selfSignedCertificate();
    const second = selfSignedCertificate();
    const tls = { ...replyDomain, TEND_SMTP_INBOUND_PORT: '0' };
    const settings = readChannelSettings({
      ...tls,
      TEND_SMTP_INBOUND_TLS_CERT: first.certPath,
      TEND_SMTP_INBOUND_TLS_KEY: first.keyPath,
    });
    expect(settings.inbound).toMatchObject({ smtp: { tls: { cert: expect.any(Buffer), key: expect.any(Buffer) } } });
    const missing = problemsOf({
      ...tls,
      TEND_SMTP_INBOUND_TLS_CERT: first.certPath,
      TEND_SMTP_INBOUND_TLS_KEY: '/nope',
    });
    expect(missing).toEqual([
      {
        field: 'TEND_SMTP_INBOUND_TLS_KEY',
        message: expect.stringMatching(/names "\/nope", which cannot be read \(ENOENT\)/),
      },
    ]);
    const mismatched = problemsOf({
      ...tls,
      TEND_SMTP_INBOUND_TLS_CERT: first.certPath,
      TEND_SMTP_INBOUND_TLS_KEY: second.keyPath,
    });
    expect(mismatched).toEqual([
      { field: 'TEND_SMTP_INBOUND_TLS_CERT', message: expect.stringMatching(/not a usable pair/) },
    ]);
    const notPem = join(first.certPath, '..', 'not.pem');
    writeFileSync(notPem, 'hello');
    const garbage = problemsOf({ ...tls, TEND_SMTP_INBOUND_TLS_CERT: notPem, TEND_SMTP_INBOUND_TLS_KEY: notPem });
    expect(garbage.map((problem) => problem.field)).toEqual(['TEND_SMTP_INBOUND_TLS_CERT']);
  });

  it("reads SendGrid's public key, and refuses a wrong one or two services' keys at once", () => {
    const problems = problemsOf({
      TEND_SENDGRID_INBOUND_PUBLIC_KEY: 'not-a-key',
      TEND_MAILGUN_SIGNING_KEY: 'key-0123456789',
    });
    expect(problems).toEqual([
      { field: 'TEND_SENDGRID_INBOUND_PUBLIC_KEY', message: expect.stringMatching(/not an elliptic-curve public key/) },
      { field: 'TEND_SENDGRID_INBOUND_PUBLIC_KEY', message: expect.stringMatching(/both set/) },
    ]);
  });
});
