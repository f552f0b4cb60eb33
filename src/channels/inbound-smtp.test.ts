import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeDns, sendsFromHere } from '../../test/support/fake-dns.js';
import type { SenderVerdict } from '../domain/mail/sender-verdict.js';
import type { InboundMail } from './inbound-email.js';
import { type InboundSmtpListener, startInboundSmtp } from './inbound-smtp.js';

const replyDomain = 'replies.acme.example';
const listeners: InboundSmtpListener[] = [];
afterEach(async () => {
  for (const listener of listeners.splice(0)) await listener.close();
});

// Anna's domain sends from this machine; no other has records.
const resolver = fakeDns(sendsFromHere('kunde.example'));

async function listen(
  receive: (mail: InboundMail, sender: SenderVerdict) => Promise<void>,
  errors: unknown[] = [],
  senderChecks: 'enforce' | 'off' = 'enforce',
) {
  const settings = { host: '127.0.0.1', port: 0, maxBytes: 4096, tls: null, senderChecks };
  const onError = (error: unknown) => errors.push(error);
  const listener = await startInboundSmtp({ settings, replyDomain, receive, onError, resolver });
  listeners.push(listener);
  return listener;
}

async function deliver(port: number, mail: nodemailer.SendMailOptions) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail(mail);
    return { code: Number(String(info.response).slice(0, 3)), text: String(info.response) };
  } catch (error) {
    const failure = error as { responseCode?: number; response?: string };
    return { code: failure.responseCode ?? 0, text: failure.response ?? '' };
  } finally {
    transport.close();
  }
}

const reply = {
  from: 'anna@kunde.example',
  to: `reply+${'a'.repeat(32)}@${replyDomain}`,
  subject: 'Re: hello',
  text: 'Yes please',
};

describe('the inbound SMTP listener', () => {
  it('answers 250 only once the message is recorded', async () => {
    let record: () => void = () => undefined;
    let arrived: (mail: InboundMail) => void = () => undefined;
    const arrival = new Promise<InboundMail>((resolve) => (arrived = resolve));
    const received: InboundMail[] = [];
    const senders: SenderVerdict[] = [];
    const listener = await listen(
      (mail, sender) =>
        new Promise<void>((resolve) => {
          received.push(mail);
          senders.push(sender);
          record = resolve;
          arrived(mail);
        }),
    );
    let answered = false;
    const sending = deliver(listener.port, reply).then((answer) => {
      answered = true;
      return answer;
    });
    await arrival;
    expect(answered).toBe(false);
    record();
    expect((await sending).code).toBe(250);
    expect(received[0]).toMatchObject({ from: 'anna@kunde.example', text: 'Yes please', automatic: false });
    expect(senders).toEqual([{ kind: 'verified', domain: 'kunde.example', by: 'spf' }]);
  });

  it("hands on the sender checks' verdict, or none when they are off", async () => {
    const senders: SenderVerdict[] = [];
    const receive = async (_mail: InboundMail, sender: SenderVerdict) => void senders.push(sender);
    const checking = await listen(receive);
    expect((await deliver(checking.port, { ...reply, from: 'sam@acme.example' })).code).toBe(250);
    const off = await listen(receive, [], 'off');
    expect((await deliver(off.port, { ...reply, from: 'sam@acme.example' })).code).toBe(250);
    expect(senders).toEqual([
      {
        kind: 'unverified',
        reason: expect.stringMatching(/acme\.example publishes no DMARC record; SPF is none/),
        refuse: false,
      },
      { kind: 'unchecked' },
    ]);
  });

  it('answers 451, for the sender to retry, when recording fails', async () => {
    const errors: unknown[] = [];
    const listener = await listen(async () => {
      throw new Error('the database is away');
    }, errors);
    const answer = await deliver(listener.port, reply);
    expect(answer.code).toBe(451);
    expect(answer.text).toMatch(/try again later/);
    expect(errors).toHaveLength(1);
  });

  it('takes mail for the reply domain only, at most maxBytes, and asks no one to log in', async () => {
    const listener = await listen(async () => undefined);
    const elsewhere = await deliver(listener.port, { ...reply, to: 'someone@elsewhere.example' });
    expect(elsewhere).toMatchObject({ code: 550 });
    expect(elsewhere.text).toMatch(/Tend takes mail for @replies\.acme\.example only/);
    expect((await deliver(listener.port, { ...reply, text: 'x'.repeat(5000) })).code).toBe(552);
    expect(listener.tls).toBe(false);
  });
});
