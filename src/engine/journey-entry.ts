// Enters subjects into playbook runs when a trigger fires: a signal raised or a segment joined (in the
// evaluation's transaction), a trigger event queued at ingest, a schedule's time come.
import { type Kysely, type Transaction, sql } from 'kysely';
import type { LoadedPlaybooks } from '../config/playbook-library.js';
import type { Clock } from '../domain/clock.js';
import { type AudienceSubject, audienceAdmits } from '../domain/playbooks/audience.js';
import { assignGroup } from '../domain/playbooks/holdout.js';
import { startRun } from '../domain/playbooks/journey-step.js';
import type { Playbook } from '../domain/playbooks/playbook-definition.js';
import { eventMatches } from '../domain/playbooks/run-conditions.js';
import { nextOccurrence } from '../domain/playbooks/schedule-expression.js';
import { newId } from '../store/ids.js';
import { claimScheduleFiring, enterRun } from '../store/journey-store.js';
import type { Database } from '../store/schema.js';
import type { RaisedSignal } from '../store/signal-store.js';

/** What the entries that open their own transactions need: the queued trigger events, the schedules. */
export interface JourneyEntryOptions {
  readonly database: Kysely<Database>;
  readonly clock: Clock;
  readonly playbooks: LoadedPlaybooks;
}

/**
 * Enters accounts whose signal was just raised into the playbooks that start on it (same
 * transaction). `subjects`: what the evaluation already read of the accounts (tier, stage, traits).
 */
export async function enterForSignals(
  trx: Transaction<Database>,
  library: LoadedPlaybooks,
  raised: readonly RaisedSignal[],
  now: Date,
  subjects?: ReadonlyMap<string, AudienceSubject>,
): Promise<number> {
  let entered = 0;
  for (const signal of raised) {
    const playbooks = playbooksStartedBy(
      library,
      (trigger) => trigger.kind === 'signal' && trigger.signal === signal.kind,
    );
    if (playbooks.length > 0)
      entered += await enterSubject(
        trx,
        playbooks,
        {
          accountId: signal.accountId,
          contactId: signal.contactId,
          trigger: { signal: signal.kind, signalId: signal.signalId },
        },
        now,
        subjects?.get(signal.accountId),
      );
  }
  return entered;
}

/**
 * Enters evaluated accounts that are in a playbook's segment (a `segment` trigger, e.g. every new
 * lead); an active run, or the playbook's re-entry rule, keeps an account from entering twice.
 */
export async function enterForSegments(
  trx: Transaction<Database>,
  library: LoadedPlaybooks,
  subjects: ReadonlyMap<string, AudienceSubject>,
  now: Date,
): Promise<number> {
  const playbooks = playbooksStartedBy(library, (trigger) => trigger.kind === 'segment');
  if (playbooks.length === 0) return 0;
  let entered = 0;
  for (const [accountId, subject] of subjects) {
    const inSegment = playbooks.filter(
      (playbook) => playbook.trigger.kind === 'segment' && audienceAdmits(playbook.trigger.segment, subject),
    );
    if (inSegment.length > 0)
      entered += await enterSubject(
        trx,
        inSegment,
        { accountId, contactId: null, trigger: { segment: true } },
        now,
        subject,
      );
  }
  return entered;
}

/**
 * Starts runs for the trigger events queued at ingest (an outage, a form), oldest first; returns how
 * many entered.
 */
export async function enterForEvents(options: JourneyEntryOptions): Promise<number> {
  const { database, clock, playbooks: library } = options;
  let entered = 0;
  for (let round = 0; round < 10_000; round++) {
    const handled = await database.transaction().execute(async (trx) => {
      const queued = await sql<{
        id: number;
        event_name: string;
        account_id: string | null;
        contact_id: string | null;
        properties: Record<string, unknown>;
        occurred_at: Date;
      }>`
        delete from journey_triggers
        where id in (select id from journey_triggers order by id limit 200 for update skip locked)
        returning id, event_name, account_id, contact_id, properties, occurred_at`.execute(trx);
      const now = clock.now();
      for (const event of [...queued.rows].sort((a, b) => a.id - b.id)) {
        const runEvent = {
          name: event.event_name,
          at: event.occurred_at,
          properties: event.properties as Record<string, never>,
        };
        const playbooks = playbooksStartedBy(
          library,
          (trigger) => trigger.kind === 'event' && eventMatches(trigger, runEvent),
        );
        if (playbooks.length > 0)
          entered += await enterSubject(
            trx,
            playbooks,
            {
              accountId: event.account_id,
              contactId: event.contact_id,
              trigger: { event: event.event_name, properties: event.properties },
            },
            now,
          );
      }
      return queued.rows.length;
    });
    if (handled === 0) break;
  }
  return entered;
}

/** Fires the scheduled playbooks whose time has come: every account in the audience enters. */
export async function enterForSchedules(options: JourneyEntryOptions): Promise<number> {
  const { database, clock, playbooks: library } = options;
  let entered = 0;
  for (const playbook of playbooksStartedBy(library, (trigger) => trigger.kind === 'schedule')) {
    if (playbook.trigger.kind !== 'schedule') continue;
    const schedule = playbook.trigger.schedule;
    entered += await database.transaction().execute(async (trx) => {
      const now = clock.now();
      if (!(await claimScheduleFiring(trx, playbook.id, now, (at) => nextOccurrence(schedule, at)))) return 0;
      let count = 0;
      let after = '';
      // In pages, so that a large book does not sit in memory at once.
      for (;;) {
        let query = trx.selectFrom('accounts').select('id').where('id', '>', after).orderBy('id').limit(1000);
        if (playbook.audience.tiers !== null) query = query.where('tier', 'in', [...playbook.audience.tiers]);
        if (playbook.audience.lifecycleStages !== null)
          query = query.where('lifecycle_stage', 'in', [...playbook.audience.lifecycleStages]);
        const page = await query.execute();
        for (const account of page)
          count += await enterSubject(
            trx,
            [playbook],
            {
              accountId: account.id,
              contactId: null,
              trigger: { schedule: schedule.expression, firedAt: now.toISOString() },
            },
            now,
          );
        if (page.length < 1000) break;
        after = page[page.length - 1]!.id;
      }
      return count;
    });
  }
  return entered;
}

function playbooksStartedBy(library: LoadedPlaybooks, test: (trigger: Playbook['trigger']) => boolean): Playbook[] {
  return library.playbooks.filter((playbook) => playbook.enabled && test(playbook.trigger));
}

/**
 * Enters one subject (an account, or a contact without one) into the playbooks whose audience admits
 * it. `known`: the account as the caller already read it; otherwise it is read here.
 */
async function enterSubject(
  trx: Transaction<Database>,
  playbooks: readonly Playbook[],
  subject: { accountId: string | null; contactId: string | null; trigger: Record<string, unknown> },
  now: Date,
  known?: AudienceSubject,
): Promise<number> {
  const stored =
    known !== undefined || subject.accountId === null
      ? undefined
      : await trx
          .selectFrom('accounts')
          .select(['tier', 'lifecycle_stage', 'traits'])
          .where('id', '=', subject.accountId)
          .executeTakeFirst();
  const account: AudienceSubject | undefined =
    known ?? (stored && { tier: stored.tier, lifecycleStage: stored.lifecycle_stage, traits: stored.traits });
  if (subject.accountId !== null && !account) return 0;
  const contactId =
    subject.contactId ??
    (subject.accountId === null
      ? null
      : ((
          await trx
            .selectFrom('memberships')
            .innerJoin('contacts', 'contacts.id', 'memberships.contact_id')
            .select('contacts.id')
            .where('memberships.account_id', '=', subject.accountId)
            .where('contacts.merged_into', 'is', null)
            .orderBy('memberships.created_at')
            .limit(1)
            .executeTakeFirst()
        )?.id ?? null));
  const subjectKey = subject.accountId ?? `contact:${contactId}`;
  let entered = 0;
  for (const playbook of playbooks) {
    if (!audienceAdmits(playbook.audience, account ?? { tier: null, lifecycleStage: null, traits: {} })) continue;
    const state = startRun(playbook, {
      runId: newId(now.getTime()),
      recipient: contactId ?? subjectKey,
      group: assignGroup(playbook.id, subjectKey, playbook.holdout),
      enteredAt: now,
    });
    if (
      await enterRun(
        trx,
        {
          state,
          subjectKey,
          accountId: subject.accountId,
          contactId,
          trigger: subject.trigger,
          reentry: playbook.reentry,
        },
        now,
      )
    )
      entered++;
  }
  return entered;
}
