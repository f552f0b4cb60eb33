// Runs the real `tend start` as a child process on one fixed port (Twilio and the e-mails carry that
// address), kills it with SIGKILL and starts it again as a process manager would, and times each start
// until /health answers. Its output goes to a log file; lines at error level are kept for the report.
import { type ChildProcess, spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { cpSync, createWriteStream, symlinkSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup } from '../support/cleanup.js';

const checkout = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Copies Tend's code as it is now into `folder` and returns where it is, with the commit it was taken
 * at: every restart of the run must run the same code, while others go on editing the checkout.
 */
export function snapshotOfTheCode(folder: string): { directory: string; version: string } {
  const directory = join(folder, 'code');
  for (const part of ['bin', 'src', 'examples', 'package.json', 'tsconfig.json']) {
    const filter = (path: string) => !path.endsWith('.test.ts');
    cpSync(join(checkout, part), join(directory, part), { recursive: true, filter });
  }
  symlinkSync(join(checkout, 'node_modules'), join(directory, 'node_modules'));
  const git = (...args: string[]) => execFileSync('git', ['-C', checkout, ...args], { encoding: 'utf8' }).trim();
  const changed = git('status', '--porcelain', '--', 'src', 'bin', 'examples').split('\n').filter(Boolean).length;
  const uncommitted = changed > 0 ? ` + ${changed} uncommitted files in src/bin/examples` : '';
  return { directory, version: `${git('rev-parse', '--short', 'HEAD')}${uncommitted}` };
}

export interface Restart {
  /** From spawning the process to /health answering 200. */
  readonly startMilliseconds: number;
  /** From spawning the process to its line saying where it listens. */
  readonly listeningMilliseconds: number | null;
  /** What Tend itself says its start took (opening the store to listening), in seconds. */
  readonly tendSeconds: number | null;
  /** From the kill to /health answering 200 (null for a start that followed no kill). */
  readonly downMilliseconds: number | null;
}

async function healthy(url: string): Promise<boolean> {
  try {
    const answer = await fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) });
    await answer.text();
    return answer.status === 200;
  } catch {
    return false;
  }
}

export class TendRunner {
  private child: ChildProcess | null = null;
  private readonly log: WriteStream;
  private partial = '';
  /** The last lines the process wrote, to say why a start failed. */
  private tail = '';
  private killedAt: number | null = null;
  readonly starts: Restart[] = [];
  readonly errorLines: string[] = [];
  private errorCount = 0;
  /** Lines at warning level (a 503 is logged so), the first of them kept. */
  readonly warningLines: string[] = [];
  warnings = 0;
  kills = 0;
  /** Whether the process is up and answered /health since its last start. */
  up = false;

  constructor(
    readonly url: string,
    private readonly port: number,
    logFile: string,
    /** Where the snapshot of Tend's code is (see snapshotOfTheCode). */
    private readonly code: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  /** Error lines Tend logged (pino level 50 and above), over every start. */
  get errors(): number {
    return this.errorCount;
  }

  /** Starts Tend with `environment` (only these Tend settings) and waits for /health. */
  async start(environment: Record<string, string>, timeoutMilliseconds = 180_000): Promise<Restart> {
    const ours = (name: string) => name.startsWith('TEND_') || ['DATABASE_URL', 'PORT', 'HOST'].includes(name);
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !ours(name)));
    const began = performance.now();
    const env = { ...inherited, ...environment, PORT: String(this.port), HOST: '127.0.0.1' };
    const binary = join(this.code, 'bin', 'tend.js');
    const stdio: ['ignore', 'pipe', 'pipe'] = ['ignore', 'pipe', 'pipe'];
    const child = spawn(process.execPath, [binary, 'start'], { cwd: this.code, env, stdio });
    this.child = child;
    this.log.write(`\n=== start ${new Date().toISOString()} (pid ${child.pid})\n`);
    let listeningMilliseconds: number | null = null;
    let tendSeconds: number | null = null;
    const keep = (chunk: Buffer): void => {
      this.log.write(chunk);
      this.tail = (this.tail + chunk.toString()).slice(-3000);
      const said = /Tend is listening on \S+ \(started in ([\d.]+) s\)/;
      const listening = listeningMilliseconds === null ? said.exec(chunk.toString()) : null;
      if (listening) {
        listeningMilliseconds = performance.now() - began;
        tendSeconds = Number(listening[1]);
      }
      const lines = (this.partial + chunk.toString()).split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) {
        if (/"level":40\b/.test(line)) {
          this.warnings++;
          if (this.warningLines.length < 40) this.warningLines.push(line.slice(0, 3000));
        }
        if (!/"level":(5|6)0\b/.test(line)) continue;
        this.errorCount++;
        if (this.errorLines.length < 40) this.errorLines.push(line.slice(0, 3000));
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const forget = onCleanup(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    child.once('exit', () => {
      forget();
      this.up = false;
    });
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`tend start exited (${child.exitCode ?? child.signalCode}) before answering:\n${this.tail}`);
      }
      if (await healthy(this.url)) break;
      if (performance.now() - began > timeoutMilliseconds) {
        child.kill('SIGKILL');
        throw new Error(`tend start did not answer /health within ${timeoutMilliseconds / 1000} s`);
      }
      await new Promise((done) => setTimeout(done, 20));
    }
    const startMilliseconds = performance.now() - began;
    const downMilliseconds = this.killedAt === null ? null : performance.now() - this.killedAt;
    const restart: Restart = { startMilliseconds, listeningMilliseconds, tendSeconds, downMilliseconds };
    this.killedAt = null;
    this.starts.push(restart);
    this.up = true;
    return restart;
  }

  /** SIGKILL: no shutdown at all, as in a crash or an out-of-memory kill; resolves once it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    this.up = false;
    this.killedAt = performance.now();
    this.log.write(`\n=== SIGKILL ${new Date().toISOString()}\n`);
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGKILL');
    });
    this.kills++;
  }

  /** Ctrl-C: in-flight requests finish and the database closes; resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    this.up = false;
    await new Promise<void>((done) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGINT');
    });
  }

  close(): Promise<void> {
    return new Promise((done) => this.log.end(done));
  }
}
