// Twilio's signature covers the URL and the parameters but no time: a captured, correctly signed START
// could be posted again after a later STOP. Each MessageSid is acted on once, so a replay changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../src/channels/twilio-webhooks.js';
import { type FakeTwilio, startFakeTwilio } from '../support/fake-providers.js';
import { send } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const accountSid = `AC${'2'.repeat(32)}`;
const authToken = 'twilio-replay-auth-token';
const rosa = '+41791110000';
let tend: TestTend;
let twilio: FakeTwilio;

beforeAll(async () => {
  twilio = await startFakeTwilio();
  tend = await startTestTend({
    settings: {
      channels: {
        TEND_TWILIO_ACCOUNT_SID: accountSid,
        TEND_TWILIO_AUTH_TOKEN: authToken,
        TEND_TWILIO_FROM: '+14155550100',
        TEND_TWILIO_BASE_URL: twilio.url,
      },
    },
  });
  await send(tend, [{ type: 'identify', userId: 'rosa', traits: { phone: rosa } }]);
});
afterAll(async () => {
  await tend?.stop();
  await twilio?.close();
});

const inbound = (messageSid: string, body: string) => {
  const url = `${tend.url}/webhooks/twilio/inbound`;
  const parameters = { MessageSid: messageSid, AccountSid: accountSid, From: rosa, To: '+14155550100', Body: body };
  const signature = twilioSignature(authToken, url, parameters);
  const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature };
  return fetch(url, { method: 'POST', headers, body: new URLSearchParams(parameters).toString() });
};
const smsConsent = async () => {
  const { consents } = (await tend.admin('/api/v1/contacts/rosa/consents')).body;
  return (consents as { channel: string; status: string }[]).find((consent) => consent.channel === 'sms')?.status;
};

describe('a replayed Twilio message', () => {
  it('changes nothing: a START posted again after a later STOP does not opt the person back in', async () => {
    const stop = `SM${'a'.repeat(32)}`;
    const start = `SM${'b'.repeat(32)}`;
    expect((await inbound(stop, 'STOP')).status).toBe(200);
    expect(await smsConsent()).toBe('opted-out');
    expect((await inbound(start, 'START')).status).toBe(200);
    expect(await smsConsent()).toBe('opted-in');
    expect((await inbound(`SM${'c'.repeat(32)}`, 'STOP')).status).toBe(200);
    expect(await smsConsent()).toBe('opted-out');

    const replayed = await inbound(start, 'START');
    expect(replayed.status).toBe(200);
    expect(await replayed.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    expect(await smsConsent()).toBe('opted-out');
    const changes = (await tend.admin('/api/v1/events?userId=rosa&name=Consent%20Changed')).body.events;
    expect(changes).toHaveLength(3);
  });
});
