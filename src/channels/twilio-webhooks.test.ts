import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  deliveryEventName,
  isValidTwilioSignature,
  readInboundSms,
  readSmsStatusCallback,
  twilioSignature,
} from './twilio-webhooks.js';

// Twilio's published example (its security docs and the test suites of its helper libraries).
const documented = {
  authToken: '12345',
  url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
  parameters: {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+14158675309',
    Digits: '1234',
    From: '+14158675309',
    To: '+18005551212',
  },
  signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
};

const authToken = 'f00dfeedf00dfeedf00dfeedf00dfeed';
const statusUrl = 'https://tend.acme.example/api/v1/channels/twilio/status?account=acme';
const statusCallback = {
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  ApiVersion: '2010-04-01',
  From: '+15005550006',
  MessageSid: `SM${'b'.repeat(32)}`,
  MessageStatus: 'delivered',
  SmsSid: `SM${'b'.repeat(32)}`,
  SmsStatus: 'delivered',
  To: '+41791234567',
};

/** The signature computed here from Twilio's description, independently of the code under test. */
function signedByHand(token: string, url: string, parameters: Record<string, string>): string {
  const sortedNames = Object.keys(parameters).sort();
  const data = url + sortedNames.map((name) => `${name}${parameters[name]}`).join('');
  return createHmac('sha1', token).update(data).digest('base64');
}

describe('the Twilio request signature', () => {
  it("reproduces Twilio's documented example", () => {
    expect(twilioSignature(documented.authToken, documented.url, documented.parameters)).toBe(documented.signature);
    expect(isValidTwilioSignature(documented)).toBe(true);
  });

  it('accepts a correctly signed status callback, and the URL with the default port added', () => {
    const signature = signedByHand(authToken, statusUrl, statusCallback);
    expect(isValidTwilioSignature({ authToken, url: statusUrl, parameters: statusCallback, signature })).toBe(true);
    const behindProxy = 'https://tend.acme.example:443/api/v1/channels/twilio/status?account=acme';
    expect(isValidTwilioSignature({ authToken, url: behindProxy, parameters: statusCallback, signature })).toBe(true);
  });

  it('rejects a tampered parameter, URL, token, a missing or a malformed signature', () => {
    const signature = signedByHand(authToken, statusUrl, statusCallback);
    const check = (changes: Partial<Parameters<typeof isValidTwilioSignature>[0]>) =>
      isValidTwilioSignature({ authToken, url: statusUrl, parameters: statusCallback, signature, ...changes });
    expect(check({ parameters: { ...statusCallback, MessageStatus: 'failed' } })).toBe(false);
    expect(check({ parameters: { ...statusCallback, Extra: '' } })).toBe(false);
    expect(check({ url: statusUrl.replace('acme', 'evil') })).toBe(false);
    expect(check({ authToken: authToken.replace('f', 'e') })).toBe(false);
    expect(check({ signature: undefined })).toBe(false);
    expect(check({ signature: 'short' })).toBe(false);
  });

  it("signs a repeated parameter's distinct values, sorted, as in Twilio's published duplicate-value example", () => {
    const parameters = { Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234', '1234'] };
    expect(twilioSignature('12345', documented.url, parameters)).toBe('IK+Dwps556ElfBT0I3Rgjkr1wJU=');
  });
});

describe('delivery status callbacks', () => {
  it('reads delivered, undelivered with its error code, sent, queued and an unknown status', () => {
    const read = (changes: Record<string, string>) => readSmsStatusCallback({ ...statusCallback, ...changes });
    expect(read({})).toEqual({
      messageSid: statusCallback.MessageSid,
      to: '+41791234567',
      from: '+15005550006',
      outcome: { kind: 'delivered' },
    });
    expect(read({ MessageStatus: 'undelivered', ErrorCode: '30003' }).outcome).toEqual({
      kind: 'undelivered',
      errorCode: 30003,
    });
    expect(read({ MessageStatus: 'failed' }).outcome).toEqual({ kind: 'failed', errorCode: null });
    expect(read({ MessageStatus: 'sent' }).outcome).toEqual({ kind: 'sent' });
    expect(read({ MessageStatus: 'queued' }).outcome).toEqual({ kind: 'pending', status: 'queued' });
    expect(read({ MessageStatus: 'teleported' }).outcome).toEqual({ kind: 'unrecognised', status: 'teleported' });
    expect(deliveryEventName(read({}).outcome)).toBe('Message Delivered');
    expect(deliveryEventName(read({ MessageStatus: 'undelivered' }).outcome)).toBe('Message Bounced');
    expect(deliveryEventName(read({ MessageStatus: 'sent' }).outcome)).toBeNull();
  });

  it('refuses a callback without a message sid, naming the field', () => {
    expect(() => readSmsStatusCallback({ MessageStatus: 'delivered' })).toThrow(/no MessageSid parameter/);
  });
});

describe('inbound texts', () => {
  const inbound = (body: string) =>
    readInboundSms({ MessageSid: `SM${'c'.repeat(32)}`, From: '+41791234567', To: '+15005550006', Body: body });

  it.each([
    ['STOP', 'opt-out'],
    ['stop', 'opt-out'],
    ['  Stop. ', 'opt-out'],
    ['STOPALL', 'opt-out'],
    ['unsubscribe', 'opt-out'],
    ['Cancel', 'opt-out'],
    ['END', 'opt-out'],
    ['quit!', 'opt-out'],
    ['START', 'opt-in'],
    ['yes', 'opt-in'],
    ['Unstop', 'opt-in'],
    ['HELP', 'help'],
    ['info?', 'help'],
    ['Please stop calling me at work', 'reply'],
    ['Yes please, call me tomorrow', 'reply'],
    ['', 'reply'],
  ])('reads %j as %s', (body, kind) => {
    expect(inbound(body).kind).toBe(kind);
  });

  it('keeps the sender, recipient, body and the keyword as Twilio matched it', () => {
    expect(inbound(' stop ')).toEqual({
      kind: 'opt-out',
      keyword: 'STOP',
      messageSid: `SM${'c'.repeat(32)}`,
      from: '+41791234567',
      to: '+15005550006',
      body: ' stop ',
    });
    expect(inbound('Can we talk on Friday?')).toMatchObject({ kind: 'reply', body: 'Can we talk on Friday?' });
  });
});
