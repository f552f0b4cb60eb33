// What a message template may speak about: the contact (first name, language), the account, its
// owner (who signs and answers), the signal that started the run (an invoice number, a date), and the
// promises made to the account that are still open or already broken.
import type { Kysely } from 'kysely';
import { type PromiseWords, promiseWords } from '../domain/relationship/promises.js';
import { promisesOfAccount } from './promise-store.js';
import type { Database } from './schema.js';

export interface MessageContext {
  readonly contact: {
    readonly id: string | null;
    readonly name: string | null;
    readonly firstName: string | null;
    readonly email: string | null;
    readonly phone: string | null;
    readonly language: string | null;
    readonly traits: Record<string, unknown>;
  };
  readonly account: {
    readonly id: string | null;
    readonly name: string | null;
    readonly plan: string | null;
    readonly traits: Record<string, unknown>;
  };
  readonly owner: { readonly name: string | null; readonly email: string | null };
  readonly signal: { readonly kind: string; readonly instance: string } | null;
  /** The event that started the run (its name and properties), for event-triggered playbooks. */
  readonly event: Readonly<Record<string, unknown>> | null;
  /** Payment trouble on the account: templates prefer their empathetic variant. */
  readonly paymentTrouble: boolean;
  /** What was promised to the account and not yet kept, for a message to own up to it (see promiseWords). */
  readonly promises: PromiseWords;
}

export async function loadMessageContext(
  database: Kysely<Database>,
  subject: { accountId: string | null; contactId: string | null; runId: string | null },
  now: Date,
  promiseDueDays?: number,
): Promise<MessageContext> {
  const [contact, account, run, promises] = await Promise.all([
    subject.contactId === null
      ? undefined
      : database
          .selectFrom('contacts')
          .select(['id', 'name', 'email', 'phone', 'language', 'traits'])
          .where('id', '=', subject.contactId)
          .executeTakeFirst(),
    subject.accountId === null
      ? undefined
      : database
          .selectFrom('accounts')
          .select(['id', 'name', 'plan', 'traits', 'owner_email'])
          .where('id', '=', subject.accountId)
          .executeTakeFirst(),
    subject.runId === null
      ? undefined
      : database.selectFrom('journey_runs').select('trigger').where('id', '=', subject.runId).executeTakeFirst(),
    subject.accountId === null ? [] : promisesOfAccount(database, subject.accountId, now),
  ]);
  const signalId = typeof run?.trigger.signalId === 'string' ? run.trigger.signalId : null;
  const [owner, signal, late] = await Promise.all([
    account?.owner_email
      ? database
          .selectFrom('users')
          .select(['name', 'email'])
          .where('email', '=', account.owner_email)
          .executeTakeFirst()
      : undefined,
    signalId === null
      ? undefined
      : database.selectFrom('signals').select(['kind', 'instance']).where('id', '=', signalId).executeTakeFirst(),
    subject.accountId === null
      ? undefined
      : database
          .selectFrom('signals')
          .select('id')
          .where('account_id', '=', subject.accountId)
          .where('kind', '=', 'payment-late')
          .where('cleared_at', 'is', null)
          .executeTakeFirst(),
  ]);
  const name = contact?.name ?? null;
  return {
    contact: {
      id: contact?.id ?? subject.contactId,
      name,
      firstName: name === null ? null : (name.trim().split(/\s+/)[0] ?? null),
      email: contact?.email ?? null,
      phone: contact?.phone ?? null,
      language: contact?.language ?? null,
      traits: contact?.traits ?? {},
    },
    account: {
      id: account?.id ?? subject.accountId,
      name: account?.name ?? null,
      plan: account?.plan ?? null,
      traits: account?.traits ?? {},
    },
    // Only a Tend user answers for an account: an unknown address in the owner trait is nobody.
    owner: { name: owner?.name ?? null, email: owner?.email ?? null },
    signal: signal ? { kind: signal.kind, instance: signal.instance } : null,
    event:
      typeof run?.trigger.event === 'string'
        ? { ...(run.trigger.properties as Record<string, unknown> | undefined), name: run.trigger.event }
        : null,
    paymentTrouble: late !== undefined,
    promises: promiseWords(promises, now, promiseDueDays),
  };
}
