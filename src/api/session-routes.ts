// Signing in and out: `POST /api/v1/sessions` with e-mail and password (a generic refusal that does not
// tell whether the address is known; 10 failures per account and per address in 15 minutes, then 429),
// `DELETE /api/v1/sessions/current`, `GET /api/v1/me`, and `PUT /api/v1/me/password`; the one-time links
// (link-routes.ts) and the management of people (people-routes.ts) register with them.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TendError } from '../domain/errors.js';
import { addressKey } from '../domain/rate-limit-address.js';
import { type SignInAdmission, passwordProblem } from '../domain/sign-in-rules.js';
import { hashNeedsRenewal, hashPassword, passwordMatches } from '../store/passwords.js';
import { endSession, liveSession } from '../store/sessions.js';
import { forgetAccountFailures, recordSignInFailure, signInAdmissionFor } from '../store/sign-in-failures.js';
import { changePassword, passwordHashOf, profileOf, savePasswordHash, signInCandidate } from '../store/user-access.js';
import { EmailAddress, Me, Password, PasswordChanged, SignedIn } from './people-schemas.js';
import {
  type SessionRouteDependencies,
  clearSessionCookie,
  lifetimeOf,
  refuseForeignOrigin,
  requireOwnOrigin,
  sessionTokenOf,
  signInAs,
} from './session-cookie.js';
import { linkRoutes } from './link-routes.js';
import { peopleRoutes } from './people-routes.js';
import { OneAtATime } from './one-at-a-time.js';

/** A session started by a link may set a new password without the old one for this long (a forgotten one). */
const linkSessionMayResetMilliseconds = 60 * 60_000;

const wrongPassword = (): TendError =>
  new TendError('unauthorized', 'E-mail or password is not right', [{ field: 'body', message: 'does not match' }]);

/** Throws the 429 for too many failed sign-ins, with Retry-After. */
export function refuseWhenLimited(reply: FastifyReply, admission: SignInAdmission): void {
  if (admission.kind === 'admitted') return;
  reply.header('retry-after', String(admission.retryAfterSeconds));
  const minutes = Math.ceil(admission.retryAfterSeconds / 60);
  const whose = admission.by === 'account' ? 'for this e-mail address' : 'from your network address';
  throw new TendError(
    'rate_limited',
    `Too many failed sign-ins ${whose} (10 in 15 minutes): ` +
      `try again in ${minutes} minute${minutes === 1 ? '' : 's'}, ` +
      'or ask an admin for a sign-in link.',
    [{ field: admission.by === 'account' ? 'body.email' : 'address', message: 'too many failed sign-ins' }],
  );
}

export async function sessionRoutes(plain: FastifyInstance, dependencies: SessionRouteDependencies): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, credentials, processClock } = dependencies;
  // Attempts for one e-mail or from one address check, hash and count one at a time (see OneAtATime).
  const attempts = new OneAtATime();
  const authenticate = async (request: FastifyRequest) => credentials.authenticate(request);
  const security: { [scheme: string]: string[] }[] = [{ session: [] }, { adminToken: [] }];

  server.post(
    '/api/v1/sessions',
    {
      schema: {
        tags: ['people'],
        summary: 'Sign in with e-mail and password: sets the session cookie',
        body: Type.Object({ email: EmailAddress, password: Password }),
        response: { 200: SignedIn },
      },
    },
    async (request, reply) => {
      refuseForeignOrigin(request, dependencies.publicUrl());
      const email = request.body.email.trim().toLowerCase();
      const address = addressKey(request.ip);
      const { candidate, hash } = await attempts.run([`email:${email}`, `address:${address}`], async () => {
        refuseWhenLimited(reply, await signInAdmissionFor(database, email, address, processClock.now()));
        const found = await signInCandidate(database, email);
        const stored = found?.passwordHash ?? null;
        // Hashed whether or not the address is known (a decoy then), so the answer takes as long.
        const matches = await passwordMatches(request.body.password, stored);
        if (found === null || stored === null || !matches) {
          await recordSignInFailure(database, email, address, processClock.now());
          throw wrongPassword();
        }
        return { candidate: found, hash: stored };
      });
      if (candidate.disabled) {
        throw new TendError('forbidden', 'Your access to Tend is disabled: ask an admin of your Tend.', [
          { field: 'body.email', message: 'is disabled' },
        ]);
      }
      await forgetAccountFailures(database, email);
      if (hashNeedsRenewal(hash)) {
        await savePasswordHash(database, candidate.id, await hashPassword(request.body.password));
      }
      return signInAs(reply, candidate.id, 'password', dependencies);
    },
  );

  server.delete(
    '/api/v1/sessions/current',
    {
      schema: {
        tags: ['people'],
        summary: 'Sign out: ends the session of the cookie and clears it',
        response: {
          204: Type.Unsafe<undefined>({ type: 'null', description: 'signed out (also when there was none)' }),
        },
      },
    },
    async (request, reply) => {
      const token = sessionTokenOf(request);
      if (token !== null) {
        requireOwnOrigin(request, dependencies.publicUrl());
        await endSession(database, token, processClock.now());
      }
      clearSessionCookie(reply, dependencies);
      return reply.status(204).send();
    },
  );

  server.get(
    '/api/v1/me',
    {
      onRequest: authenticate,
      schema: { tags: ['people'], summary: 'Who is signed in', security, response: { 200: Me } },
    },
    async (request) => {
      const viewer = credentials.viewerOf(request);
      if (viewer.user === null) return { signedInWith: 'admin-token' as const, role: viewer.kind, person: null };
      return { signedInWith: 'session' as const, role: viewer.kind, person: await profileOf(database, viewer.user.id) };
    },
  );

  server.put(
    '/api/v1/me/password',
    {
      onRequest: authenticate,
      schema: {
        tags: ['people'],
        summary: "Set or change one's password: ends one's other sessions",
        security,
        body: Type.Object({ currentPassword: Type.Optional(Password), newPassword: Password }),
        response: { 200: PasswordChanged },
      },
    },
    async (request, reply) => {
      const user = credentials.viewerOf(request).user;
      const token = sessionTokenOf(request);
      if (user === null || token === null) {
        throw new TendError('forbidden', 'An admin token is not a person: sign in as yourself to set your password.', [
          { field: 'authorization', message: 'is an admin token, not a session' },
        ]);
      }
      const problem = passwordProblem(request.body.newPassword);
      if (problem !== null) {
        const field = [{ field: 'body.newPassword', message: problem }];
        throw new TendError('invalid_request', `The new password ${problem}.`, field);
      }
      const now = processClock.now();
      const session = await liveSession(database, token, now, lifetimeOf(dependencies));
      const current = await passwordHashOf(database, user.id);
      const resetByLink =
        session !== null &&
        session.startedBy !== 'password' &&
        now.getTime() - session.createdAt.getTime() < linkSessionMayResetMilliseconds;
      if (current !== null && !resetByLink) {
        const address = addressKey(request.ip);
        const given = request.body.currentPassword;
        const matches = await attempts.run([`email:${user.email}`, `address:${address}`], async () => {
          refuseWhenLimited(reply, await signInAdmissionFor(database, user.email, address, now));
          const right = given !== undefined && (await passwordMatches(given, current));
          if (!right) await recordSignInFailure(database, user.email, address, now);
          return right;
        });
        if (!matches) {
          throw new TendError(
            'invalid_request',
            given === undefined
              ? 'Give your current password (currentPassword) to change it; if you forgot it, ask an admin for ' +
                  'a sign-in link.'
              : 'The current password is not right; if you forgot it, ask an admin for a sign-in link.',
            [{ field: 'body.currentPassword', message: given === undefined ? 'is missing' : 'is not right' }],
          );
        }
      }
      const hash = await hashPassword(request.body.newPassword);
      const at = { business: dependencies.clock.now(), process: processClock.now() };
      const actor = credentials.actorOf(request);
      const person = { id: user.id, email: user.email };
      const otherSessionsEnded = await changePassword(database, person, hash, token, actor, at);
      return { person: (await profileOf(database, user.id))!, otherSessionsEnded };
    },
  );

  await linkRoutes(plain, dependencies);
  await peopleRoutes(plain, dependencies);
}
