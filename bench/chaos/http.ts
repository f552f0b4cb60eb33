// Calls to Tend as a well-behaved client makes them through a crash: a refused or broken connection,
// a 5xx, or a 429 is tried again (429 after its Retry-After) with the same body, until Tend takes it.
// Every 5xx and 429 is counted: the promise is that Tend answers 5xx only when its database is away.

export interface Answer {
  readonly status: number;
  readonly text: string;
}

export interface Tally {
  requests: number;
  serverErrors: number;
  throttled: number;
  connectionFailures: number;
  readonly serverErrorSamples: string[];
}

export const newTally = (): Tally => ({
  requests: 0,
  serverErrors: 0,
  throttled: 0,
  connectionFailures: 0,
  serverErrorSamples: [],
});

export interface CallOptions {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly timeoutMilliseconds?: number;
}

/** One HTTP call; throws on a network failure (Tend down, killed mid-request, silent). */
export async function call(url: string, options: CallOptions = {}): Promise<Answer & { retryAfter: string | null }> {
  const answer = await fetch(url, {
    method: options.method ?? 'GET',
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.body === undefined ? {} : { body: options.body }),
    redirect: 'manual',
    signal: AbortSignal.timeout(options.timeoutMilliseconds ?? 60_000),
  });
  return { status: answer.status, text: await answer.text(), retryAfter: answer.headers.get('retry-after') };
}

const pause = (milliseconds: number) => new Promise((done) => setTimeout(done, milliseconds));

/**
 * Calls until Tend answers with something other than a 5xx or a 429 (which it returns, 2xx or 4xx),
 * backing off from 100 ms to 2 s between tries, as the Segment SDKs do; `label` names 5xx samples.
 */
export async function callUntilAnswered(
  url: string,
  options: CallOptions,
  tally: Tally,
  label: string,
): Promise<Answer> {
  let wait = 100;
  for (;;) {
    tally.requests++;
    try {
      const answer = await call(url, options);
      if (answer.status === 429) {
        tally.throttled++;
        const seconds = Number(answer.retryAfter);
        await pause(Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 30) * 1000 : wait);
        continue;
      }
      if (answer.status >= 500) {
        tally.serverErrors++;
        const sample = `${label}: HTTP ${answer.status} ${answer.text.slice(0, 400)}`;
        if (tally.serverErrorSamples.length < 10) tally.serverErrorSamples.push(sample);
      } else {
        return { status: answer.status, text: answer.text };
      }
    } catch {
      tally.connectionFailures++;
    }
    await pause(wait);
    wait = Math.min(2_000, wait * 2);
  }
}
