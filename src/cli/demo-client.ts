// A small client of Tend's public HTTP API for the demo driver: tracking batches with the write key,
// the admin API with a token. A 429 or 503 is waited out as its Retry-After says, as an SDK would.
import type { TrackingMessage } from '../domain/tracking-message.js';

/** Bodies stay under the Tracking API's 500 KB per request. */
const maximumBatchBytes = 450 * 1024;
const inFlight = 4;

export class DemoClient {
  private readonly basic: string;

  constructor(
    readonly url: string,
    writeKey: string,
    private readonly adminToken: string,
  ) {
    this.basic = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  }

  /** Sends messages in order through /v1/batch, several requests at a time; resolves when all are stored. */
  async send(messages: readonly TrackingMessage[]): Promise<void> {
    const bodies: string[] = [];
    let batch: string[] = [];
    let bytes = 0;
    for (const message of messages) {
      const json = JSON.stringify({ ...message, timestamp: message.timestamp?.toISOString() });
      if (bytes + json.length > maximumBatchBytes && batch.length > 0) {
        bodies.push(`{"batch":[${batch.join(',')}]}`);
        batch = [];
        bytes = 0;
      }
      batch.push(json);
      bytes += json.length + 1;
    }
    if (batch.length > 0) bodies.push(`{"batch":[${batch.join(',')}]}`);
    // Requests in flight together may be stored in any order: only history (no two of its batches
    // depend on each other's order beyond the people and accounts sent first) goes out in parallel.
    const first = bodies.shift();
    if (first !== undefined) await this.call('POST', '/v1/batch', first, this.basic);
    let next = 0;
    const worker = async () => {
      while (next < bodies.length) await this.call('POST', '/v1/batch', bodies[next++]!, this.basic);
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, bodies.length) }, worker));
  }

  async get<T>(path: string): Promise<T> {
    return (await this.call('GET', path, undefined, `Bearer ${this.adminToken}`)) as T;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return (await this.call('POST', path, JSON.stringify(body), `Bearer ${this.adminToken}`)) as T;
  }

  /** A GET whose refusal (4xx) is an answer, not a failure: returns the status with the body. */
  async tryGet(path: string): Promise<{ status: number; body: unknown }> {
    return this.request('GET', path, undefined, `Bearer ${this.adminToken}`);
  }

  /** A POST whose refusal (4xx) is an answer, not a failure: returns the status with the body. */
  async tryPost(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
    return this.request('POST', path, JSON.stringify(body), `Bearer ${this.adminToken}`);
  }

  private async call(method: string, path: string, body: string | undefined, authorization: string): Promise<unknown> {
    const answer = await this.request(method, path, body, authorization);
    if (answer.status >= 300)
      throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
    return answer.body;
  }

  private async request(
    method: string,
    path: string,
    body: string | undefined,
    authorization: string,
  ): Promise<{ status: number; body: unknown }> {
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { authorization };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${this.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await response.text();
      if ((response.status === 429 || response.status === 503) && attempt < 20) {
        const seconds = Number(response.headers.get('retry-after') ?? '1');
        await new Promise((resolve) => setTimeout(resolve, Math.min(5, Number.isFinite(seconds) ? seconds : 1) * 1000));
        continue;
      }
      return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
    }
  }
}
