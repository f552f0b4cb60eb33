// Conversations: one thread per customer, owned by their account's owner. The list (waiting ones first,
// the longest wait first), a thread with Tend's messages and the customer's in order, and a person's reply
// sent in the same thread. Anyone signed in, within their book; outside it a conversation is "not found".
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import { replyPauseEnd, sendPolicyWith } from '../domain/playbooks/send-policy.js';
import {
  type ConversationStatus,
  conversationStatus,
  conversationStatuses,
  minutesWaited,
  replyLimits,
} from '../domain/relationship/conversation.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import { bookOf } from '../domain/viewer.js';
import { replyInConversation } from '../engine/conversation-replies.js';
import { isAccountInBook } from '../store/book-scope.js';
import {
  type ConversationPosition,
  type ConversationRow,
  conversationThread,
  findConversation,
  listConversations,
  type ThreadEntry,
} from '../store/conversation-reads.js';
import type { Database, OutboxStatus } from '../store/schema.js';
import { findUser } from '../store/users.js';
import { appSecurity, badCursor, unknownAccount } from './account-list-routes.js';
import { ConversationList, ConversationThread, QueuedConversationReply } from './conversation-schemas.js';
import type { Credentials } from './credentials.js';
import { databaseTimePattern, decodeCursor, encodeCursor, uuidPattern } from './page-cursor.js';
import { OneOf } from './relationship-schemas.js';

export interface ConversationRouteDependencies {
  readonly database: Kysely<Database>;
  readonly credentials: Credentials;
  readonly clock: Clock;
  readonly config: TendConfig;
  /** Wakes the dispatcher after a reply is queued. */
  readonly onReply: () => void;
}

function unknownConversation(id: string): TendError {
  return new TendError('not_found', `No conversation ${JSON.stringify(id)} in your book.`, [
    { field: 'id', message: 'is not a known conversation' },
  ]);
}

function readPosition(cursor: string): ConversationPosition {
  const [phase, at, id] = decodeCursor(cursor, 3) ?? [];
  const known = (conversationStatuses as readonly unknown[]).includes(phase);
  if (
    !known ||
    typeof at !== 'string' ||
    !databaseTimePattern.test(at) ||
    typeof id !== 'string' ||
    !uuidPattern.test(id)
  )
    throw badCursor();
  return { phase: phase as ConversationStatus, at, id };
}

function summaryOf(row: ConversationRow, now: Date) {
  return {
    id: row.id,
    status: conversationStatus(row.waitingSince),
    waitingSince: row.waitingSince?.toISOString() ?? null,
    waitedMinutes: minutesWaited(row.waitingSince, now),
    channel: row.channel,
    contactId: row.contactId,
    contactName: row.contactName,
    customerAddress: row.customerAddress,
    accountId: row.accountId,
    accountName: row.accountName,
    owner: row.ownerEmail === null ? null : { email: row.ownerEmail, name: row.ownerName },
    subject: row.subject,
    preview: row.preview,
    lastInboundAt: row.lastInboundAt.toISOString(),
    lastMessageAt: row.lastMessageAt.toISOString(),
    answeredAt: row.answeredAt?.toISOString() ?? null,
  };
}

function messageOf(entry: ThreadEntry) {
  return {
    id: entry.id,
    author: entry.author,
    channel: entry.channel,
    subject: entry.subject,
    text: entry.text,
    by: entry.by,
    byName: entry.byName,
    template: entry.template,
    at: entry.at.toISOString(),
    status: entry.status as OutboxStatus | null,
    reason: entry.reason,
    nextAttemptAt: entry.nextAttemptAt?.toISOString() ?? null,
  };
}

export async function conversationRoutes(
  plain: FastifyInstance,
  dependencies: ConversationRouteDependencies,
): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, credentials, clock } = dependencies;
  const sending = sendPolicyWith(dependencies.config.conversations.pauseAutomationHours);
  server.addHook('onRequest', async (request) => credentials.authenticate(request));
  const params = Type.Object({ id: Type.String({ format: 'uuid', description: "the conversation's id" }) });

  server.get(
    '/api/v1/conversations',
    {
      schema: {
        tags: ['conversations'],
        summary: "Conversations in the viewer's book: those waiting for an answer first, the longest wait first",
        security: appSecurity,
        querystring: Type.Object({
          ownerId: Type.Optional(Type.String({ minLength: 1, description: "the owner's user id or e-mail" })),
          status: Type.Optional(OneOf(conversationStatuses, { description: 'open (waiting for us) or answered' })),
          accountId: Type.Optional(Type.String({ minLength: 1, description: "one account's conversations" })),
          cursor: Type.Optional(Type.String({ minLength: 1, description: "the previous page's `next`" })),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
        response: { 200: ConversationList },
      },
    },
    async (request) => {
      const { ownerId, status, accountId, cursor, limit } = request.query;
      const book = bookOf(credentials.viewerOf(request));
      let ownerEmail: string | null = null;
      if (ownerId !== undefined) {
        const owner = await findUser(database, ownerId);
        if (owner === null) {
          const problem = { field: 'ownerId', message: 'is not a known user' };
          throw new TendError('invalid_request', `ownerId ${JSON.stringify(ownerId)} names no user of Tend.`, [
            problem,
          ]);
        }
        ownerEmail = owner.email;
      }
      if (accountId !== undefined && !(await isAccountInBook(database, accountId, book)))
        throw unknownAccount(accountId);
      const rows = await listConversations(database, {
        book,
        ownerEmail,
        accountId: accountId ?? null,
        status: status ?? null,
        limit,
        after: cursor === undefined ? null : readPosition(cursor),
      });
      const now = clock.now();
      const shown = rows.slice(0, limit);
      const last = shown.at(-1);
      const next =
        rows.length > limit && last !== undefined
          ? encodeCursor([last.position.phase, last.position.at, last.position.id])
          : null;
      return { conversations: shown.map((row) => summaryOf(row, now)), next };
    },
  );

  server.get(
    '/api/v1/conversations/:id',
    {
      schema: {
        tags: ['conversations'],
        summary: "A conversation's thread: the customer's messages, people's replies and Tend's messages in order",
        security: appSecurity,
        params,
        response: { 200: ConversationThread },
      },
    },
    async (request) => {
      const book = bookOf(credentials.viewerOf(request));
      const conversation = await findConversation(database, request.params.id, book);
      if (conversation === null) throw unknownConversation(request.params.id);
      const now = clock.now();
      const thread = await conversationThread(database, conversation);
      const pauseEnd = replyPauseEnd(conversation.lastInboundAt, sending);
      return {
        conversation: summaryOf(conversation, now),
        automationPausedUntil: pauseEnd !== null && pauseEnd > now ? pauseEnd.toISOString() : null,
        messages: thread.entries.map(messageOf),
        olderNotShown: thread.olderNotShown,
      };
    },
  );

  server.post(
    '/api/v1/conversations/:id/reply',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Answers the customer in the same thread, as the signed-in person (sent at once through the outbox)',
        description:
          'By e-mail (In-Reply-To and References set to their message, your name, a reply address that brings ' +
          'their answer back here) or by text from the number they wrote to: the channel they last wrote on. ' +
          'Refused (409) for a person erased, on the do-not-contact list, or who texted STOP (for a text).',
        security: appSecurity,
        params,
        body: Type.Object({
          text: Type.String({
            minLength: 1,
            maxLength: replyLimits.email,
            description: `what to send, as written (a text message: at most ${replyLimits.sms} characters)`,
          }),
        }),
        response: { 201: QueuedConversationReply },
      },
    },
    async (request, reply) => {
      const viewer = credentials.viewerOf(request);
      const conversation = await findConversation(database, request.params.id, bookOf(viewer));
      if (conversation === null) throw unknownConversation(request.params.id);
      if (viewer.user === null)
        throw new TendError(
          'forbidden',
          'A reply is written by a person: sign in as yourself (the admin token names nobody to answer as).',
          [{ field: 'authorization', message: 'is the admin token, not a person' }],
        );
      const now = clock.now();
      const queued = await replyInConversation(database, {
        conversation,
        writer: viewer.user,
        text: request.body.text,
        at: now,
      });
      dependencies.onReply();
      const message: ThreadEntry = {
        id: queued.messageId,
        author: 'person',
        channel: conversation.channel,
        subject: queued.subject,
        text: queued.text,
        by: viewer.user.email,
        byName: viewer.user.name,
        template: null,
        at: now,
        status: 'pending',
        reason: null,
        nextAttemptAt: now,
      };
      return reply.status(201).send({ conversationId: conversation.id, message: messageOf(message) });
    },
  );
}
