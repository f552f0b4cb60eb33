// Behind a reverse proxy named in TEND_TRUST_PROXY, the limits per address count the client's own
// address (X-Forwarded-For), not the proxy's, which all requests share; a request from anywhere else
// cannot pick its address with that header.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clocks.js';
import { send } from '../support/sign-in-requests.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const processClock = new ManualClock(new Date('2027-03-01T09:00:00Z'));
let tend: TestTend;

const signIn = (email: string, forwardedFor: string | null, from = '127.0.0.1') =>
  send(tend.url, {
    method: 'POST',
    path: '/api/v1/sessions',
    body: { email, password: 'not the password at all' },
    from,
    ...(forwardedFor === null ? {} : { headers: { 'x-forwarded-for': forwardedFor } }),
  });

beforeAll(async () => {
  tend = await startTestTend({ settings: { processClock, trustProxy: ['127.0.0.1'] } });
});
afterAll(async () => tend?.stop());

describe('a trusted reverse proxy', () => {
  it('counts failed sign-ins per client behind the proxy, and believes the header only from the proxy', async () => {
    for (let attempt = 1; attempt <= 10; attempt++)
      expect((await signIn(`guess-${attempt}@example.test`, '203.0.113.5')).status).toBe(401);
    const refused = await signIn('someone@example.test', '203.0.113.5');
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/from your network address/);
    // Another client behind the same proxy is not held back by the first one's failures.
    expect((await signIn('someone@example.test', '203.0.113.6')).status).toBe(401);
    // Not from the proxy: the header is ignored, the connection's own address counts.
    for (let attempt = 1; attempt <= 10; attempt++)
      expect((await signIn(`other-${attempt}@example.test`, `198.51.100.${attempt}`, '127.0.0.80')).status).toBe(401);
    expect((await signIn('someone@example.test', '198.51.100.99', '127.0.0.80')).status).toBe(429);
  });
});
