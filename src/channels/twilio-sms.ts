// Sends text messages through Twilio's REST API (Messages resource) with fetch, and sorts Twilio's
// answers into retry-later (429, 5xx, network) or give-up (credentials, bad numbers, opted-out).
import { ChannelError, type SmsSender } from './channel-messages.js';
import { retryAfterMilliseconds } from '../domain/send-pace.js';

export interface TwilioSmsOptions {
  /** TEND_TWILIO_ACCOUNT_SID (AC…). */
  readonly accountSid: string;
  /** TEND_TWILIO_AUTH_TOKEN. */
  readonly authToken: string;
  /** TEND_TWILIO_BASE_URL; default https://api.twilio.com (a compatible provider or a test server otherwise). */
  readonly baseUrl?: string;
  /** Give up on a silent API after this long (default 15 s). */
  readonly timeoutMs?: number;
}

interface TwilioAnswer {
  sid?: unknown;
  status?: unknown;
  code?: unknown;
  message?: unknown;
  more_info?: unknown;
}

// Twilio error codes (https://www.twilio.com/docs/api/errors) that say something about our settings
// or about the recipient, rather than about this one request.
const senderProblems = new Set([21212, 21606, 21659, 21660, 21603]);
const optedOut = 21610;

/** An SmsSender that posts to `{baseUrl}/2010-04-01/Accounts/{sid}/Messages.json` with Basic auth. */
export function createTwilioSmsSender(options: TwilioSmsOptions): SmsSender {
  const baseUrl = (options.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const endpoint = `${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`, 'utf8').toString('base64')}`;
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    async send(sms) {
      const form = new URLSearchParams();
      form.set('To', sms.to);
      // A messaging service (MG…) picks the sending number itself.
      form.set(/^MG[0-9a-f]{32}$/i.test(sms.from) ? 'MessagingServiceSid' : 'From', sms.from);
      form.set('Body', sms.body);
      if (sms.statusCallbackUrl !== undefined) form.set('StatusCallback', sms.statusCallbackUrl);
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form.toString(),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        // A timeout means the request went out and no answer came: Twilio may have queued the message.
        if (error instanceof Error && error.name === 'TimeoutError') {
          throw new ChannelError(
            'sms',
            'unreachable',
            false,
            `Twilio at ${baseUrl} did not answer within ${timeoutMs} ms; ` +
              'it may have taken the message, so it is not sent again',
            { cause: error, outcomeUnknown: true },
          );
        }
        // Only a connection that never opened is certainly unsent; a reset later may have lost Twilio's answer.
        const cause = (error instanceof Error ? error.cause : undefined) as
          | { code?: string; syscall?: string }
          | undefined;
        const neverConnected =
          cause?.syscall === 'connect' ||
          cause?.syscall === 'getaddrinfo' ||
          ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(cause?.code ?? '');
        if (!neverConnected) {
          throw new ChannelError(
            'sms',
            'unreachable',
            false,
            `The connection to Twilio at ${baseUrl} broke before its answer (${describe(error)}); ` +
              'it may have taken the message, so it is not sent again',
            { cause: error, outcomeUnknown: true },
          );
        }
        throw new ChannelError(
          'sms',
          'unreachable',
          true,
          `Could not reach Twilio at ${baseUrl} (${describe(error)}): ` +
            'check TEND_TWILIO_BASE_URL and the network; it will be retried',
          { cause: error },
        );
      }
      const answer = await readAnswer(response);
      if (response.ok) {
        if (typeof answer.sid !== 'string' || answer.sid === '') {
          throw new ChannelError(
            'sms',
            'provider-error',
            false,
            `Twilio answered ${response.status} without a message sid; ` +
              'the message may have been sent, so it is not retried',
            { outcomeUnknown: true },
          );
        }
        return { providerMessageId: answer.sid, status: typeof answer.status === 'string' ? answer.status : 'queued' };
      }
      throw twilioChannelError(
        response.status,
        answer,
        sms.from,
        retryAfterMilliseconds(response.headers.get('retry-after'), Date.now()),
      );
    },
  };
}

async function readAnswer(response: Response): Promise<TwilioAnswer> {
  const body = await response.text().catch(() => '');
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as TwilioAnswer) : {};
  } catch {
    return { message: body.slice(0, 200) };
  }
}

function twilioChannelError(
  status: number,
  answer: TwilioAnswer,
  from: string,
  retryAfterMs: number | null,
): ChannelError {
  const code = typeof answer.code === 'number' ? answer.code : null;
  const said = [
    code === null ? `HTTP ${status}` : `error ${code}`,
    typeof answer.message === 'string' ? answer.message : '',
  ]
    .filter((part) => part !== '')
    .join(': ');
  const more = typeof answer.more_info === 'string' ? ` (${answer.more_info})` : '';
  if (status === 429)
    return new ChannelError('sms', 'rate-limited', true, `Twilio asked to slow down (${said}); it will be retried`, {
      retryAfterMs,
    });
  if (status >= 500)
    return new ChannelError('sms', 'provider-error', true, `Twilio failed on its side (${said}); it will be retried`);
  if (status === 401 || status === 403) {
    return new ChannelError(
      'sms',
      'misconfigured',
      false,
      `Twilio refused the credentials (${said}): check TEND_TWILIO_ACCOUNT_SID and TEND_TWILIO_AUTH_TOKEN`,
    );
  }
  if (status === 404) {
    return new ChannelError(
      'sms',
      'misconfigured',
      false,
      `Twilio does not know this account or path (${said}): check TEND_TWILIO_ACCOUNT_SID and TEND_TWILIO_BASE_URL`,
    );
  }
  if (code === optedOut)
    return new ChannelError(
      'sms',
      'recipient-opted-out',
      false,
      `The recipient has replied STOP to this sender (${said})${more}`,
    );
  if (code !== null && senderProblems.has(code)) {
    return new ChannelError(
      'sms',
      'misconfigured',
      false,
      `Twilio cannot send from "${from}" (${said}): check TEND_TWILIO_FROM${more}`,
    );
  }
  return new ChannelError('sms', 'rejected', false, `Twilio refused the message (${said})${more}`);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
