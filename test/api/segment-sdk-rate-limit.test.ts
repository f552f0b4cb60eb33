// The official Segment SDK (@segment/analytics-node), unchanged, sending past a source's limits: it
// reads Retry-After from Tend's 429, waits, and sends again, so every event arrives in the end. The
// limits are real time (the SDK waits in real time too), small enough that the run takes seconds.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;

beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'tend-sdk-limits-')), 'tend.config.yaml');
  // 4 requests and 15 events a second: 8 batches of 6 sent at once meet both limits.
  writeFileSync(
    file,
    'limits:\n  tracking:\n    requests: { perSecond: 4, burst: 4 }\n    events: { perSecond: 15, burst: 15 }\n',
  );
  tend = await startTestTend({ configPath: file });
});
afterAll(async () => tend?.stop());

describe('@segment/analytics-node past the limits', () => {
  it('waits as Retry-After says and delivers every event', { timeout: 60_000 }, async () => {
    const analytics = new Analytics({
      writeKey: tend.writeKey,
      host: tend.url,
      path: '/v1/batch',
      flushAt: 6,
      flushInterval: 60_000,
      maxRetries: 3,
    });
    const errors: unknown[] = [];
    const answers: { status: number; retryAfter: string | undefined }[] = [];
    analytics.on('error', (error) => errors.push(error));
    analytics.on('http_response', (response) =>
      answers.push({ status: response.status, retryAfter: response.headers['retry-after'] }),
    );
    for (let index = 0; index < 48; index++)
      analytics.track({ userId: 'sdk-limited', event: 'Feature Used', properties: { index } });
    await analytics.closeAndFlush({ timeout: 50_000 });

    expect(errors).toEqual([]);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((answer) => Number(answer.retryAfter) >= 1)).toBe(true);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(8);
    expect(answers.every((answer) => answer.status === 200 || answer.status === 429)).toBe(true);
    const events = (await tend.admin('/api/v1/events?userId=sdk-limited&limit=1000')).body.events as {
      properties: { index: number };
    }[];
    expect(events.map((event) => event.properties.index).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 48 }, (_, index) => index),
    );
  });
});
