// `npm run web:screenshots`: the README's two pictures of the app, taken in Chromium from the demo company
// (`tend demo` in a temporary folder, on a fixed story day so that the pictures only change with the app):
// Sam Fischer's Today as docs/images/today.png and Maria Keller's Oversight as docs/images/oversight.png,
// at 1280×800. Signs in with the one-time links the demo prints. Set TEND_CHROMIUM if Chromium is elsewhere.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));
const images = join(root, 'docs', 'images');
const storyDay = '2026-06-01';
const viewport = { width: 1280, height: 800 };

interface Demo {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  readonly output: string;
}

function chromiumPath(): string {
  const system = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const candidates = [process.env.TEND_CHROMIUM, ...system];
  const found = candidates.find((path) => path !== undefined && path !== '' && existsSync(path));
  if (found === undefined) {
    throw new Error('No Chromium found: install it (apt-get install chromium) or set TEND_CHROMIUM.');
  }
  return found;
}

/** Starts the demo company in its own folder and waits until it prints its links. */
function startDemo(folder: string): Promise<Demo> {
  const args = [join(root, 'bin', 'tend.js'), 'demo', '--fresh', '--data', join(folder, 'demo'), '--today', storyDay];
  // The demo makes its own store; the caller's store settings must not reach it.
  const env = { ...process.env, DATABASE_URL: '', TEND_DATA_DIR: '', TEND_PUBLIC_URL: '', TEND_LOG_LEVEL: '' };
  const child = spawn(process.execPath, [...args, '--port', '0', '--host', '127.0.0.1'], { cwd: folder, env });
  let output = '';
  return new Promise((done, failed) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /listening on (http:\/\/\S+)/.exec(output);
      if (listening?.[1] && output.includes('Ctrl-C stops')) done({ child, url: listening[1], output });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('close', (code) => failed(new Error(`tend demo exited with ${code}:\n${output}`)));
  });
}

/** The one-time sign-in link the demo printed for a person. */
function linkOf(demo: Demo, name: string): string {
  const line = demo.output.split('\n').find((candidate) => candidate.includes(name) && candidate.includes('/sign-in/'));
  const link = line === undefined ? undefined : /(http:\/\/\S+\/sign-in\/\S+)/.exec(line)?.[1];
  if (link === undefined) throw new Error(`tend demo printed no sign-in link for ${name}:\n${demo.output}`);
  return link;
}

/** Opens the link as the person would, and leaves them on Today. */
async function signedIn(browser: Browser, link: string, name: string): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/Berlin' });
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole('heading', { level: 1, name: `Welcome, ${name}` }).waitFor();
  await page.getByRole('link', { name: 'Not now: go to Today' }).click();
  await loaded(page, 'Today');
  return page;
}

async function loaded(page: Page, heading: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.locator('.loading').first().waitFor({ state: 'detached' });
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'tend-screenshots-'));
  let demo: Demo | null = null;
  let browser: Browser | null = null;
  try {
    const began = performance.now();
    [demo, browser] = await Promise.all([
      startDemo(folder),
      chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] }),
    ]);
    console.log(`demo company ready in ${((performance.now() - began) / 1000).toFixed(1)} s at ${demo.url}`);
    mkdirSync(images, { recursive: true });

    const sam = await signedIn(browser, linkOf(demo, 'Sam Fischer'), 'Sam Fischer');
    await sam.locator('.today-entry').first().waitFor();
    await sam.screenshot({ path: join(images, 'today.png') });

    const maria = await signedIn(browser, linkOf(demo, 'Maria Keller'), 'Maria Keller');
    await maria.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Oversight' }).click();
    await loaded(maria, 'Oversight');
    await maria.locator('.chart-canvas canvas').first().waitFor();
    await maria.screenshot({ path: join(images, 'oversight.png') });
    console.log(`wrote ${join('docs', 'images', 'today.png')} and ${join('docs', 'images', 'oversight.png')}`);
  } finally {
    await browser?.close();
    if (demo !== null) {
      const { child } = demo;
      await new Promise((done) => {
        child.removeAllListeners('close');
        child.on('close', done);
        child.kill('SIGINT');
      });
    }
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
