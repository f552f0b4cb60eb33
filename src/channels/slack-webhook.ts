// Posts a message to a Slack incoming webhook (a notice to staff), and checks a webhook URL before it is
// kept. The URL is a secret (anyone holding it may post to the channel): errors name its host, never its path.
import { isLoopbackHost } from '../config/loopback-host.js';
import { ChannelError } from './channel-messages.js';

export interface SlackMessage {
  /** Names the message in Tend's records (Slack's incoming webhooks return no id of their own). */
  readonly idempotencyKey: string;
  readonly url: string;
  /** Shown in notifications and where blocks cannot be. */
  readonly text: string;
  readonly blocks: readonly unknown[];
}

export interface SlackSender {
  send(message: SlackMessage): Promise<{ providerMessageId: string }>;
}

/** What is wrong with a Slack incoming-webhook URL, in words for the person who pasted it; null: fine. */
export function slackWebhookUrlProblem(value: string): string | null {
  if (value.length > 500) return 'is too long for a Slack webhook URL (at most 500 characters)';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL; paste the whole incoming-webhook URL Slack gave (https://hooks.slack.com/services/…)';
  }
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return null;
  return `must start with https:// (Slack's incoming webhooks do), not ${url.protocol}//`;
}

/** The host of a webhook URL, all that is shown of it (the path is the secret). */
export function slackWebhookHost(value: string): string {
  try {
    return new URL(value).host;
  } catch {
    return 'an invalid URL';
  }
}

/** Connection failures that happen before a request is written: Slack certainly got nothing. */
const nothingSentCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * A SlackSender over fetch with a bounded wait. A refusal to connect is retried; a timeout or a broken
 * connection after the request left may have posted the message, so it is reported as of unknown outcome.
 */
export function createSlackSender(options: { readonly timeoutMs?: number } = {}): SlackSender {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async send(message) {
      const host = slackWebhookHost(message.url);
      const problem = slackWebhookUrlProblem(message.url);
      if (problem !== null)
        throw new ChannelError('slack', 'misconfigured', false, `The Slack webhook URL (${host}) ${problem}`);
      let response: Response;
      try {
        response = await fetch(message.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'Tend-Notices/1' },
          body: JSON.stringify({ text: message.text, blocks: message.blocks }),
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const code = (error as { cause?: { code?: unknown } }).cause?.code;
        if (typeof code === 'string' && nothingSentCodes.has(code))
          throw new ChannelError('slack', 'unreachable', true, `Could not reach Slack at ${host} (${code}); retried`, {
            cause: error,
          });
        const why = error instanceof Error ? error.name : String(error);
        throw new ChannelError('slack', 'unreachable', false, `Slack at ${host} did not answer (${why})`, {
          cause: error,
          outcomeUnknown: true,
        });
      }
      const said = (await response.text().catch(() => '')).slice(0, 200);
      const status = response.status;
      if (status >= 200 && status < 300) return { providerMessageId: `slack:${message.idempotencyKey}` };
      if (status === 429)
        throw new ChannelError('slack', 'rate-limited', true, `Slack at ${host} asked to slow down (429); retried`);
      if (status >= 500)
        throw new ChannelError('slack', 'provider-error', true, `Slack at ${host} failed (${status} ${said}); retried`);
      if (status >= 300 && status < 400)
        throw new ChannelError(
          'slack',
          'misconfigured',
          false,
          `Slack at ${host} redirects (${status}); check the URL`,
        );
      // 403 action_prohibited, 404 no_service or channel_not_found, 410 channel_is_archived: a person must act.
      throw new ChannelError(
        'slack',
        'misconfigured',
        false,
        `Slack at ${host} refused the message (${status} ${said}); check the webhook URL in the notification settings`,
      );
    },
  };
}
