// A rep's own e-mail, BCC'd or forwarded to log@ the reply domain (as HubSpot's and Salesforce's BCC work),
// becomes an Email Sent by that rep (outbound, one-way: it clears no neglect) on the accounts of the people it
// was with. A stranger's mail is dropped without a word; a rep is told which addresses matched no contact.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { InboundMail } from '../channels/inbound-email.js';
import type { Clock } from '../domain/clock.js';
import {
  type CaptureAnswer,
  captureAnswer,
  capturedAddresses,
  unmatchedAddresses,
} from '../domain/mail/captured-email.js';
import { captureLocalPart } from '../domain/mail/inbound-route.js';
import type { TrackingMessage } from '../domain/tracking-message.js';
import type { Ingest } from '../ingest/ingest-batch.js';
import { retriedTransaction } from '../store/contention-retry.js';
import type { Database } from '../store/schema.js';
import { mailStaff } from './staff-notices.js';

export interface CaptureDependencies {
  readonly database: Kysely<Database>;
  /** The business clock: stamps the touch. */
  readonly clock: Clock;
  /** Stores the touches as events, in their own transaction (ingest-batch.ts). */
  readonly ingest: Ingest;
  /** Wakes evaluation after a touch is recorded. */
  readonly afterCommit: () => void;
}

/** What became of a copied e-mail: who sent it (null: nobody Tend knows), and the answer the rep is owed. */
export interface CaptureOutcome {
  readonly rep: string | null;
  readonly loggedOn: readonly string[];
  readonly answer: CaptureAnswer | null;
}

const ignored: CaptureOutcome = { rep: null, loggedOn: [], answer: null };

/**
 * Records the e-mail once per account (idempotent by its Message-ID), on behalf of the enabled user whose
 * address sent it, and answers the rep (by e-mail, through the outbox) when addresses matched nobody.
 */
export async function captureRepEmail(
  dependencies: CaptureDependencies,
  mail: InboundMail,
  replyDomain: string,
): Promise<CaptureOutcome> {
  const { database } = dependencies;
  const rep = await database
    .selectFrom('users')
    .select('email')
    .where('email', '=', mail.from.toLowerCase())
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (rep === undefined) return ignored;
  const { addresses, forwarded } = capturedAddresses(mail, replyDomain);
  const contacts =
    addresses.length === 0
      ? []
      : await database
          .selectFrom('contacts')
          .select(['id', 'account_id', 'email'])
          .where((eb) => eb(eb.fn('lower', ['email']), 'in', addresses))
          .where('merged_into', 'is', null)
          .orderBy('id')
          .limit(200)
          .execute();
  const now = dependencies.clock.now();
  const content = `${mail.from}\u0000${mail.recipients.join(',')}\u0000${mail.subject}\u0000${mail.text}`;
  const key = mail.messageId ?? createHash('sha256').update(content).digest('hex');
  // One touch per account (the e-mail was one contact with it), and one per contact without an account.
  const subjects = new Map<string, { contactId: string; accountId: string | null }>();
  for (const contact of contacts) {
    const subject = contact.account_id ?? `contact:${contact.id}`;
    if (!subjects.has(subject)) subjects.set(subject, { contactId: contact.id, accountId: contact.account_id });
  }
  const messages: TrackingMessage[] = [...subjects].map(([subject, { contactId, accountId }]) => ({
    type: 'track',
    event: 'Email Sent',
    messageId: `email-capture:${key}:${subject}`,
    userId: contactId,
    anonymousId: null,
    timestamp: now,
    context: { channel: 'email' },
    properties: {
      channel: 'email',
      direction: 'outbound',
      twoWay: false,
      rep: rep.email,
      subject: mail.subject.slice(0, 200),
      summary: mail.subject.slice(0, 200),
      body: mail.text.slice(0, 5000),
      capturedBy: forwarded ? 'forward' : 'bcc',
      ...(accountId === null ? {} : { accountId }),
    },
  }));
  if (messages.length > 0) {
    const outcome = await dependencies.ingest.record(messages, now);
    if (outcome.stored > 0) dependencies.afterCommit();
  }
  const accountIds = [
    ...new Set(contacts.flatMap((contact) => (contact.account_id === null ? [] : [contact.account_id]))),
  ];
  const matched = new Set(contacts.flatMap((contact) => (contact.email === null ? [] : [contact.email.toLowerCase()])));
  const answer = await answerFor(database, { mail, rep: rep.email, addresses, matched, accountIds, replyDomain });
  if (answer !== null && !mail.automatic) {
    // Through the outbox, once per copied e-mail: the same e-mail sent again is not answered again.
    const staffMail = { userEmail: rep.email, ...answer, idempotencyKey: `email-capture-answer:${key}` };
    await retriedTransaction(database, (trx) => mailStaff(trx, staffMail, now));
  }
  return { rep: rep.email, loggedOn: accountIds, answer };
}

/** The answer the rep is owed, or null when every address was a contact or one of the business's own. */
async function answerFor(
  database: Kysely<Database>,
  found: {
    mail: InboundMail;
    rep: string;
    addresses: readonly string[];
    matched: ReadonlySet<string>;
    accountIds: readonly string[];
    replyDomain: string;
  },
): Promise<CaptureAnswer | null> {
  const candidates = found.addresses.filter((address) => !found.matched.has(address));
  if (candidates.length === 0) return null;
  const staff = await database.selectFrom('users').select('email').where('email', 'in', candidates).execute();
  const unmatched = unmatchedAddresses(candidates, found.matched, found.rep, new Set(staff.map((user) => user.email)));
  if (unmatched.length === 0) return null;
  const accounts =
    found.accountIds.length === 0
      ? []
      : await database
          .selectFrom('accounts')
          .select(['id', 'name'])
          .where('id', 'in', found.accountIds.slice(0, 20))
          .orderBy('id')
          .execute();
  return captureAnswer({
    subject: found.mail.subject,
    loggedOn: accounts.map((account) => ({ accountId: account.id, name: account.name })),
    unmatched,
    logAddress: `${captureLocalPart}@${found.replyDomain}`,
  });
}
