// Who is calling: a write key (HTTP Basic user name, or writeKey in the body) for the Tracking API, a
// bearer admin token for the admin API. Verdicts are cached briefly so that the ingest path does not
// ask the database on every request; a revoked key stops working within the cache's lifetime.
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import type { Database } from '../store/schema.js';
import type { AuditActor } from '../domain/audit.js';
import { adminTokenLabel, hashSecret, sourceForWriteKey } from '../store/secrets.js';

const cacheMilliseconds = 60_000;

/** The write key of a request, from `Authorization: Basic base64(key:)`, or null. */
export function basicAuthUser(header: string | undefined): string | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const user = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
  return user === '' ? null : user;
}

export function bearerToken(header: string | undefined): string | null {
  if (!header?.startsWith('Bearer ')) return null;
  const token = header.slice(7).trim();
  return token === '' ? null : token;
}

export class Credentials {
  private readonly sources = new Map<string, { source: { id: string; name: string }; until: number }>();
  private readonly admins = new Map<string, { actor: AuditActor; until: number }>();

  // The cache uses process time, not the (possibly manual) business clock.
  constructor(private readonly database: Kysely<Database>, private readonly processClock: Clock) {}

  async sourceFor(writeKey: string | null): Promise<{ id: string; name: string }> {
    if (writeKey === null) {
      throw new TendError('unauthorized', 'No write key: send it as the HTTP Basic user name (empty password) or as "writeKey" in the body.', [{ field: 'writeKey', message: 'is missing' }]);
    }
    const cacheKey = hashSecret(writeKey).toString('base64');
    const now = this.processClock.now().getTime();
    const cached = this.sources.get(cacheKey);
    if (cached && cached.until > now) return cached.source;
    const source = await sourceForWriteKey(this.database, writeKey);
    if (!source) {
      throw new TendError('unauthorized', 'Unknown write key: create one with `tend keys create --source NAME`, or check for a typo.', [{ field: 'writeKey', message: 'is not a known write key' }]);
    }
    this.sources.set(cacheKey, { source, until: now + cacheMilliseconds });
    return source;
  }

  private readonly actors = new WeakMap<object, AuditActor>();

  /** The admin API's request hook: checks the token and remembers who is acting, for `actorOf`. */
  async authenticateAdmin(request: { readonly headers: { readonly authorization?: string } }): Promise<void> {
    this.actors.set(request, await this.requireAdmin(request.headers.authorization));
  }

  /** Who is behind an authenticated admin request (for the audit log). */
  actorOf(request: object): AuditActor {
    const actor = this.actors.get(request);
    if (actor === undefined) throw new Error('actorOf: the request was not authenticated by authenticateAdmin');
    return actor;
  }

  /** Checks an admin token and says who is acting (for the audit log). */
  async requireAdmin(authorization: string | undefined): Promise<AuditActor> {
    const token = bearerToken(authorization);
    if (token === null) {
      throw new TendError('unauthorized', 'The admin API needs "Authorization: Bearer <admin token>"; the token was printed when Tend first started (or set TEND_ADMIN_TOKEN).', [{ field: 'authorization', message: 'is missing' }]);
    }
    const cacheKey = hashSecret(token).toString('base64');
    const now = this.processClock.now().getTime();
    const cached = this.admins.get(cacheKey);
    if (cached && cached.until > now) return cached.actor;
    const label = await adminTokenLabel(this.database, token);
    if (label === null) {
      throw new TendError('unauthorized', 'The admin token is not valid. Use the token printed at first start, or the one in TEND_ADMIN_TOKEN.', [{ field: 'authorization', message: 'is not a valid admin token' }]);
    }
    const actor: AuditActor = { kind: 'admin-token', label };
    this.admins.set(cacheKey, { actor, until: now + cacheMilliseconds });
    return actor;
  }
}
