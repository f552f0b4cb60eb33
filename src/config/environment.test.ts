import { describe, expect, it } from 'vitest';
import { settingsFrom } from './environment.js';

const twilio = {
  TEND_TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
  TEND_TWILIO_AUTH_TOKEN: 'token',
  TEND_TWILIO_FROM: '+14155550100',
};

describe('TEND_PUBLIC_URL with Twilio', () => {
  it('must be https, and the error names the variable', () => {
    const refusal = /^TEND_PUBLIC_URL must be an https:\/\/ address when Twilio is configured/;
    expect(() => settingsFrom({ ...twilio, TEND_PUBLIC_URL: 'http://tend.example.com' })).toThrow(refusal);
    const secure = settingsFrom({ ...twilio, TEND_PUBLIC_URL: 'https://tend.example.com/' });
    expect(secure.publicUrl).toBe('https://tend.example.com');
  });

  it('may be plain http on this machine (a local stand-in for Twilio), and without Twilio', () => {
    const local = settingsFrom({ ...twilio, TEND_PUBLIC_URL: 'http://127.0.0.1:3000' });
    expect(local.publicUrl).toBe('http://127.0.0.1:3000');
    expect(settingsFrom({ TEND_PUBLIC_URL: 'http://tend.example.com' }).publicUrl).toBe('http://tend.example.com');
  });
});
