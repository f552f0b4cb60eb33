// First start and one-time links: the set-up link creates the first admin once (refused when used,
// expired, or once an admin exists, with nothing stored), an admin's sign-in links sign a person in
// once, and disabling a person ends their session, their links and their sign-ins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clocks.js';
import { setupTokenIfNoAdmin } from '../../src/store/one-time-links.js';
import { clientWithCookie, type Person, signIn } from '../support/people.js';
import { passwordSignIn, send } from '../support/sign-in-requests.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const processClock = new ManualClock(new Date('2027-03-01T09:00:00Z'));
const password = 'the first admin’s password';
let tend: TestTend;
/** The first admin, signed in by the set-up link. */
let admin: ReturnType<typeof clientWithCookie>;

const tokenOf = (url: string): string => url.split('/').pop()!;
const setUp = (token: string, body: object, headers: Record<string, string> = {}) =>
  send(tend.url, { method: 'POST', path: `/api/v1/setup/${token}`, body, headers });
const useLink = (url: string) => send(tend.url, { method: 'POST', path: `/api/v1/sign-in/${tokenOf(url)}` });
const firstAdmin = { name: 'Ada Admin', email: 'Ada@Example.test', password };

beforeAll(async () => {
  tend = await startTestTend({ settings: { processClock } });
});
afterAll(async () => tend?.stop());

describe('the first admin', () => {
  it('tend start made a set-up link because the store has no admin; it expires after 24 hours', async () => {
    const url = tend.tend.createdSecrets.setupUrl!;
    expect(url).toMatch(new RegExp(`^${tend.url}/setup/[A-Za-z0-9_-]{43}$`));
    const token = tokenOf(url);
    const state = async () => (await send(tend.url, { method: 'GET', path: `/api/v1/setup/${token}` })).body;
    expect(await state()).toEqual({ valid: true, reason: null });
    processClock.advanceBy(24 * 3_600_000 + 1_000);
    expect(await state()).toEqual({ valid: false, reason: 'expired' });
    const refused = await setUp(token, firstAdmin);
    expect(refused.status).toBe(404);
    expect(refused.body.message).toMatch(/expired/);
    expect((await tend.admin('/api/v1/users')).body.users).toEqual([]);
  });

  it('creates the first admin once, signs them in, and refuses a second set-up', async () => {
    const database = tend.tend.store.database;
    const token = (await setupTokenIfNoAdmin(database, processClock.now()))!;
    const spare = (await setupTokenIfNoAdmin(database, processClock.now()))!;
    const short = await setUp(token, { ...firstAdmin, password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.message).toMatch(/at least 10 characters/);
    expect((await setUp(token, firstAdmin, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await tend.admin('/api/v1/users')).body.users).toEqual([]);

    const created = await setUp(token, firstAdmin, { origin: tend.url });
    expect(created.status).toBe(201);
    const ada = { email: 'ada@example.test', name: 'Ada Admin', role: 'admin', hasPassword: true };
    expect(created.body.person).toMatchObject(ada);
    admin = clientWithCookie(tend.url, created.sessionCookie!);
    expect((await admin.get('/api/v1/me')).body.person.email).toBe('ada@example.test');

    const again = await setUp(token, { ...firstAdmin, email: 'eve@example.test' });
    expect(again.status).toBe(404);
    expect(again.body.message).toMatch(/used already/);
    const other = await setUp(spare, { ...firstAdmin, email: 'eve@example.test' });
    expect(other.status).toBe(409);
    expect(other.body.message).toMatch(/has an admin already/);
    expect((await send(tend.url, { method: 'GET', path: `/api/v1/setup/${spare}` })).body.reason).toBe('admin-exists');
    expect(await setupTokenIfNoAdmin(database, processClock.now())).toBeNull();
    expect((await passwordSignIn(tend.url, 'ada@example.test', password)).status).toBe(200);
  });
});

describe('sign-in links', () => {
  it('signs a person in once; they may then set a password without an old one', async () => {
    expect((await admin.post('/api/v1/users', { email: 'rita@example.test', role: 'rep' })).status).toBe(201);
    const made = await admin.post('/api/v1/users/Rita@Example.test/sign-in-link', {});
    expect(made.status).toBe(201);
    expect(made.body.url).toMatch(new RegExp(`^${tend.url}/sign-in/[A-Za-z0-9_-]{43}$`));
    const signedIn = await useLink(made.body.url);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.person).toMatchObject({ email: 'rita@example.test', role: 'rep', hasPassword: false });
    const rita = clientWithCookie(tend.url, signedIn.sessionCookie!);
    expect((await rita.put('/api/v1/me/password', { newPassword: 'rita’s own password' })).status).toBe(200);
    expect((await passwordSignIn(tend.url, 'rita@example.test', 'rita’s own password')).status).toBe(200);
    const twice = await useLink(made.body.url);
    expect(twice.status).toBe(404);
    expect(twice.body.message).toMatch(/used already/);
    const log = await admin.get('/api/v1/audit-log?action=user.sign-in-link-created');
    expect(log.body.entries[0]).toMatchObject({ actor: 'user ada@example.test', subject: 'rita@example.test' });
    expect(JSON.stringify(log.body)).not.toContain(made.body.url.split('/').pop());
  });

  it('expires after 24 hours; only an admin makes one; an unknown person has none', async () => {
    await tend.post('/api/v1/users', { email: 'late@example.test', role: 'rep' });
    const made = await tend.post('/api/v1/users/late@example.test/sign-in-link', {});
    expect(made.status).toBe(201);
    processClock.advanceBy(24 * 3_600_000 + 1_000);
    const expired = await useLink(made.body.url);
    expect(expired.status).toBe(404);
    expect(expired.body.message).toMatch(/expired/);
    const rep = await signIn(tend, { email: 'nosy@example.test', role: 'rep' });
    expect((await rep.post('/api/v1/users/late@example.test/sign-in-link', {})).status).toBe(403);
    expect((await tend.post('/api/v1/users/nobody@example.test/sign-in-link', {})).status).toBe(404);
  });
});

describe('managing people', () => {
  let rep: Person;
  beforeAll(async () => {
    rep = await signIn(tend, { email: 'dora@example.test', role: 'rep' });
    expect((await rep.put('/api/v1/me/password', { newPassword: 'dora’s password' })).status).toBe(200);
  });

  it('a role changed through POST /api/v1/users applies to the person’s session at once', async () => {
    expect((await rep.get('/api/v1/me')).body.role).toBe('rep');
    expect((await admin.post('/api/v1/users', { email: 'dora@example.test', role: 'manager' })).status).toBe(201);
    expect((await rep.get('/api/v1/me')).body.role).toBe('manager');
    expect((await admin.post('/api/v1/users', { email: 'dora@example.test', role: 'rep' })).status).toBe(201);
  });

  it('disabling ends the session, stops links and sign-in; enabling lets the person in again', async () => {
    const link = await admin.post(`/api/v1/users/${rep.id}/sign-in-link`, {});
    expect((await rep.post('/api/v1/users/dora@example.test/disable', {})).status).toBe(403);
    const disabled = await admin.post(`/api/v1/users/${rep.id}/disable`, {});
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ email: 'dora@example.test', disabled: true });
    // The user list says so too, for the settings page.
    const users: { email: string }[] = (await admin.get('/api/v1/users')).body.users;
    const listed = users.find((user) => user.email === 'dora@example.test');
    expect(listed).toMatchObject({ disabled: true });
    expect((await rep.get('/api/v1/me')).status).toBe(401);
    const byPassword = await passwordSignIn(tend.url, 'dora@example.test', 'dora’s password');
    expect(byPassword.status).toBe(403);
    expect(byPassword.body.message).toMatch(/disabled/);
    expect((await useLink(link.body.url)).status).toBe(404);
    expect((await admin.post(`/api/v1/users/${rep.id}/sign-in-link`, {})).status).toBe(409);
    const log = await admin.get('/api/v1/audit-log?action=user.disabled');
    expect(log.body.entries[0]).toMatchObject({ actor: 'user ada@example.test', subject: 'dora@example.test' });

    const enabled = await admin.post('/api/v1/users/dora@example.test/enable', {});
    expect(enabled.body).toMatchObject({ disabled: false });
    expect((await passwordSignIn(tend.url, 'dora@example.test', 'dora’s password')).status).toBe(200);
    // The link made before she was disabled stays spent: enabling brings no old link back.
    expect((await useLink(link.body.url)).status).toBe(404);
  });

  it('an admin cannot disable themself', async () => {
    const refused = await admin.post('/api/v1/users/ada@example.test/disable', {});
    expect(refused.status).toBe(409);
    expect((await admin.get('/api/v1/me')).status).toBe(200);
  });
});
