// Who is calling: a write key (HTTP Basic user name, or writeKey in the body) for the Tracking API; a
// bearer admin token, or a person's session, for the rest of the API. Verdicts are cached for seconds
// (verdict-cache.ts), so that the ingest path does not ask the database on every request and a revoked
// key stops working promptly.
import type { Kysely } from 'kysely';
import type { AuditActor } from '../domain/audit.js';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import type { Viewer } from '../domain/viewer.js';
import type { Database } from '../store/schema.js';
import { type WriteKeySource, adminTokenLabel, hashSecret, sourceForWriteKey } from '../store/secrets.js';
import { type VerdictLifetimes, VerdictCache } from './verdict-cache.js';

/**
 * A key is trusted for 5 s, then looked up again (answered from memory meanwhile for 5 s more), so a
 * revocation takes effect within 10 s; a wrong key is refused from memory for 10 s, so a flood of one
 * wrong key costs no database queries. Measured: docs/benchmarks/2026-12-07-credentials.md.
 */
export const credentialLifetimes: VerdictLifetimes = {
  knownMilliseconds: 5_000,
  unknownMilliseconds: 10_000,
  entries: 5_000,
};

/** What a tracking request's write key turned out to be. */
export type WriteKeyVerdict =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'known'; readonly source: WriteKeySource };

const missing: WriteKeyVerdict = { kind: 'missing' };
const unknown: WriteKeyVerdict = { kind: 'unknown' };

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

type WithHeaders = { readonly headers: { readonly authorization?: string } };

export class Credentials {
  private readonly sources: VerdictCache<WriteKeySource>;
  private readonly admins: VerdictCache<string>;
  /** Each tracking request's key looked up once, however many hooks ask (rate limits, the route). */
  private readonly requestKeys = new WeakMap<object, Promise<WriteKeyVerdict>>();
  private readonly actors = new WeakMap<object, AuditActor>();
  private readonly viewers = new WeakMap<object, Viewer>();
  private viewerBySession: ((request: WithHeaders & { readonly method?: string }) => Promise<Viewer | null>) | null =
    null;

  // The caches use process time, not the (possibly manual) business clock.
  constructor(
    database: Kysely<Database>,
    private readonly processClock: Clock,
    lifetimes: VerdictLifetimes = credentialLifetimes,
  ) {
    this.sources = new VerdictCache((key) => sourceForWriteKey(database, key), lifetimes);
    this.admins = new VerdictCache((token) => adminTokenLabel(database, token), lifetimes);
  }

  /**
   * The write key of a tracking request: the header's if there is one (checked before the body is
   * read), else the body's `writeKey` once parsed (pass it as `bodyKey`).
   */
  writeKeyOf(request: WithHeaders, bodyKey: string | null = null): Promise<WriteKeyVerdict> {
    const remembered = this.requestKeys.get(request);
    if (remembered !== undefined) return remembered;
    const key = basicAuthUser(request.headers.authorization) ?? bodyKey;
    if (key === null) return Promise.resolve(missing);
    const verdict = this.sources
      .verdict(key, hashSecret(key).toString('base64'), this.processClock.now().getTime())
      .then((source): WriteKeyVerdict => (source === null ? unknown : { kind: 'known', source }));
    this.requestKeys.set(request, verdict);
    return verdict;
  }

  /** The source a tracking request sends for; throws the 401 for a missing, unknown or revoked key. */
  async sourceOf(request: WithHeaders, bodyKey: string | null = null): Promise<WriteKeySource> {
    const verdict = await this.writeKeyOf(request, bodyKey);
    switch (verdict.kind) {
      case 'known':
        return verdict.source;
      case 'missing':
        throw new TendError(
          'unauthorized',
          'No write key: send it as the HTTP Basic user name (empty password) or as "writeKey" in the body.',
          [{ field: 'writeKey', message: 'is missing' }],
        );
      case 'unknown':
        throw new TendError(
          'unauthorized',
          'Unknown or revoked write key: create one with `tend keys create --source NAME`, or check for a typo.',
          [{ field: 'writeKey', message: 'is not a known write key' }],
        );
    }
  }

  /**
   * Signs people in by their session (set by the sessions' routes): consulted when a request carries no
   * bearer token. Returns null when the request has no valid session.
   */
  useSessions(viewerBySession: (request: WithHeaders & { readonly method?: string }) => Promise<Viewer | null>): void {
    this.viewerBySession = viewerBySession;
  }

  /**
   * The API's request hook: finds who is calling (an admin token, or a person's session) and remembers
   * it for `viewerOf` and `actorOf`. Throws 401 when nobody is signed in.
   */
  async authenticate(request: WithHeaders & { readonly method?: string }): Promise<void> {
    const viewer = await this.viewerFor(request);
    this.viewers.set(request, viewer);
    this.actors.set(request, viewer.actor);
  }

  /** The hook of the admin-only API (settings, keys, the clock): a person must be an admin, or 403. */
  async authenticateAdmin(request: WithHeaders & { readonly method?: string }): Promise<void> {
    await this.authenticate(request);
    this.requireAdminViewer(request);
  }

  /** For an admin-only route among routes anyone signed in may call (after `authenticate`): 403 for others. */
  requireAdminViewer(request: object): void {
    if (this.viewerOf(request).kind !== 'admin') {
      throw new TendError('forbidden', 'Only an admin may do this: ask an admin of your Tend.', [
        { field: 'role', message: 'must be admin' },
      ]);
    }
  }

  /** Who is behind an authenticated request: what they may see follows from it (domain/viewer.ts). */
  viewerOf(request: object): Viewer {
    const viewer = this.viewers.get(request);
    if (viewer === undefined) throw new Error('viewerOf: the request was not authenticated by authenticate');
    return viewer;
  }

  private async viewerFor(request: WithHeaders & { readonly method?: string }): Promise<Viewer> {
    if (bearerToken(request.headers.authorization) === null && this.viewerBySession !== null) {
      const viewer = await this.viewerBySession(request);
      if (viewer !== null) return viewer;
    }
    const actor = await this.requireAdmin(request.headers.authorization);
    return { kind: 'admin', actor, user: null };
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
      throw new TendError(
        'unauthorized',
        'The admin API needs "Authorization: Bearer <admin token>"; the token was printed when Tend first started ' +
          '(or set TEND_ADMIN_TOKEN).',
        [{ field: 'authorization', message: 'is missing' }],
      );
    }
    const label = await this.admins.verdict(
      token,
      hashSecret(token).toString('base64'),
      this.processClock.now().getTime(),
    );
    if (label === null) {
      throw new TendError(
        'unauthorized',
        'The admin token is not valid, or was revoked. Use the token printed at first start, the one in ' +
          'TEND_ADMIN_TOKEN, or one made by `tend tokens create`.',
        [{ field: 'authorization', message: 'is not a valid admin token' }],
      );
    }
    return { kind: 'admin-token', label };
  }
}
