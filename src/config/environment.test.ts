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

describe('TEND_TRUST_PROXY', () => {
  it('names the proxies to believe: addresses, ranges, named ranges, or a number of hops', () => {
    expect(settingsFrom({}).trustProxy).toBeNull();
    expect(settingsFrom({ TEND_TRUST_PROXY: 'false' }).trustProxy).toBeNull();
    const named = settingsFrom({ TEND_TRUST_PROXY: 'loopback, 10.0.0.0/8,192.168.1.4, fd00::/8' }).trustProxy;
    expect(named).toEqual(['loopback', '10.0.0.0/8', '192.168.1.4', 'fd00::/8']);
    expect(settingsFrom({ TEND_TRUST_PROXY: '2' }).trustProxy).toBe(2);
  });

  it('refuses "true" (anyone could pick their own address) and what is not an address or range', () => {
    expect(() => settingsFrom({ TEND_TRUST_PROXY: 'true' })).toThrow(/not "true": anyone could then choose/);
    expect(() => settingsFrom({ TEND_TRUST_PROXY: '10.0.0.0/33,proxy.example' })).toThrow(
      /holds "10.0.0.0\/33", "proxy.example", which is not an IP address/,
    );
    expect(() => settingsFrom({ TEND_TRUST_PROXY: '0' })).toThrow(/must be 1 to 10, got 0/);
  });
});
