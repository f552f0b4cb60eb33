// What comes back from the messages Tend sends: clicks on tracked links, one-click unsubscribe (RFC 8058)
// from every e-mail, Twilio's delivery status callbacks and inbound texts (STOP / START / HELP recorded as
// consent, any other text as a message in the contact's conversation). Provider outcomes become events
// (Message Delivered, Message Bounced, Message Replied) that journeys, signals and channel learning read.
// Inbound e-mail has its own secret and file (inbound-email-routes.ts).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { SmsChannelSettings } from '../channels/channel-settings.js';
import {
  deliveryEventName,
  isValidTwilioSignature,
  readInboundSms,
  readSmsStatusCallback,
  type TwilioParameters,
} from '../channels/twilio-webhooks.js';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import { assertNever } from '../domain/tracking-message.js';
import { recordInboundSms } from '../engine/conversation-inbound.js';
import {
  recordContactConsent,
  recordDeliveryOutcome,
  unsubscribeByToken,
  unsubscribeTarget,
} from '../store/consent-store.js';
import { linkTarget, recordLinkClick } from '../store/link-clicks.js';
import { hashMessageToken } from '../channels/link-tracking.js';
import type { Ingest } from '../ingest/ingest-batch.js';
import type { Database } from '../store/schema.js';

export interface MessageRouteDependencies {
  readonly database: Kysely<Database>;
  readonly clock: Clock;
  /** Stores a reply as an event, in its own transaction (ingest-batch.ts). */
  readonly ingest: Ingest;
  readonly sms: SmsChannelSettings;
  /** The public address Twilio was given (signatures are over the URL it called). */
  readonly publicUrl: () => string;
  /** Wakes evaluation after a reply or an outcome is recorded. */
  readonly afterCommit: () => void;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function page(reply: FastifyReply, status: number, title: string, body: string) {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(
      '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
        '<meta name="viewport" content="width=device-width">' +
        `<title>${escapeHtml(title)}</title></head>` +
        '<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem">' +
        `<h1 style="font-size:1.3rem">${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

function formParameters(body: string): TwilioParameters {
  const parameters: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const existing = parameters[name];
    if (existing === undefined) parameters[name] = value;
    else parameters[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return parameters;
}

/** What a page or TwiML answer is, for /docs: declared with its content type (the body is sent as it is). */
const htmlPage = (description: string) =>
  ({ description, content: { 'text/html': { schema: { type: 'string' } } } }) as const;
const twimlAnswer = {
  description: 'TwiML: a reply text to send back, or nothing',
  content: { 'text/xml': { schema: { type: 'string' } } },
} as const;

const twiml = (message: string | null) =>
  '<?xml version="1.0" encoding="UTF-8"?>' +
  `<Response>${message === null ? '' : `<Message>${escapeHtml(message)}</Message>`}</Response>`;

export async function messageRoutes(server: FastifyInstance, dependencies: MessageRouteDependencies): Promise<void> {
  const { database, clock } = dependencies;
  // Mail clients post the one-click body, Twilio posts its parameters: both form-encoded.
  server.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_request, body, done) => done(null, formParameters(body as string)),
  );

  const token = { type: 'string', minLength: 16, maxLength: 200 } as const;
  const unsubscribeParams = { type: 'object', properties: { token }, required: ['token'] } as const;
  const notValid = htmlPage('the link is not valid: nothing changed');
  const asking = {
    tags: ['messages'],
    summary: 'The unsubscribe page of an e-mail (asks before unsubscribing)',
    params: unsubscribeParams,
    response: { 200: htmlPage('asks whether to unsubscribe, with a button'), 404: notValid },
  } as const;
  const unsubscribing = {
    tags: ['messages'],
    summary: 'One-click unsubscribe (RFC 8058): records the opt-out from e-mail',
    params: unsubscribeParams,
    response: { 200: htmlPage('says the person is unsubscribed'), 404: notValid },
  } as const;

  // A link scanner may fetch the link: GET only asks; the button (or the mail client's one-click POST) unsubscribes.
  server.get<{ Params: { token: string } }>('/unsubscribe/:token', { schema: asking }, async (request, reply) => {
    const target = await unsubscribeTarget(database, hashMessageToken(request.params.token));
    if (target === null)
      return page(
        reply,
        404,
        'This unsubscribe link is not valid',
        '<p>It may have been cut short when it was copied. Use the link in the e-mail as it is, ' +
          'or reply to the e-mail and ask to be unsubscribed.</p>',
      );
    return page(
      reply,
      200,
      'Unsubscribe?',
      `<p>Stop e-mails like this one to <strong>${escapeHtml(target.recipient ?? 'you')}</strong>?</p>` +
        '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">' +
        '<button type="submit">Unsubscribe</button></form>',
    );
  });

  server.post<{ Params: { token: string } }>(
    '/unsubscribe/:token',
    { schema: unsubscribing },
    async (request, reply) => {
      const outcome = await unsubscribeByToken(database, hashMessageToken(request.params.token), clock.now());
      if (outcome === null)
        return page(
          reply,
          404,
          'This unsubscribe link is not valid',
          '<p>Nothing was changed. Reply to the e-mail and ask to be unsubscribed, and a person will do it.</p>',
        );
      dependencies.afterCommit();
      return page(
        reply,
        200,
        'You are unsubscribed',
        `<p>We will not send automated e-mails to <strong>${escapeHtml(outcome.recipient ?? 'you')}</strong>` +
          ' any more. If this was a mistake, reply to any of our e-mails.</p>',
      );
    },
  );

  const linkSchema = {
    tags: ['messages'],
    summary: 'A tracked link from an e-mail: records Message Clicked and redirects to the link',
    params: { type: 'object', properties: { token: { ...token, maxLength: 100 } }, required: ['token'] },
    response: {
      302: { description: 'to the link the e-mail held (its address in Location)', type: 'null' },
      404: htmlPage('the link is not valid'),
    },
  } as const;
  server.get<{ Params: { token: string } }>('/l/:token', { schema: linkSchema }, async (request, reply) => {
    // A HEAD (link checkers, previews) is not a person clicking.
    if (request.method === 'HEAD') {
      const target = await linkTarget(database, hashMessageToken(request.params.token));
      return target === null ? reply.status(404).send() : reply.redirect(target, 302);
    }
    const url = await recordLinkClick(database, hashMessageToken(request.params.token), clock.now());
    if (url === null)
      return page(
        reply,
        404,
        'This link is not valid',
        '<p>It may have been cut short when it was copied. Use the link in the e-mail as it is.</p>',
      );
    dependencies.afterCommit();
    return reply.header('cache-control', 'no-store').redirect(url, 302);
  });

  const twilio = dependencies.sms.kind === 'twilio' ? dependencies.sms : null;
  const verifiedParameters = (request: {
    body: unknown;
    url: string;
    headers: Record<string, string | string[] | undefined>;
  }): TwilioParameters => {
    if (twilio === null)
      throw new TendError(
        'not_found',
        'Twilio is not configured here (TEND_TWILIO_ACCOUNT_SID, TEND_TWILIO_AUTH_TOKEN, TEND_TWILIO_FROM), ' +
          'so there is nothing to call back.',
        [{ field: 'TEND_TWILIO_ACCOUNT_SID', message: 'is not set' }],
      );
    const parameters = (
      typeof request.body === 'object' && request.body !== null ? request.body : {}
    ) as TwilioParameters;
    const signature = request.headers['x-twilio-signature'];
    const url = `${dependencies.publicUrl().replace(/\/+$/, '')}${request.url}`;
    if (
      !isValidTwilioSignature({
        authToken: twilio.authToken,
        url,
        parameters,
        signature: typeof signature === 'string' ? signature : undefined,
      })
    ) {
      throw new TendError(
        'unauthorized',
        `The X-Twilio-Signature does not match this request to ${url}: ` +
          "it was not sent by Twilio with this account's auth token, " +
          'or TEND_PUBLIC_URL is not the address Twilio calls.',
        [{ field: 'x-twilio-signature', message: 'does not match' }],
      );
    }
    return parameters;
  };

  const statusSchema = {
    tags: ['messages'],
    summary: "Twilio's delivery status callback for a text Tend sent (signed)",
    response: { 204: { description: 'recorded (or already known)', type: 'null' } },
  } as const;
  type StatusCallback = { Querystring: { outbox?: string } };
  server.post<StatusCallback>('/webhooks/twilio/status', { schema: statusSchema }, async (request, reply) => {
    const parameters = verifiedParameters(request);
    const report = readSmsStatusCallback(parameters);
    const eventName = deliveryEventName(report.outcome);
    await recordDeliveryOutcome(
      database,
      {
        outboxId: request.query.outbox ?? null,
        providerMessageId: report.messageSid,
        outcome: report.outcome.kind,
        eventName,
        detail: 'errorCode' in report.outcome ? report.outcome.errorCode : null,
      },
      clock.now(),
    );
    if (eventName !== null) dependencies.afterCommit();
    return reply.status(204).send();
  });

  const inboundSchema = {
    tags: ['messages'],
    summary: 'An inbound text from Twilio: STOP/START/HELP recorded as consent, anything else as a reply (signed)',
    response: { 200: twimlAnswer },
  } as const;
  server.post('/webhooks/twilio/inbound', { schema: inboundSchema }, async (request, reply) => {
    const parameters = verifiedParameters(request);
    const inbound = readInboundSms(parameters);
    const now = clock.now();
    reply.type('text/xml; charset=utf-8');
    switch (inbound.kind) {
      case 'opt-out':
      case 'opt-in':
        await recordContactConsent(
          database,
          {
            phone: inbound.from,
            channel: 'sms',
            status: inbound.kind === 'opt-out' ? 'opted-out' : 'opted-in',
            source: `sms ${inbound.keyword}`,
            reference: inbound.messageSid,
          },
          now,
        );
        // Twilio itself answers STOP and START on long codes; adding a message would send a second one.
        return twiml(null);
      case 'help':
        return twiml(
          `${twilio?.from ?? 'Tend'}: reply to this number to reach a person; ` +
            'reply STOP to stop these messages, START to receive them again.',
        );
      case 'reply':
        // Into the contact's conversation, where a person answers it.
        await recordInboundSms(dependencies, inbound);
        return twiml(null);
      default:
        return assertNever(inbound);
    }
  });
}
