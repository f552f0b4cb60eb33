// Runs `tend start` as a separate process, as a user (or a process manager) does, so that tests can
// stop it with Ctrl-C or kill it outright and start it again on the same store.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const binary = fileURLToPath(new URL('../../bin/tend.js', import.meta.url));

export interface TendProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  output(): string;
}

/**
 * Starts `tend start` (or another serving command, e.g. `['demo', …]`, in `cwd`) and resolves once it
 * prints where it listens (or rejects with its output).
 */
export function startTendProcess(
  environment: Record<string, string>,
  command: { readonly args?: readonly string[]; readonly cwd?: string } = {},
): Promise<TendProcess> {
  const args = [binary, ...(command.args ?? ['start'])];
  const child = spawn(process.execPath, args, { env: { ...process.env, ...environment }, cwd: command.cwd });
  let output = '';
  return new Promise((done, failed) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] && output.includes('Ctrl-C stops')) done({ child, output: () => output, url: match[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => failed(new Error(`tend start exited with ${code}:\n${output}`)));
  });
}

/** Ctrl-C, and the exit code once it has stopped. */
export function interruptTendProcess(started: TendProcess): Promise<number | null> {
  return new Promise((done) => {
    started.child.on('close', (code) => done(code));
    started.child.kill('SIGINT');
  });
}

/** SIGKILL: no shutdown at all, as in a crash or an out-of-memory kill; resolves once it is gone. */
export function killTendProcess(started: TendProcess): Promise<void> {
  return new Promise((done) => {
    if (started.child.exitCode !== null || started.child.signalCode !== null) return done();
    started.child.on('close', () => done());
    started.child.kill('SIGKILL');
  });
}
