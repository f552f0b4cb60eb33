// Signing in, in Chromium, on a fresh Tend: the first admin from the set-up link `tend start` printed, a
// rep by the one-time link an admin made (choosing a password there), a wrong password refused without
// saying whether the e-mail exists, the right one let in, and signing out ending the session for good.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, Window, withoutChromium } from '../../support/browser.js';
import { clientWithCookie } from '../../support/people.js';
import { startTestTend, type TestTend } from '../../support/test-tend.js';

const admin = { name: 'Ada Admin', email: 'ada@tend.example', password: 'a garden full of tulips' };
const rep = { name: 'Rita Novak', email: 'rita@tend.example', password: 'rita keeps her promises' };

describe.skipIf(withoutChromium)('signing in to the app', () => {
  let tend: TestTend;
  let browser: Browser;
  const windows: Window[] = [];
  const newWindow = async (cookie: string | null = null) => {
    const window = await Window.open(browser, tend.url, cookie);
    windows.push(window);
    return window;
  };
  /** The session cookie a window holds (`tend_session=…`). */
  const sessionOf = async (window: Window) => {
    const cookie = (await window.context.cookies()).find((candidate) => candidate.name === 'tend_session');
    expect(cookie, 'a session cookie').toBeDefined();
    return `tend_session=${cookie!.value}`;
  };

  beforeAll(async () => {
    // Chromium first: without it (under TEND_REQUIRE_CHROMIUM=1) no Tend is left running.
    browser = await launchChromium();
    tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-03-02T09:00:00Z') } });
  });
  afterAll(async () => {
    for (const window of windows) await window.close();
    await browser?.close();
    await tend?.stop();
  });

  it('creates the first admin through the set-up link, who lands on a Today that says how to begin', async () => {
    const setupUrl = tend.tend.createdSecrets.setupUrl;
    expect(setupUrl, 'tend start made a set-up link on a store without an admin').toBeTruthy();
    const window = await newWindow();
    const page = await window.visit(new URL(setupUrl!).pathname, { heading: 'Set up Tend' });
    await window.check('setup');
    await page.getByLabel('Your name').fill(admin.name);
    await page.getByLabel('Your e-mail').fill(admin.email);
    await page.getByLabel('Password', { exact: true }).fill(admin.password);
    await page.getByLabel('Password again').fill(admin.password);
    await page.getByRole('button', { name: 'Create the admin and sign in' }).click();
    await page.waitForURL('**/today');
    await window.settled('Today');
    await page.getByRole('heading', { name: 'Tend has no customers yet' }).waitFor();
    await window.check('today-fresh-install');
    const me = await clientWithCookie(tend.url, await sessionOf(window)).get('/api/v1/me');
    expect(me.body.person).toMatchObject({ email: admin.email, name: admin.name, role: 'admin' });
  });

  it('signs a rep in by the link an admin made; they set a password there', async () => {
    expect((await tend.post('/api/v1/users', { email: rep.email, name: rep.name, role: 'rep' })).status).toBe(201);
    const link = await tend.post(`/api/v1/users/${rep.email}/sign-in-link`, {});
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    const window = await newWindow();
    const page = await window.visit(new URL(link.body.url).pathname, { heading: `Welcome, ${rep.name}` });
    await window.check('sign-in-link');
    await page.getByLabel('New password', { exact: true }).fill(rep.password);
    await page.getByLabel('New password again').fill(rep.password);
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.getByText('Your password is set').waitFor();
    await page.getByRole('link', { name: 'Go to Today' }).click();
    await window.settled('Today');
    const me = await clientWithCookie(tend.url, await sessionOf(window)).get('/api/v1/me');
    expect(me.body.person).toMatchObject({ email: rep.email, role: 'rep', hasPassword: true });
  });

  it('ends the session on Sign out: the old cookie is refused by the API', async () => {
    const window = windows[1]!;
    const before = await sessionOf(window);
    expect((await clientWithCookie(tend.url, before).get('/api/v1/me')).status).toBe(200);
    await window.page.getByRole('button', { name: 'Sign out' }).click();
    await window.page.waitForURL('**/sign-in');
    await window.settled('Sign in');
    const after = await clientWithCookie(tend.url, before).get('/api/v1/me');
    expect(after.status).toBe(401);
    // Back to a page of the app: the sign-in page again, not the rep's data.
    await window.page.goto(`${tend.url}/accounts`);
    await window.page.waitForURL('**/sign-in?next=%2Faccounts');
    await window.settled('Sign in');
  });

  it('refuses a wrong password without telling whether the e-mail exists, then lets the right one in', async () => {
    const window = await newWindow();
    const page = await window.visit('/sign-in', { heading: 'Sign in', expectedStatuses: [401] });
    await window.check('sign-in');
    const attempt = async (email: string, password: string) => {
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Password').fill(password);
      const answered = page.waitForResponse((response) => response.url().endsWith('/api/v1/sessions'));
      await page.getByRole('button', { name: 'Sign in' }).click();
      return (await answered).status();
    };
    expect(await attempt(rep.email, 'not her password at all')).toBe(401);
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    const wrongPassword = await refusal.innerText();
    expect(wrongPassword).toMatch(/not right/);
    await window.check('sign-in-refused');
    expect(await attempt('nobody@tend.example', 'not her password at all')).toBe(401);
    await refusal.waitFor();
    expect(await refusal.innerText()).toBe(wrongPassword);
    expect(await attempt(rep.email, rep.password)).toBe(200);
    await page.waitForURL('**/today');
    await window.settled('Today');
    await page.getByRole('heading', { name: 'You own no accounts yet' }).waitFor();
    await window.check('today-rep-without-accounts');
  });
});
