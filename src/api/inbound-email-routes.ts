// Inbound e-mail, posted by the mail service that receives TEND_REPLY_DOMAIN's mail (Postmark, SendGrid,
// Mailgun, or a relay), goes the way mail to Tend's own SMTP listener goes (engine/inbound-mail-router.ts):
// a reply into its thread, a rep's copy to log@ into the rep's touches, a delivery report to bounces; the
// service's own verdict on the sender decides whether the From address is believed (posted-sender-checks.ts).
// The post must carry Tend's inbound secret, and the service's signature where it signs (Mailgun,
// SendGrid with a Parse security policy; Postmark does not sign); every accepted post gets the same
// answer, so the webhook does not tell who is a customer.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  type InboundMail,
  type MailgunSignature,
  mailgunSignatureOf,
  mailgunSignatureProblem,
  presentedSecret,
  readInboundMail,
  sameSecret,
} from '../channels/inbound-email.js';
import { readMimeMail } from '../channels/inbound-mime.js';
import { postedSenderVerdict } from '../channels/posted-sender-checks.js';
import type { InboundWebhookSettings } from '../channels/inbound-settings.js';
import {
  sendgridSignatureHeader,
  sendgridSignatureProblem,
  sendgridTimestampHeader,
} from '../channels/sendgrid-signature.js';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import type { InboundMailDependencies } from '../engine/inbound-mail.js';
import { routeInboundMail, unverifiedMailNote } from '../engine/inbound-mail-router.js';
import { firstReceipt } from '../store/inbound-receipts.js';

interface InboundEmailRouteDependencies extends InboundMailDependencies {
  /** Real time, for the freshness of Mailgun's signature even on a manual business clock. */
  readonly processClock: Clock;
}

/** Mail with attachments is posted as multipart; nothing past this size is read. */
const bodyLimit = 10 * 1024 * 1024;

type Fields = Record<string, unknown>;

/** The body as it came, for SendGrid's signature (which covers the raw bytes, not the fields). */
const rawBodies = new WeakMap<FastifyRequest, Buffer>();

/** The whole message, when the service posts it raw: SendGrid's `email` ("send raw"), Mailgun's `body-mime`
 * (a route forwarding to a URL ending in /mime), Postmark's `RawEmail` ("include raw email content"). */
function rawMessageOf(fields: Fields): string | null {
  for (const name of ['email', 'body-mime', 'RawEmail']) {
    const value = fields[name];
    if (typeof value === 'string' && value.includes(':')) return value;
  }
  return null;
}

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
    'Inbound e-mail by webhook is not enabled here. Set TEND_INBOUND_EMAIL_SECRET and give your mail service ' +
      'https://tend:<secret>@<your Tend>/webhooks/email/inbound (or set TEND_MAILGUN_SIGNING_KEY for Mailgun, ' +
      'TEND_SENDGRID_INBOUND_PUBLIC_KEY for SendGrid); see "E-mail in and out" in the README.',
    [{ field: 'TEND_INBOUND_EMAIL_SECRET', message: 'is not set' }],
  );

const summary =
  "An inbound e-mail: a reply to a thread address (Message Replied in its thread), a copy to log@ (the rep's " +
  'touch), or a delivery report (a bounce). Authenticate with TEND_INBOUND_EMAIL_SECRET (HTTP Basic password or ' +
  "bearer) and the service's signature where its key is set (TEND_MAILGUN_SIGNING_KEY, " +
  'TEND_SENDGRID_INBOUND_PUBLIC_KEY). Postmark JSON, Mailgun and SendGrid forms (parsed or raw MIME), or ' +
  "{from, to, cc, subject, text, messageId, authenticationResults}. The service's verdict on the sender (SPF, " +
  "DKIM, DMARC; a relay's own Authentication-Results) decides whether the From address names a rep or a contact.";

export async function inboundEmailRoutes(
  server: FastifyInstance,
  dependencies: InboundEmailRouteDependencies,
): Promise<void> {
  const { settings } = dependencies;
  const webhook = settings.kind === 'enabled' ? settings.webhook : null;
  const asBuffer = { parseAs: 'buffer', bodyLimit } as const;
  server.addContentTypeParser(
    'application/x-www-form-urlencoded',
    asBuffer,
    async (request: FastifyRequest, body: Buffer) => {
      rawBodies.set(request, body);
      return formFields(new URLSearchParams(body.toString('utf8')));
    },
  );
  server.addContentTypeParser('multipart/form-data', asBuffer, async (request: FastifyRequest, body: Buffer) => {
    rawBodies.set(request, body);
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
    if (webhook === null) throw notEnabled();
    if (webhook.secret === null) return;
    const presented = presentedSecret(request.headers.authorization);
    if (presented !== null && sameSecret(presented, webhook.secret)) return;
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
    if (webhook === null) throw notEnabled();
    const now = () => dependencies.processClock.now();
    const body = request.body;
    const fields = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Fields;
    const key = webhook.mailgunSigningKey;
    const signed = key === null ? null : await checkMailgun(dependencies, key, fields);
    const sendgrid = webhook.sendgridPublicKey === null ? null : await checkSendgrid(dependencies, webhook, request);
    const mail = await inboundMailOf(fields);
    const routed = await routeInboundMail(dependencies, mail, postedSenderVerdict(fields, mail));
    const note = unverifiedMailNote(mail, routed);
    if (note !== null) request.log.warn(note.fields, note.message);
    if (signed !== null) await firstReceipt(dependencies.database, 'email', `mailgun:${signed.token}`, now());
    if (sendgrid !== null) await firstReceipt(dependencies.database, 'email', sendgrid, now());
    // The same answer whoever sent it and whatever thread it names (Mailgun and Postmark retry on anything but 200).
    return { accepted: true };
  });
}

/** The posted mail: read from the whole message when the service posts it raw, else from its fields. */
async function inboundMailOf(fields: Fields): Promise<InboundMail> {
  const reading = readInboundMail(fields);
  const raw = rawMessageOf(fields);
  if (raw !== null) {
    // The envelope's recipients (a BCC to log@ shows only there) come from the service's own fields.
    const recipients = reading.kind === 'mail' ? reading.mail.recipients : [];
    return readMimeMail(raw, { recipients, nullSender: false });
  }
  if (reading.kind === 'invalid') {
    const { field, problem } = reading;
    throw new TendError('invalid_request', `The e-mail's ${field} ${problem}.`, [{ field, message: problem }]);
  }
  return reading.mail;
}

/** SendGrid's signature over this very body, fresh and not used before; its receipt reference otherwise. */
async function checkSendgrid(
  dependencies: InboundEmailRouteDependencies,
  webhook: InboundWebhookSettings,
  request: FastifyRequest,
): Promise<string> {
  const refuse = (field: string, problem: string) =>
    new TendError('unauthorized', `SendGrid's ${field} ${problem}.`, [{ field, message: problem }]);
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const signature = header(sendgridSignatureHeader);
  const body = rawBodies.get(request) ?? Buffer.alloc(0);
  const key = webhook.sendgridPublicKey;
  const now = dependencies.processClock.now();
  const problem =
    key === null
      ? 'cannot be checked without TEND_SENDGRID_INBOUND_PUBLIC_KEY'
      : sendgridSignatureProblem(key, signature, header(sendgridTimestampHeader), body, now);
  if (problem !== null) throw refuse('signature', problem);
  const reference = `sendgrid:${createHash('sha256').update(String(signature)).digest('hex')}`;
  const used = await dependencies.database
    .selectFrom('inbound_receipts')
    .select('reference')
    .where('channel', '=', 'email')
    .where('reference', '=', reference)
    .executeTakeFirst();
  if (used) throw refuse('signature', 'was already used: a replayed post');
  return reference;
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
