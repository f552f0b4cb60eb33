// Generators (fast-check) of hostile requests to Tend's public endpoints, made of the values in
// hostile-values.ts: the Tracking API (with bad gzip, wrong content types and bytes that are not JSON),
// Twilio's and the mail service's webhooks, unsubscribe pages and tracked links, and the admin API (its
// writing endpoints, and its reads with hostile path parameters and query values).
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import {
  amount,
  anyJson,
  contentType,
  contentTypeHeader,
  field,
  formText,
  hostileSegment,
  hostileText,
  jsonText,
  mostly,
  mostlyWeighted,
  text,
  timestamp,
  wrong,
} from './hostile-values.js';

export { formText, jsonText } from './hostile-values.js';

/** How a request authenticates; the sender turns it into a header with the test's real secrets. */
export type Authentication = 'write-key' | 'admin' | 'twilio' | 'inbound-email' | 'wrong' | 'none';

export interface HostileRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text may hold {@link writeKeyPlaceholder}, replaced by the real write key when sent. */
  readonly body?: string | Uint8Array;
  readonly authentication: Authentication;
}

export const writeKeyPlaceholder = '$WRITE_KEY$';

/** What the test seeds, so that generated requests can name real things: a thread, a text, tokens. */
export const seeded = {
  emailOutboxId: '0190b6c0-0000-7000-8000-00000000e1a1',
  smsOutboxId: '0190b6c0-0000-7000-8000-00000000517a',
  smsSid: 'SM0123',
  replyDomain: 'replies.seed.example',
  unsubscribeToken: 'seed-unsubscribe-token-0001',
  linkToken: 'seed-link-token-0001',
} as const;
const threadAddress = `reply+${seeded.emailOutboxId.replace(/-/g, '')}@${seeded.replyDomain}`;

const eventNames = fc.constantFrom(
  'Signed In',
  'Feature Used',
  'Invoice Issued',
  'Invoice Paid',
  'Payment Failed',
  'Survey Answered',
  'Ticket Opened',
  'Ticket Resolved',
  'Call Logged',
  'Meeting Held',
  'Note Added',
  'Message Replied',
  'Outage Started',
  'Order Completed',
);
const properties = mostlyWeighted(
  12,
  fc.record(
    {
      amount,
      invoiceId: field(fc.constantFrom('inv-1', 'inv-2')),
      dueAt: timestamp,
      dueDate: timestamp,
      score: field(fc.integer({ min: 0, max: 10 })),
      scale: field(fc.constantFrom(5, 10, 0)),
      channel: field(fc.constantFrom('phone', 'email', 'meeting')),
      direction: field(fc.constantFrom('inbound', 'outbound')),
      rep: field(fc.constantFrom('rep@seed.example')),
      accountId: field(fc.constantFrom('seed-co', 'other-co')),
      ticketId: field(fc.constantFrom('t-1')),
      note: text,
    },
    { requiredKeys: [] },
  ),
  anyJson,
);
const traits = mostlyWeighted(
  12,
  fc.record(
    {
      email: field(fc.constantFrom('ann@seed.example', 'bo@seed.example')),
      owner: field(fc.constantFrom('rep@seed.example')),
      revenue: amount,
      profit: amount,
      currency: field(fc.constantFrom('EUR', 'usd')),
      lifecycleStage: field(fc.constantFrom('active', 'renewal')),
      phone: field(fc.constantFrom('+41790000001')),
      name: text,
      plan: text,
      createdAt: timestamp,
    },
    { requiredKeys: [] },
  ),
  anyJson,
);

const messageTypes = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
const message = (type: fc.Arbitrary<string>) =>
  fc.record(
    {
      type: field(type),
      userId: field(fc.constantFrom('seed-ann', 'u1', 'u2')),
      anonymousId: field(fc.constantFrom('device-1')),
      messageId: field(fc.uuid()),
      event: field(eventNames),
      name: text,
      groupId: field(fc.constantFrom('seed-co', 'g2')),
      previousId: field(fc.constantFrom('u1', 'device-1')),
      timestamp,
      properties,
      traits,
      context: mostlyWeighted(12, fc.record({ groupId: field(fc.constantFrom('seed-co')) }), anyJson),
    },
    // anonymousId, name and context come and go; without the others most messages would be refused early.
    { requiredKeys: ['type', 'userId', 'messageId', 'event', 'groupId', 'previousId', 'timestamp', 'properties'] },
  );

/** A body for the endpoint: its own kind of message (or a batch), now and then something else. */
function trackingBody(path: string): fc.Arbitrary<string | Uint8Array> {
  const isBatch = path === 'batch' || path === 'import';
  const single = message(isBatch ? fc.constantFrom(...messageTypes) : fc.constant(path));
  const messages = fc.array(message(fc.constantFrom(...messageTypes)), { minLength: 1, maxLength: 4 });
  const batch = fc
    .tuple(messages, fc.option(anyJson, { nil: undefined }))
    .map(([batchMessages, context]) => jsonText({ batch: batchMessages, context }));
  return mostly(
    isBatch ? batch : single.map((one) => jsonText(one)),
    single.map((one) => jsonText({ ...one, writeKey: writeKeyPlaceholder })),
    fc.oneof(
      batch,
      single.map((one) => jsonText(one)),
    ),
    wrong.map((value) => jsonText(value)),
    fc.uint8Array({ maxLength: 200 }),
    fc.constantFrom('', '{', '{"batch":', 'null', '[]', '{"userId":"u1","event":"E","properties":{"a":1,"a":2}}'),
  ) as fc.Arbitrary<string | Uint8Array>;
}

type Encoded = { body: string | Uint8Array; headers: Record<string, string> };

/** Applies a content encoding: gzip done right, gzip cut short, gzip that is not gzip, or one Tend does not know. */
function encoded(body: string | Uint8Array, encoding: string): Encoded {
  switch (encoding) {
    case 'gzip':
      return { body: new Uint8Array(gzipSync(body)), headers: { 'content-encoding': 'gzip' } };
    case 'truncated gzip': {
      const whole = gzipSync(body);
      const cut = new Uint8Array(whole.subarray(0, Math.max(1, whole.length >> 1)));
      return { body: cut, headers: { 'content-encoding': 'gzip' } };
    }
    case 'not gzip':
      return { body, headers: { 'content-encoding': 'gzip' } };
    case 'br':
      return { body, headers: { 'content-encoding': 'br' } };
    default:
      return { body, headers: {} };
  }
}

const encodings = mostly(
  fc.constant('identity'),
  fc.constant('gzip'),
  fc.constantFrom('truncated gzip', 'not gzip', 'br'),
);
const writeKeyOrNot = mostly(
  fc.constant<Authentication>('write-key'),
  fc.constantFrom<Authentication>('wrong', 'none'),
);

export const trackingRequest: fc.Arbitrary<HostileRequest> = fc
  .constantFrom('identify', 'track', 'page', 'screen', 'group', 'alias', 'batch', 'import')
  .chain((path) =>
    fc.record({
      path: fc.constant(path),
      body: trackingBody(path),
      encoding: encodings as fc.Arbitrary<string>,
      contentType,
      authentication: writeKeyOrNot as fc.Arbitrary<Authentication>,
    }),
  )
  .map(({ path, body, encoding, contentType: type, authentication }) => {
    const sent = encoded(body, encoding);
    const headers = { ...sent.headers, ...contentTypeHeader(type) };
    return { method: 'POST' as const, path: `/v1/${path}`, headers, body: sent.body, authentication };
  });

const twilioWords = fc.constantFrom(
  'STOP',
  'START',
  'HELP',
  'hello',
  seeded.smsSid,
  'delivered',
  'failed',
  'undelivered',
  '30003',
  '+41790000001',
);
const twilioText = mostly(twilioWords, hostileText, text) as fc.Arbitrary<string>;
const twilioParameters = fc.record(
  {
    MessageSid: twilioText,
    SmsSid: twilioText,
    MessageStatus: twilioText,
    ErrorCode: twilioText,
    From: twilioText,
    To: twilioText,
    Body: twilioText,
  },
  { requiredKeys: ['MessageSid', 'From', 'Body'] },
);
const twilioRequest: fc.Arbitrary<HostileRequest> = fc
  .record({
    which: fc.constantFrom('status', 'inbound'),
    parameters: twilioParameters,
    outbox: fc.option(mostly(fc.constant(seeded.smsOutboxId), hostileSegment) as fc.Arbitrary<string>),
    signed: mostly(fc.constant(true), fc.constant(false)) as fc.Arbitrary<boolean>,
  })
  .map(({ which, parameters, outbox, signed }) => ({
    method: 'POST' as const,
    path: `/webhooks/twilio/${which}${which === 'status' && outbox !== null ? `?outbox=${outbox}` : ''}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formText(parameters),
    authentication: signed ? ('twilio' as const) : ('wrong' as const),
  }));

const recipients = fc.constantFrom(
  threadAddress,
  `Ann's thread <${threadAddress}>`,
  [threadAddress, 'x@seed.example'],
  'x@seed.example',
);
const mail = fc.record(
  {
    from: field(fc.constantFrom('ann@seed.example', 'Ann <ann@seed.example>', 'nobody@nowhere.example')),
    to: field(recipients),
    subject: text,
    text,
    messageId: field(fc.constantFrom('<m1@seed.example>', '<m2@seed.example>')),
  },
  { requiredKeys: ['from', 'to'] },
);
const inboundEmail: fc.Arbitrary<HostileRequest> = fc
  .record({
    mail,
    contentType,
    authentication: mostly(fc.constant<Authentication>('inbound-email'), fc.constant<Authentication>('wrong')),
  })
  .map(({ mail: body, contentType: type, authentication }) => ({
    method: 'POST' as const,
    path: '/webhooks/email/inbound',
    headers: contentTypeHeader(type),
    body: jsonText(body),
    authentication: authentication as Authentication,
  }));

const tokenLinks: fc.Arbitrary<HostileRequest> = fc
  .record({
    route: fc.constantFrom('unsubscribe', 'l'),
    method: fc.constantFrom<'GET' | 'POST'>('GET', 'POST'),
    token: fc.oneof(
      fc.constantFrom(seeded.unsubscribeToken, seeded.linkToken),
      fc.string({ unit: fc.constantFrom('a', 'Z', '0', '_', '-'), minLength: 16, maxLength: 120 }),
      hostileSegment,
    ),
    body: fc.oneof(
      fc.constant('List-Unsubscribe=One-Click'),
      hostileText.map((value) => formText({ 'List-Unsubscribe': value })),
      fc.uint8Array({ maxLength: 100 }),
    ),
  })
  .map(({ route, method, token, body }) => ({
    method,
    path: `/${route}/${token}`,
    headers: contentTypeHeader(method === 'POST' ? 'application/x-www-form-urlencoded' : null),
    ...(method === 'POST' ? { body } : {}),
    authentication: 'none' as const,
  }));

export const webhookRequest: fc.Arbitrary<HostileRequest> = fc.oneof(twilioRequest, inboundEmail, tokenLinks);

const users = fc
  .record(
    {
      email: field(fc.constantFrom('rep@seed.example', 'new@seed.example')),
      name: text,
      role: field(fc.constantFrom('rep', 'manager', 'admin')),
      managerEmail: field(fc.constantFrom('rep@seed.example', null)),
    },
    { requiredKeys: ['email', 'role'] },
  )
  .map((body) => ({ path: '/api/v1/users', body }));
const interactions = fc
  .record(
    {
      id: field(fc.uuid()),
      accountId: field(fc.constantFrom('seed-co')),
      userId: field(fc.constantFrom('seed-ann')),
      rep: field(fc.constantFrom('rep@seed.example')),
      channel: field(fc.constantFrom('phone', 'email')),
      direction: field(fc.constantFrom('inbound', 'outbound')),
      actor: field(fc.constantFrom('rep', 'customer')),
      twoWay: field(fc.boolean()),
      objective: text,
      summary: text,
      occurredAt: timestamp,
    },
    { requiredKeys: ['channel', 'direction'] },
  )
  .map((body) => ({ path: '/api/v1/interactions', body }));
const consents = fc
  .record({
    userId: mostly(fc.constant('seed-ann'), hostileSegment) as fc.Arbitrary<string>,
    body: fc.record(
      {
        channel: field(fc.constantFrom('email', 'sms')),
        status: field(fc.constantFrom('opted-in', 'opted-out')),
        source: text,
      },
      { requiredKeys: ['channel', 'status'] },
    ),
  })
  .map(({ userId, body }) => ({ path: `/api/v1/contacts/${userId}/consents`, body }));
const doNotContact = fc
  .record(
    { value: field(fc.constantFrom('+41790000002', 'x@seed.example')), reason: text },
    { requiredKeys: ['value'] },
  )
  .map((body) => ({ path: '/api/v1/do-not-contact', body }));
const tasks = fc
  .record(
    {
      owner: field(fc.constantFrom('rep@seed.example')),
      objective: field(fc.constantFrom('Call back')),
      accountId: field(fc.constantFrom('seed-co')),
      contactId: field(fc.constantFrom('seed-ann')),
      talkingPoints: field(fc.array(text, { maxLength: 3 })),
      dueIn: field(fc.constantFrom('PT4H', 'P99999999D', 'P1D')),
      dueAt: timestamp,
      idempotencyKey: text,
    },
    { requiredKeys: ['owner', 'objective'] },
  )
  .map((body) => ({ path: '/api/v1/tasks', body }));
const taskCompletions = fc
  .record({
    id: mostly(fc.uuid(), hostileSegment) as fc.Arbitrary<string>,
    body: fc.record(
      { outcome: field(fc.constantFrom('reached', 'no-answer')), note: text },
      { requiredKeys: ['outcome'] },
    ),
  })
  .map(({ id, body }) => ({ path: `/api/v1/tasks/${id}/complete`, body }));

export const adminRequest: fc.Arbitrary<HostileRequest> = fc
  .record({
    call: fc.oneof(users, interactions, consents, doNotContact, tasks, taskCompletions),
    contentType,
    raw: mostly(fc.constant(null), fc.uint8Array({ maxLength: 100 })) as fc.Arbitrary<Uint8Array | null>,
  })
  .map(({ call, contentType: type, raw }) => ({
    method: 'POST' as const,
    path: call.path,
    headers: contentTypeHeader(type),
    body: raw ?? jsonText(call.body),
    authentication: 'admin' as const,
  }));

/** The admin API's reads, with hostile path parameters and query values (numbers such as 1e400 too). */
const readPaths = fc.constantFrom(
  '/api/v1/contacts/X',
  '/api/v1/accounts/X',
  '/api/v1/accounts/X/health',
  '/api/v1/events?userId=X&accountId=X',
  '/api/v1/events?limit=X&name=X',
  '/api/v1/signals?ownerId=X&accountId=X',
  '/api/v1/signals?kind=X&limit=X',
  '/api/v1/tasks?ownerId=X',
  '/api/v1/tasks?limit=X&status=X',
  '/api/v1/users/X',
  '/api/v1/users/X/today',
  '/api/v1/users/X/oversight',
  '/api/v1/audit?ownerId=X',
  '/api/v1/outbox?contactId=X',
  '/api/v1/contacts/X/consents',
  '/api/v1/do-not-contact?limit=X',
);
const readValue = fc.oneof(
  hostileSegment,
  fc.constantFrom('1e400', '-1', '99999999999999999999', '0x10', 'seed-ann', 'seed-co'),
);
export const adminReadRequest: fc.Arbitrary<HostileRequest> = fc.tuple(readPaths, readValue).map(([path, value]) => ({
  method: 'GET' as const,
  path: path.replaceAll('X', value),
  headers: {},
  authentication: 'admin' as const,
}));
