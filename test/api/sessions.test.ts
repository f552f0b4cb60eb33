// A person's session signs them in as themselves: their role decides what the API lets them do, the
// CSRF rule guards their writes, and an ended session, or a disabled person, no longer signs anyone in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clocks.js';
import { endSessionsOf } from '../../src/store/sessions.js';
import { clientWithCookie, signIn } from '../support/people.js';
import { send } from '../support/sign-in-requests.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const processClock = new ManualClock(new Date('2027-03-01T09:00:00Z'));
let tend: TestTend;

beforeAll(async () => {
  tend = await startTestTend({ settings: { processClock } });
});
afterAll(async () => tend?.stop());

describe('sessions', () => {
  it('signs an admin in as an admin, and a rep as a rep (403 on the admin-only API)', async () => {
    const admin = await signIn(tend, { email: 'Ada@Example.test', role: 'admin' });
    const rep = await signIn(tend, { email: 'rita@example.test', role: 'rep' });
    expect((await admin.get('/api/v1/audit-log')).status).toBe(200);
    const refused = await rep.get('/api/v1/audit-log');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('forbidden');
  });

  it('refuses a cookie-signed write without Tend’s own Origin, and accepts one with it', async () => {
    const admin = await signIn(tend, { email: 'owen@example.test', role: 'admin' });
    const body = JSON.stringify({ email: 'new-rep@example.test', role: 'rep' });
    const headers = { cookie: admin.cookie, 'content-type': 'application/json' };
    const missing = await fetch(`${tend.url}/api/v1/users`, { method: 'POST', headers, body });
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as { message: string }).message).toMatch(/Origin/);
    const foreign = await fetch(`${tend.url}/api/v1/users`, {
      method: 'POST',
      headers: { ...headers, origin: 'https://evil.example' },
      body,
    });
    expect(foreign.status).toBe(403);
    const referred = await fetch(`${tend.url}/api/v1/users`, {
      method: 'POST',
      headers: { ...headers, referer: `${tend.url}/settings/users` },
      body,
    });
    expect(referred.status).toBe(201);
    expect((await admin.post('/api/v1/users', { email: 'other-rep@example.test', role: 'rep' })).status).toBe(201);
  });

  it('no longer signs in once the session has ended', async () => {
    const admin = await signIn(tend, { email: 'ended@example.test', role: 'admin' });
    expect((await admin.get('/api/v1/users')).status).toBe(200);
    await endSessionsOf(tend.tend.store.database, admin.id, processClock.now());
    const answer = await admin.get('/api/v1/users');
    expect(answer.status).toBe(401);
    expect(answer.body.message).toMatch(/sign in again/);
  });

  it('ends after the idle days on the process clock, and not before', async () => {
    const admin = await signIn(tend, { email: 'idle@example.test', role: 'admin' });
    processClock.advanceBy(13 * 86_400_000);
    expect((await admin.get('/api/v1/users')).status).toBe(200);
    processClock.advanceBy(13 * 86_400_000);
    expect((await admin.get('/api/v1/users')).status).toBe(200);
    processClock.advanceBy(14 * 86_400_000 + 1_000);
    expect((await admin.get('/api/v1/users')).status).toBe(401);
  });

  it('lets a session that worked lately through while its address is refused for failed authentications', async () => {
    const person = await signIn(tend, { email: 'nat@example.test', role: 'rep' });
    const from = '127.0.0.77';
    const asPerson = () =>
      send(tend.url, { method: 'GET', path: '/api/v1/me', headers: { cookie: person.cookie }, from });
    expect((await asPerson()).status).toBe(200);
    const statuses = [];
    for (let attempt = 0; attempt < 25; attempt++) {
      const wrong = { authorization: `Bearer wrong-token-${attempt}` };
      statuses.push((await send(tend.url, { method: 'GET', path: '/api/v1/me', headers: wrong, from })).status);
    }
    expect(statuses).toContain(429);
    expect((await asPerson()).status).toBe(200);
  });

  it('does not take a made-up cookie', async () => {
    const stranger = clientWithCookie(tend.url, 'tend_session=not-a-session');
    expect((await stranger.get('/api/v1/users')).status).toBe(401);
  });
});
