// The secrets a start makes sure of: the write key and admin token the settings name, or on a first start
// a generated write key and admin token, shown once. A new TEND_ADMIN_TOKEN revokes the one it replaced.
import type { TendSettings } from '../config/settings.js';
import type { Store } from '../store/database.js';
import { addAdminToken, addWriteKey, countAdminTokens, countWriteKeys, newSecret } from '../store/secrets.js';
import { type AdminTokenRecord, acceptEnvironmentToken } from '../store/token-registry.js';

/** Secrets created by this start, to be shown once and never again. */
export interface CreatedSecrets {
  writeKey?: string;
  adminToken?: string;
  /** Tokens an earlier TEND_ADMIN_TOKEN set, revoked now that another replaced it. */
  replacedAdminTokens?: readonly AdminTokenRecord[];
  /** When TEND_ADMIN_TOKEN's token was revoked, if it was: it is refused like any revoked token. */
  adminTokenRevokedAt?: Date;
  /** While the store has no admin: a one-time link (`…/setup/<token>`, 24 h) to create the first one. */
  setupUrl?: string;
}

/** Adds the settings' write key and admin token, or creates the missing ones of a first start. */
export async function ensureSecrets(store: Store, settings: TendSettings, now: Date): Promise<CreatedSecrets> {
  const created: CreatedSecrets = {};
  if (settings.writeKey !== null) {
    await addWriteKey(store.database, 'default', settings.writeKey);
  } else if ((await countWriteKeys(store.database)) === 0) {
    created.writeKey = newSecret('wk');
    await addWriteKey(store.database, 'default', created.writeKey);
  }
  if (settings.adminToken !== null) {
    // A new TEND_ADMIN_TOKEN revokes the one it replaced (store/token-registry.ts).
    const accepted = await acceptEnvironmentToken(store.database, settings.adminToken, now);
    if (accepted.replaced.length > 0) created.replacedAdminTokens = accepted.replaced;
    if (accepted.revokedAt !== null) created.adminTokenRevokedAt = accepted.revokedAt;
  } else if ((await countAdminTokens(store.database)) === 0) {
    created.adminToken = newSecret('tend_admin');
    await addAdminToken(store.database, created.adminToken, 'generated at first start');
  }
  return created;
}
