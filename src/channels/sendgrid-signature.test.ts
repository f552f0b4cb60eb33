import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readSendgridPublicKey, sendgridSignatureProblem } from './sendgrid-signature.js';

const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const asSendgridShowsIt = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const now = new Date('2026-05-04T09:00:00Z');
const timestamp = String(now.getTime() / 1000);
const body = Buffer.from('--xYzZY\r\nContent-Disposition: form-data; name="to"\r\n\r\nlog@r.example\r\n--xYzZY--\r\n');
const signatureOf = (signedBody: Buffer, at = timestamp) =>
  sign('sha256', Buffer.concat([Buffer.from(at), signedBody]), privateKey).toString('base64');

describe("SendGrid's Inbound Parse signature", () => {
  it('reads the key as SendGrid shows it (base64 DER) or as PEM, and refuses anything else', () => {
    expect(readSendgridPublicKey(asSendgridShowsIt)).not.toBeNull();
    expect(readSendgridPublicKey(publicKey.export({ format: 'pem', type: 'spki' }).toString())).not.toBeNull();
    expect(readSendgridPublicKey('not a key')).toBeNull();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(readSendgridPublicKey(rsa.export({ format: 'der', type: 'spki' }).toString('base64'))).toBeNull();
  });

  it('accepts its signature over timestamp and raw body; refuses a changed body, a stale or missing one', () => {
    const key = readSendgridPublicKey(asSendgridShowsIt)!;
    expect(sendgridSignatureProblem(key, signatureOf(body), timestamp, body, now)).toBeNull();
    const changed = Buffer.from(body.toString().replace('log@', 'lag@'));
    expect(sendgridSignatureProblem(key, signatureOf(body), timestamp, changed, now)).toMatch(/does not match/);
    expect(sendgridSignatureProblem(key, 'garbage', timestamp, body, now)).toMatch(/does not match/);
    const old = String(now.getTime() / 1000 - 3600);
    expect(sendgridSignatureProblem(key, signatureOf(body, old), old, body, now)).toMatch(/15 minutes/);
    expect(sendgridSignatureProblem(key, undefined, timestamp, body, now)).toMatch(/is missing/);
  });
});
