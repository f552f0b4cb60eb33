// Versioned schema migrations (Kysely's migrator), applied at start by whichever process gets there
// first: Kysely takes a lock, so several Tend processes sharing one PostgreSQL migrate safely.
import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as foundation from './migrations/0001-foundation.js';
import * as relationshipHealth from './migrations/0002-relationship-health.js';
import * as purchaseModel from './migrations/0003-purchase-model.js';
import * as tasks from './migrations/0004-tasks.js';
import * as journeys from './migrations/0005-journeys.js';
import * as unrankedAccounts from './migrations/0006-unranked-accounts.js';
import * as outboxDelivery from './migrations/0007-outbox-delivery.js';
import * as journeyTriggers from './migrations/0008-journey-triggers.js';
import * as eventDueLane from './migrations/0009-event-due-lane.js';
import * as accountFacts from './migrations/0010-account-facts.js';
import * as accountEventQueue from './migrations/0011-account-event-queue.js';
import * as dailyRefresh from './migrations/0012-daily-refresh.js';
import * as personActivity from './migrations/0013-person-activity.js';
import * as purchaseModelFits from './migrations/0014-purchase-model-fits.js';
import * as auditLog from './migrations/0015-audit-log.js';
import * as inboundReceipts from './migrations/0016-inbound-receipts.js';
import * as revocableKeys from './migrations/0017-revocable-keys.js';
import * as erasure from './migrations/0019-erasure.js';
import * as interactionsByPerson from './migrations/0020-interactions-by-person.js';
import * as manualClock from './migrations/0021-manual-clock.js';
import * as peopleSignIn from './migrations/0022-people-sign-in.js';
import * as accountList from './migrations/0023-account-list.js';
import * as appReads from './migrations/0024-app-reads.js';
import * as tasksEscalated from './migrations/0025-tasks-escalated.js';
import * as moneyAtRisk from './migrations/0026-money-at-risk.js';
import * as learnedHealth from './migrations/0027-learned-health.js';
import * as runEntryHealth from './migrations/0028-run-entry-health.js';
import * as touchBounds from './migrations/0029-touch-bounds.js';
import * as staffNotices from './migrations/0030-staff-notices.js';
import * as undeliverableAddresses from './migrations/0032-undeliverable-addresses.js';
import * as promiseFacts from './migrations/0033-promise-facts.js';
import * as conversations from './migrations/0031-conversations.js';
import * as outboxPriority from './migrations/0035-outbox-priority.js';

/** Migrations are listed here, not discovered on disk, so a bundled or installed Tend finds them all. */
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-relationship-health': relationshipHealth,
  '0003-purchase-model': purchaseModel,
  '0004-tasks': tasks,
  '0005-journeys': journeys,
  '0006-unranked-accounts': unrankedAccounts,
  '0007-outbox-delivery': outboxDelivery,
  '0008-journey-triggers': journeyTriggers,
  '0009-event-due-lane': eventDueLane,
  '0010-account-facts': accountFacts,
  '0011-account-event-queue': accountEventQueue,
  '0012-daily-refresh': dailyRefresh,
  '0013-person-activity': personActivity,
  '0014-purchase-model-fits': purchaseModelFits,
  '0015-audit-log': auditLog,
  '0016-inbound-receipts': inboundReceipts,
  '0017-revocable-keys': revocableKeys,
  '0019-erasure': erasure,
  '0020-interactions-by-person': interactionsByPerson,
  '0021-manual-clock': manualClock,
  '0022-people-sign-in': peopleSignIn,
  '0023-account-list': accountList,
  '0024-app-reads': appReads,
  '0025-tasks-escalated': tasksEscalated,
  '0026-money-at-risk': moneyAtRisk,
  '0027-learned-health': learnedHealth,
  '0028-run-entry-health': runEntryHealth,
  '0029-touch-bounds': touchBounds,
  '0030-staff-notices': staffNotices,
  '0032-undeliverable-addresses': undeliverableAddresses,
  '0033-promise-facts': promiseFacts,
  '0031-conversations': conversations,
  '0035-outbox-priority': outboxPriority,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema to the newest version; throws with the failing migration's name. */
export async function migrateToLatest(database: Kysely<unknown>): Promise<string[]> {
  // Unordered: migrations written side by side (one number each) may land after a later number has
  // run somewhere; each migration stands on its own, so the order among new ones does not matter.
  const migrator = new Migrator({ db: database, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
