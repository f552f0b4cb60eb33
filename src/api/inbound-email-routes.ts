// Inbound e-mail, posted by the mail service that receives TEND_REPLY_DOMAIN's mail (Postmark, SendGrid,
// Mailgun, or a relay): a reply to a message's thread address, from the person the message went to,
// becomes a Message Replied in that thread, so the answer's speed is measured and journeys see it.
// The post must carry Tend's inbound secret (and Mailgun's signature when its key is set); every
// accepted post gets the same answer, so the webhook does not tell who is a customer.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  type MailgunSignature,
  mailgunSignatureOf,
  mailgunSignatureProblem,
  presentedSecret,
  readInboundMail,
  sameSecret,
} from '../channels/inbound-email.js';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import { type InboundMailDependencies, recordInboundMail } from '../engine/inbound-mail.js';
import { firstReceipt } from '../store/inbound-receipts.js';

interface InboundEmailRouteDependencies extends InboundMailDependencies {
  /** Real time, for the freshness of Mailgun's signature even on a manual business clock. */
  readonly processClock: Clock;
}

/** Mail with attachments is posted as multipart; nothing past this size is read. */
const bodyLimit = 10 * 1024 * 1024;

type Fields = Record<string, unknown>;

function formFields(entries: Iterable<[string, unknown]>): Fields {
  const fields: Fields = {};
  for (const [name, value] of entries) {
    if (typeof value !== 'string') continue; // attachments: not kept
    const existing = fields[name];
    if (existing === undefined) fields[name] = value;
    else fields[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return fields;
}

const notEnabled = () =>
  new TendError(
    'not_found',
    'Inbound e-mail is not enabled here. Set TEND_INBOUND_EMAIL_SECRET and give your mail service ' +
      'https://tend:<secret>@<your Tend>/webhooks/email/inbound (or set TEND_MAILGUN_SIGNING_KEY for Mailgun); ' +
      'see "Inbound e-mail" in the README.',
    [{ field: 'TEND_INBOUND_EMAIL_SECRET', message: 'is not set' }],
  );

const summary =
  'An inbound e-mail (a reply to a thread address): recorded as Message Replied in its thread. ' +
  'Authenticate with TEND_INBOUND_EMAIL_SECRET (HTTP Basic password or bearer) and, ' +
  "with TEND_MAILGUN_SIGNING_KEY set, Mailgun's signature. " +
  'Postmark JSON, Mailgun and SendGrid forms, or {from, to, subject, text, messageId}.';

export async function inboundEmailRoutes(
  server: FastifyInstance,
  dependencies: InboundEmailRouteDependencies,
): Promise<void> {
  const { settings } = dependencies;
  const asText = { parseAs: 'string', bodyLimit } as const;
  const urlEncoded = async (_request: FastifyRequest, body: string) => formFields(new URLSearchParams(body));
  server.addContentTypeParser('application/x-www-form-urlencoded', asText, urlEncoded);
  const asBuffer = { parseAs: 'buffer', bodyLimit } as const;
  server.addContentTypeParser('multipart/form-data', asBuffer, async (request: FastifyRequest, body: Buffer) => {
    try {
      const headers = { 'content-type': String(request.headers['content-type']) };
      return formFields((await new Response(body, { headers }).formData()).entries());
    } catch {
      const problem = 'is not multipart/form-data (a wrong boundary, or cut short)';
      throw new TendError('invalid_request', `The request body ${problem}.`, [{ field: 'body', message: problem }]);
    }
  });

  // Checked before the body is read: a post without the secret costs nothing.
  const checkSecret = async (request: FastifyRequest) => {
    if (settings.kind === 'disabled') throw notEnabled();
    if (settings.secret === null) return;
    const presented = presentedSecret(request.headers.authorization);
    if (presented !== null && sameSecret(presented, settings.secret)) return;
    throw new TendError(
      'unauthorized',
      'This post does not carry TEND_INBOUND_EMAIL_SECRET: give the mail service the URL with it as the ' +
        'HTTP Basic password (https://tend:<secret>@…/webhooks/email/inbound), or send it as a bearer token.',
      [{ field: 'authorization', message: 'is not the inbound e-mail secret' }],
    );
  };

  const accepted = {
    description: 'the same answer for every accepted post, whatever it held',
    type: 'object',
    properties: { accepted: { type: 'boolean', const: true } },
    required: ['accepted'],
  } as const;
  const schema = { tags: ['messages'], summary, security: [{ inboundEmailSecret: [] }], response: { 200: accepted } };
  server.post('/webhooks/email/inbound', { onRequest: checkSecret, schema }, async (request) => {
    if (settings.kind === 'disabled') throw notEnabled();
    const now = () => dependencies.processClock.now();
    const body = request.body;
    const fields = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Fields;
    const key = settings.mailgunSigningKey;
    const signed = key === null ? null : await checkMailgun(dependencies, key, fields);
    const reading = readInboundMail(fields);
    if (reading.kind === 'invalid') {
      const { field, problem } = reading;
      throw new TendError('invalid_request', `The e-mail's ${field} ${problem}.`, [{ field, message: problem }]);
    }
    await recordInboundMail(dependencies, reading.mail);
    if (signed !== null) await firstReceipt(dependencies.database, 'email', `mailgun:${signed.token}`, now());
    // The same answer whoever sent it and whatever thread it names (Mailgun and Postmark retry on anything but 200).
    return { accepted: true };
  });
}

/** Mailgun's signature, correct, fresh and not used before; refused otherwise. */
async function checkMailgun(
  dependencies: InboundEmailRouteDependencies,
  signingKey: string,
  fields: Fields,
): Promise<MailgunSignature> {
  const refuse = (field: string, problem: string) =>
    new TendError('unauthorized', `Mailgun's ${field} ${problem}.`, [{ field, message: problem }]);
  const signed = mailgunSignatureOf(fields);
  if (signed === null) throw refuse('signature', 'is missing (timestamp, token, signature)');
  const problem = mailgunSignatureProblem(signingKey, signed, dependencies.processClock.now());
  if (problem !== null) throw refuse('signature', problem);
  const used = await dependencies.database
    .selectFrom('inbound_receipts')
    .select('reference')
    .where('channel', '=', 'email')
    .where('reference', '=', `mailgun:${signed.token}`)
    .executeTakeFirst();
  if (used) throw refuse('token', 'was already used: a replayed post');
  return signed;
}
