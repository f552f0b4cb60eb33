// Runs the real `tend start` (bin/tend.js) as a child process for the benchmarks, as a user would,
// times how long it takes to answer /health, reads its peak memory, and makes sure it never outlives
// the benchmark (killed on exit and on Ctrl-C).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.js';

const binary = fileURLToPath(new URL('../../bin/tend.js', import.meta.url));

export interface TendProcess {
  readonly url: string;
  readonly pid: number;
  /** From spawning the process to /health answering 200. */
  readonly startMilliseconds: number;
  /** The process's peak resident memory so far (VmHWM), in MB; PGlite's worker thread included. */
  peakMemoryMegabytes(): number | null;
  /** The first lines Tend logged at error level or above (pino's JSON lines), to say what a 5xx was. */
  errorLines(): readonly string[];
  /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago on loopback. */
export function freePort(): Promise<number> {
  return new Promise((done, failed) => {
    const server = createServer();
    server.once('error', failed);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

function healthy(url: string): Promise<boolean> {
  return new Promise((done) => {
    const request = get(`${url}/health`, { timeout: 1_000 }, (response) => {
      response.resume();
      response.once('end', () => done(response.statusCode === 200));
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => done(false));
  });
}

export function peakMemoryMegabytesOf(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU seconds the process has used (user + system), from /proc; null where there is no /proc. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Busy and total CPU time of the whole machine so far (all cores), in clock ticks. */
export function machineTicks(): { busy: number; total: number } | null {
  try {
    const numbers = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = numbers.reduce((sum, value) => sum + value, 0);
    // idle and iowait are the 4th and 5th.
    return { busy: total - numbers[3]! - numbers[4]!, total };
  } catch {
    return null;
  }
}

let liftedLimits: string | null = null;

/**
 * A tend.config.yaml whose rate limits no benchmark reaches, with `extra` (YAML lines of other sections)
 * after them; written once per benchmark run and content.
 */
export function benchConfig(extra: readonly string[] = []): string {
  if (extra.length === 0 && liftedLimits !== null) return liftedLimits;
  const folder = mkdtempSync(join(tmpdir(), 'tend-bench-config-'));
  onCleanup(() => rmSync(folder, { recursive: true, force: true }));
  const path = join(folder, 'tend.config.yaml');
  const unlimited = '{ perSecond: 1000000, burst: 1000000 }';
  writeFileSync(
    path,
    `${[
      'limits:',
      '  tracking:',
      `    requests: ${unlimited}`,
      `    events: ${unlimited}`,
      '  admin:',
      `    perToken: ${unlimited}`,
      `    perAddress: ${unlimited}`,
      ...extra,
    ].join('\n')}\n`,
  );
  if (extra.length === 0) liftedLimits = path;
  return path;
}

function exited(child: ChildProcess, milliseconds: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), milliseconds);
    child.once('exit', () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

/**
 * Starts `tend start` with the given settings (only these Tend variables: nothing leaks in from the
 * caller's environment) and resolves once /health answers, or rejects with the process's output.
 */
export async function startTendProcess(
  settings: Record<string, string>,
  timeoutMilliseconds = 120_000,
): Promise<TendProcess> {
  const port = await freePort();
  // A benchmark measures what the machine can take, not the default per-source limits (which would
  // answer 429 past 5,000 events a second): unless it brings its own policy, the limits are lifted.
  if (settings.TEND_CONFIG === undefined) settings = { ...settings, TEND_CONFIG: benchConfig() };
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('TEND_') && name !== 'DATABASE_URL' && name !== 'PORT' && name !== 'HOST',
    ),
  );
  const began = performance.now();
  // BENCH_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles Tend itself, not the benchmark.
  const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
  const child = spawn(process.execPath, [...nodeFlags, binary, 'start'], {
    env: { ...inherited, ...settings, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let partial = '';
  const errorLines: string[] = [];
  const keep = (chunk: Buffer): void => {
    const text = chunk.toString();
    output = (output + text).slice(-20_000);
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (errorLines.length < 20 && /"level":(5|6)0\b/.test(line)) errorLines.push(line.slice(0, 4000));
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const forget = onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = began + timeoutMilliseconds;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`tend start exited (${child.exitCode ?? child.signalCode}) before answering:\n${output}`);
    if (await healthy(url)) break;
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`tend start did not answer /health within ${timeoutMilliseconds / 1000} s:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 25));
  }
  const startMilliseconds = performance.now() - began;
  const pid = child.pid!;
  return {
    url,
    pid,
    startMilliseconds,
    peakMemoryMegabytes: () => peakMemoryMegabytesOf(pid),
    errorLines: () => errorLines,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        if (!(await exited(child, 60_000))) {
          child.kill('SIGKILL');
          await exited(child, 10_000);
        }
      }
      forget();
    },
  };
}
