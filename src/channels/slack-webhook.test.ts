// The Slack incoming webhook, against a local server answering as Slack does: what is retried (a refused
// connection, 429, 5xx), what needs a person (a revoked hook), what may have gone out (no answer in time),
// and which URLs are accepted, with the secret path never in an error.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelError } from './channel-messages.js';
import { createSlackSender, slackWebhookHost, slackWebhookUrlProblem } from './slack-webhook.js';

let server: Server;
let base: string;
const received: unknown[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(JSON.parse(body));
      const status = Number(request.url?.split('/').pop());
      if (request.url?.startsWith('/silent')) return; // never answers
      response.writeHead(Number.isNaN(status) ? 200 : status).end(Number.isNaN(status) ? 'ok' : 'no_service');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const message = (url: string) => ({ idempotencyKey: 'notice-1:slack', url, text: 'Kunde AG: Unhappy', blocks: [] });
const failure = async (url: string, timeoutMs = 2000) => {
  try {
    await createSlackSender({ timeoutMs }).send(message(url));
  } catch (error) {
    expect(error).toBeInstanceOf(ChannelError);
    return error as ChannelError;
  }
  throw new Error('expected a failure');
};

describe('a Slack incoming webhook', () => {
  it('posts the text and blocks as JSON', async () => {
    const sent = await createSlackSender().send(message(`${base}/services/T1/B1/ok`));
    expect(sent.providerMessageId).toBe('slack:notice-1:slack');
    expect(received.at(-1)).toEqual({ text: 'Kunde AG: Unhappy', blocks: [] });
  });

  it('retries 429 and 5xx, and a refused connection; a refusal for good needs a person', async () => {
    for (const status of [429, 500, 503]) {
      const error = await failure(`${base}/services/${status}`);
      expect([error.retryable, error.outcomeUnknown]).toEqual([true, false]);
    }
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await failure(`http://127.0.0.1:${port}/services/T1/B1/secretpath`);
    expect([refused.retryable, refused.outcomeUnknown]).toEqual([true, false]);
    const revoked = await failure(`${base}/services/404`);
    expect([revoked.retryable, revoked.failure]).toEqual([false, 'misconfigured']);
    expect(revoked.message).toContain('no_service');
    expect(refused.message).not.toContain('secretpath');
  });

  it('takes no answer in time as an unknown outcome, never to be sent again', async () => {
    const error = await failure(`${base}/silent/secretpath`, 200);
    expect([error.retryable, error.outcomeUnknown]).toEqual([false, true]);
    expect(error.message).not.toContain('secretpath');
  });

  it('accepts https, and plain http only on this machine', () => {
    expect(slackWebhookUrlProblem('https://hooks.slack.com/services/T1/B1/x')).toBeNull();
    expect(slackWebhookUrlProblem('http://127.0.0.1:8080/services/x')).toBeNull();
    expect(slackWebhookUrlProblem('http://hooks.slack.com/services/x')).toMatch(/https:\/\//);
    expect(slackWebhookUrlProblem('hooks.slack.com/services/x')).toMatch(/not a URL/);
    expect(slackWebhookUrlProblem('https://user:pw@hooks.slack.com/x')).toMatch(/user name or password/);
    expect(slackWebhookHost('https://hooks.slack.com/services/T1/B1/x')).toBe('hooks.slack.com');
  });
});
