// The session cookie: how a person's browser proves who they are (`tend_session`, HttpOnly, SameSite=Lax,
// Secure behind https), and the CSRF rule for it: a cookie-signed request that changes anything must come
// from Tend's own pages, as its Origin (or Referer) header shows. Bearer tokens are not sent by browsers
// on their own, so they need no such check.
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import type { Database } from '../store/schema.js';
import { type SessionLifetime, forgetEndedSessions, startSession, viewerForSession } from '../store/sessions.js';
import { type Profile, profileOf } from '../store/user-access.js';
import type { Credentials } from './credentials.js';
import type { InvitationMail } from '../engine/invitations.js';

export const sessionCookieName = 'tend_session';

export interface SessionSettings {
  readonly database: Kysely<Database>;
  readonly credentials: Credentials;
  /** Real time: sessions go idle in real days even when the business clock is manual. */
  readonly processClock: Clock;
  readonly sessionIdleDays: number;
  /** Where people reach Tend (TEND_PUBLIC_URL, else its own URL): its origin is Tend's own. */
  readonly publicUrl: () => string;
}

/** What the sign-in routes need besides the sessions' settings. */
export interface SessionRouteDependencies extends SessionSettings {
  /** The business clock: audit entries and users' creation are stamped by it. */
  readonly clock: Clock;
  /** How sign-in links can be e-mailed (an invitation): through SMTP, or not at all. */
  readonly invitations?: InvitationMail;
}

/** What a hook sees of a request: enough to read the cookie and check where a write comes from. */
interface CookieRequest {
  readonly method?: string;
  readonly headers: {
    readonly cookie?: string;
    readonly origin?: string;
    readonly referer?: string;
    readonly host?: string;
  };
  readonly cookies?: Record<string, string | undefined>;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function lifetimeOf(settings: Pick<SessionSettings, 'sessionIdleDays'>): SessionLifetime {
  return { idleMilliseconds: settings.sessionIdleDays * 86_400_000 };
}

/** The session token a request carries in its cookie, or null. */
export function sessionTokenOf(request: object): string | null {
  const cookies = (request as CookieRequest).cookies;
  const token = cookies?.[sessionCookieName];
  return token === undefined || token === '' ? null : token;
}

/**
 * Whether a request comes from Tend's own pages: its Origin, or failing that its Referer, is on the host
 * the request was sent to, or is TEND_PUBLIC_URL's origin (behind a proxy that rewrites Host).
 */
export function fromOwnOrigin(request: object, publicUrl: string): boolean {
  const headers = (request as CookieRequest).headers;
  const claimed = headers.origin ?? headers.referer;
  if (claimed === undefined || !URL.canParse(claimed)) return false;
  const from = new URL(claimed);
  if (from.protocol !== 'http:' && from.protocol !== 'https:') return false;
  if (headers.host !== undefined && from.host === headers.host.toLowerCase()) return true;
  return URL.canParse(publicUrl) && from.origin === new URL(publicUrl).origin;
}

/** Refuses (403) a request that changes something from elsewhere than Tend's own pages. */
export function requireOwnOrigin(request: object, publicUrl: string): void {
  if (fromOwnOrigin(request, publicUrl)) return;
  const own = URL.canParse(publicUrl) ? new URL(publicUrl).origin : 'Tend’s own address';
  throw new TendError(
    'forbidden',
    'A signed-in request that changes something must come from Tend’s own pages: its Origin (or Referer) header ' +
      `must be ${own} or the host it was sent to (the CSRF rule). Scripts use an admin token ` +
      '("Authorization: Bearer …") instead of a session cookie.',
    [{ field: 'origin', message: 'is missing or not Tend’s own origin' }],
  );
}

/** Kept by the browser as long as browsers allow: whether the session still works is the server's to say. */
const cookieMaxAgeSeconds = 400 * 86_400;

/**
 * A request that starts a session from a page (sign-in, set-up, a link) may come without an Origin (a
 * script), but not from another site's page: that would sign a browser in as the attacker (login CSRF).
 */
export function refuseForeignOrigin(request: FastifyRequest, publicUrl: string): void {
  const claimsOrigin = request.headers.origin !== undefined || request.headers.referer !== undefined;
  if (claimsOrigin) requireOwnOrigin(request, publicUrl);
}

/** Starts a session, sets its cookie, and answers who signed in. */
export async function signInAs(
  reply: FastifyReply,
  userId: string,
  startedBy: 'password' | 'link' | 'setup',
  dependencies: SessionSettings,
): Promise<{ person: Profile }> {
  const now = dependencies.processClock.now();
  await forgetEndedSessions(dependencies.database, userId, now, lifetimeOf(dependencies));
  const token = await startSession(dependencies.database, userId, startedBy, now);
  setSessionCookie(reply, token, dependencies);
  const person = await profileOf(dependencies.database, userId);
  if (person === null) throw new Error(`signInAs: user ${userId} vanished`);
  return { person };
}

/** Sets the session cookie on a reply; Secure when Tend is reached over https. */
export function setSessionCookie(reply: FastifyReply, token: string, settings: SessionSettings): void {
  void reply.setCookie(sessionCookieName, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: settings.publicUrl().startsWith('https:'),
    maxAge: cookieMaxAgeSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply, settings: SessionSettings): void {
  void reply.clearCookie(sessionCookieName, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: settings.publicUrl().startsWith('https:'),
  });
}

/**
 * Reads the cookie on every request and lets the credentials sign people in by it. A cookie that no
 * longer works is answered 401 with words for a person (not the admin token's), so the app can send
 * them to sign in again.
 */
export async function registerSessions(server: FastifyInstance, settings: SessionSettings): Promise<void> {
  await server.register(fastifyCookie);
  const lifetime = lifetimeOf(settings);
  settings.credentials.useSessions(async (request) => {
    const token = sessionTokenOf(request);
    if (token === null) return null;
    if (!safeMethods.has(request.method ?? 'GET')) requireOwnOrigin(request, settings.publicUrl());
    const viewer = await viewerForSession(settings.database, token, settings.processClock.now(), lifetime);
    if (viewer !== null) return viewer;
    throw new TendError(
      'unauthorized',
      `Your session has ended (you signed out, it was unused for ${settings.sessionIdleDays} days, your password ` +
        'changed, or an admin disabled you): sign in again.',
      [{ field: 'cookie', message: `${sessionCookieName} is not a session that works` }],
    );
  });
}
