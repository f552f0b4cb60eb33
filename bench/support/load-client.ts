// Sends pre-built Tracking API bodies to a Tend over loopback with a fixed number of requests in
// flight (keep-alive connections, as an SDK or a collector would), timing every request. A request
// that fails is retried a bounded number of times, like the Segment SDKs do, and counted.
import { Agent, request } from 'node:http';

export interface LoadResult {
  readonly requests: number;
  readonly wallMilliseconds: number;
  /** Latency of each request that succeeded, in milliseconds, sorted ascending. */
  readonly latencies: Float64Array;
  readonly retries: number;
  readonly failures: number;
  readonly firstFailure: string | null;
  /** Answers with a 5xx status (each attempt counted, retried or not); a Tend under ordinary load gives none. */
  readonly serverErrors: number;
  /** The first few 5xx answers, status and body. */
  readonly serverErrorSamples: readonly string[];
}

export interface LoadOptions {
  readonly url: string;
  readonly writeKey: string;
  readonly concurrency: number;
  readonly maximumAttempts?: number;
  readonly onProgress?: (done: number) => void;
}

export interface Reply {
  readonly status: number;
  readonly text: string;
}

/** One HTTP request over a keep-alive agent. */
export function call(
  agent: Agent,
  base: string,
  method: 'GET' | 'POST',
  path: string,
  authorization: string,
  body?: Buffer,
): Promise<Reply> {
  const url = new URL(base);
  return new Promise((done, failed) => {
    const outgoing = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method,
        path,
        timeout: 60_000,
        headers: {
          authorization,
          ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.once('end', () => done({ status: response.statusCode ?? 0, text }));
        response.once('error', failed);
      },
    );
    outgoing.once('timeout', () => outgoing.destroy(new Error('no answer within 60 s')));
    outgoing.once('error', failed);
    outgoing.end(body);
  });
}

/** The value at quantile q (0…1) of ascending values. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Sends every body once (retrying failures) and reports throughput inputs and latencies. */
export async function sendAll(bodies: Buffer[], options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const authorization = `Basic ${Buffer.from(`${options.writeKey}:`).toString('base64')}`;
  const maximumAttempts = options.maximumAttempts ?? 5;
  const latencies = new Float64Array(bodies.length);
  let succeeded = 0;
  let next = 0;
  let retries = 0;
  let failures = 0;
  let firstFailure: string | null = null;
  let serverErrors = 0;
  const serverErrorSamples: string[] = [];
  const worker = async (): Promise<void> => {
    for (let index = next++; index < bodies.length; index = next++) {
      const body = bodies[index]!;
      for (let attempt = 1; attempt <= maximumAttempts; attempt++) {
        const began = performance.now();
        let problem: string;
        try {
          const answer = await call(agent, options.url, 'POST', '/v1/batch', authorization, body);
          if (answer.status === 200) {
            latencies[succeeded++] = performance.now() - began;
            break;
          }
          problem = `HTTP ${answer.status}: ${answer.text.slice(0, 300)}`;
          if (answer.status >= 500) {
            serverErrors++;
            const sample = `request ${index}, attempt ${attempt}: ${problem}`;
            if (serverErrorSamples.length < 5) serverErrorSamples.push(sample);
          }
        } catch (error) {
          problem = String(error);
        }
        firstFailure ??= problem;
        if (attempt === maximumAttempts) {
          failures++;
          break;
        }
        retries++;
        await new Promise((done) => setTimeout(done, 50 * attempt));
      }
      if (index % 500 === 499) options.onProgress?.(index + 1);
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const wallMilliseconds = performance.now() - began;
  agent.destroy();
  const sorted = latencies.slice(0, succeeded).sort();
  return {
    requests: bodies.length,
    wallMilliseconds,
    latencies: sorted,
    retries,
    failures,
    firstFailure,
    serverErrors,
    serverErrorSamples,
  };
}
