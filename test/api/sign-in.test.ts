// People sign in with e-mail and password over HTTP: the cookie's attributes, a generic refusal that
// does not tell whether the address is known, the 11th failure refused per account and per address (on
// the process clock), signing out, and a new password ending the person's other sessions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clocks.js';
import { clientWithCookie, signIn } from '../support/people.js';
import { passwordSignIn, send } from '../support/sign-in-requests.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const processClock = new ManualClock(new Date('2027-03-01T09:00:00Z'));
const password = 'a long and happy password';
let tend: TestTend;

/** A person with a password, set through the API from a session as the app does it. */
async function personWithPassword(email: string, role: 'rep' | 'manager' | 'admin' = 'rep') {
  const person = await signIn(tend, { email, role });
  const set = await person.put('/api/v1/me/password', { newPassword: password });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
  return person;
}

beforeAll(async () => {
  tend = await startTestTend({ settings: { processClock } });
});
afterAll(async () => tend?.stop());

describe('signing in with a password', () => {
  it('sets an HttpOnly, SameSite=Lax cookie (not Secure over http) that signs the person in', async () => {
    await personWithPassword('paula@example.test', 'manager');
    const answer = await passwordSignIn(tend.url, 'Paula@Example.test', password);
    expect(answer.status).toBe(200);
    expect(answer.body.person).toMatchObject({ email: 'paula@example.test', role: 'manager', hasPassword: true });
    expect(answer.body.person).not.toHaveProperty('passwordHash');
    const line = answer.setCookies.find((cookie) => cookie.startsWith('tend_session='))!;
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Lax/);
    expect(line).toMatch(/; Path=\//);
    expect(line).not.toMatch(/Secure/);
    const me = await clientWithCookie(tend.url, answer.sessionCookie!).get('/api/v1/me');
    expect(me.status).toBe(200);
    const paula = { email: 'paula@example.test' };
    expect(me.body).toMatchObject({ signedInWith: 'session', role: 'manager', person: paula });
  });

  it('refuses a wrong password and an unknown address with the same words', async () => {
    await personWithPassword('wendy@example.test');
    const wrong = await passwordSignIn(tend.url, 'wendy@example.test', 'not the password', '127.0.0.40');
    const unknown = await passwordSignIn(tend.url, 'nobody@example.test', password, '127.0.0.40');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe('E-mail or password is not right');
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.sessionCookie).toBeNull();
  });

  it('refuses a sign-in posted from another site’s page (login CSRF)', async () => {
    const answer = await send(tend.url, {
      method: 'POST',
      path: '/api/v1/sessions',
      body: { email: 'paula@example.test', password },
      headers: { origin: 'https://evil.example' },
    });
    expect(answer.status).toBe(403);
    expect(answer.sessionCookie).toBeNull();
  });

  it('refuses the 11th failure for one account, from any address, until the window has passed', async () => {
    await personWithPassword('felix@example.test');
    for (let attempt = 1; attempt <= 10; attempt++) {
      const from = `127.0.0.${100 + attempt}`;
      const failed = await passwordSignIn(tend.url, 'felix@example.test', `wrong ${attempt}`, from);
      expect(failed.status).toBe(401);
    }
    const refused = await passwordSignIn(tend.url, 'felix@example.test', password, '127.0.0.120');
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/for this e-mail address/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    processClock.advanceBy(15 * 60_000 + 1_000);
    expect((await passwordSignIn(tend.url, 'felix@example.test', password, '127.0.0.120')).status).toBe(200);
  });

  it('counts parallel guesses too: of 30 at once for one account, only 10 are tried', async () => {
    await personWithPassword('hugo@example.test');
    const guesses = Array.from({ length: 30 }, (_, index) =>
      passwordSignIn(tend.url, 'hugo@example.test', `guess ${index}`, `127.0.1.${index + 1}`),
    );
    const statuses = (await Promise.all(guesses)).map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
    processClock.advanceBy(15 * 60_000 + 1_000);
  });

  it('refuses the 11th failure from one address, whatever the accounts', async () => {
    await personWithPassword('gina@example.test');
    for (let attempt = 1; attempt <= 10; attempt++) {
      const failed = await passwordSignIn(tend.url, `guess-${attempt}@example.test`, 'wrong', '127.0.0.60');
      expect(failed.status).toBe(401);
    }
    const refused = await passwordSignIn(tend.url, 'gina@example.test', password, '127.0.0.60');
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/from your network address/);
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await passwordSignIn(tend.url, 'gina@example.test', password, '127.0.0.61')).status).toBe(200);
  });
});

describe('sessions over HTTP', () => {
  it('signing out ends the session: the cookie no longer works', async () => {
    await personWithPassword('sam@example.test');
    const signedIn = await passwordSignIn(tend.url, 'sam@example.test', password);
    const sam = clientWithCookie(tend.url, signedIn.sessionCookie!);
    expect((await sam.get('/api/v1/me')).status).toBe(200);
    const withoutOrigin = await send(tend.url, {
      method: 'DELETE',
      path: '/api/v1/sessions/current',
      headers: { cookie: sam.cookie },
    });
    expect(withoutOrigin.status).toBe(403);
    const out = await sam.delete('/api/v1/sessions/current');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/tend_session=;/);
    expect((await sam.get('/api/v1/me')).status).toBe(401);
    // Signing in again forgets the ended session: the table keeps only sessions that work.
    await passwordSignIn(tend.url, 'sam@example.test', password);
    const sessions = await tend.tend.store.database
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.revoked_at'])
      .where('users.email', '=', 'sam@example.test')
      .execute();
    expect(sessions).toEqual([{ revoked_at: null }, { revoked_at: null }]);
  });

  it('a new password ends the person’s other sessions, and keeps the one that changed it', async () => {
    await personWithPassword('carla@example.test');
    const session = async () => (await passwordSignIn(tend.url, 'carla@example.test', password)).sessionCookie!;
    const first = clientWithCookie(tend.url, await session());
    const second = clientWithCookie(tend.url, await session());
    const tooShort = await first.put('/api/v1/me/password', { currentPassword: password, newPassword: 'short' });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.message).toMatch(/at least 10 characters/);
    const missingCurrent = await first.put('/api/v1/me/password', { newPassword: 'another long password' });
    expect(missingCurrent.status).toBe(400);
    expect(missingCurrent.body.errors[0].field).toBe('body.currentPassword');
    const change = { currentPassword: password, newPassword: 'another long password' };
    const changed = await first.put('/api/v1/me/password', change);
    expect(changed.status).toBe(200);
    expect(changed.body.otherSessionsEnded).toBeGreaterThanOrEqual(1);
    expect((await first.get('/api/v1/me')).status).toBe(200);
    expect((await second.get('/api/v1/me')).status).toBe(401);
    expect((await passwordSignIn(tend.url, 'carla@example.test', password)).status).toBe(401);
    expect((await passwordSignIn(tend.url, 'carla@example.test', 'another long password')).status).toBe(200);
  });

  it('says who an admin token is', async () => {
    const me = await tend.admin('/api/v1/me');
    expect(me).toEqual({ status: 200, body: { signedInWith: 'admin-token', role: 'admin', person: null } });
  });
});

describe('the cookie behind https', () => {
  let secure: TestTend;
  beforeAll(async () => {
    secure = await startTestTend({ settings: { publicUrl: 'https://tend.example.test' } });
  });
  afterAll(async () => secure?.stop());

  it('is Secure when TEND_PUBLIC_URL is https, and writes from that origin pass the CSRF rule', async () => {
    const person = await signIn(secure, { email: 'hugo@example.test', role: 'admin' });
    const set = await person.put('/api/v1/me/password', { newPassword: password });
    expect(set.status).toBe(200);
    const answer = await passwordSignIn(secure.url, 'hugo@example.test', password);
    expect(answer.status).toBe(200);
    expect(answer.setCookies.find((cookie) => cookie.startsWith('tend_session='))).toMatch(/; Secure/);
    const proxied = await send(secure.url, {
      method: 'POST',
      path: '/api/v1/users',
      body: { email: 'ivy@example.test', role: 'rep' },
      headers: { cookie: answer.sessionCookie!, origin: 'https://tend.example.test', host: 'internal:8080' },
    });
    expect(proxied.status).toBe(201);
  });
});
