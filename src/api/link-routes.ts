// One-time links over HTTP: the first-admin setup (`/api/v1/setup/{token}`, whose link `tend start`
// prints while there is no admin), sign-in links an admin makes for a person
// (`POST /api/v1/users/{id}/sign-in-link`, e-mailed as an invitation on request), and using one
// (`POST /api/v1/sign-in/{token}`).
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TendError } from '../domain/errors.js';
import { passwordProblem } from '../domain/sign-in-rules.js';
import {
  createSignInLink,
  linkRefusal,
  linkState,
  linkUrl,
  useSetupLink,
  useSignInLink,
} from '../store/one-time-links.js';
import { hashPassword } from '../store/passwords.js';
import { emailInvitation } from '../engine/invitations.js';
import { Password, SignedIn } from './people-schemas.js';
import { type SessionRouteDependencies, refuseForeignOrigin, signInAs } from './session-cookie.js';

const Token = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });

const SetupLinkState = Type.Object(
  {
    valid: Type.Boolean(),
    reason: Type.Union([
      Type.Null(),
      Type.Literal('unknown'),
      Type.Literal('used'),
      Type.Literal('expired'),
      Type.Literal('admin-exists'),
    ]),
  },
  { title: 'SetupLinkState', description: 'whether the link can still create the first admin, or why not' },
);

const SignInLink = Type.Object(
  {
    url: Type.String({ description: 'one use, valid 24 hours' }),
    expiresAt: Type.String({ format: 'date-time' }),
    sent: Type.Boolean({ description: 'whether Tend e-mailed it to the person (asked with "send": true)' }),
  },
  { title: 'SignInLink' },
);

export async function linkRoutes(plain: FastifyInstance, dependencies: SessionRouteDependencies): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, credentials, processClock } = dependencies;
  const now = () => ({ business: dependencies.clock.now(), process: processClock.now() });

  server.get(
    '/api/v1/setup/:token',
    {
      schema: {
        tags: ['people'],
        summary: 'Whether a set-up link can still create the first admin',
        params: Token,
        response: { 200: SetupLinkState },
      },
    },
    async (request) => {
      const state = await linkState(database, request.params.token, 'setup', processClock.now());
      if (state.kind === 'valid') return { valid: true, reason: null };
      // A setup link names no person, so "disabled" cannot happen; it reads as unknown.
      return { valid: false, reason: state.kind === 'disabled' ? 'unknown' : state.kind };
    },
  );

  server.post(
    '/api/v1/setup/:token',
    {
      schema: {
        tags: ['people'],
        summary: 'Create the first admin with the set-up link, and sign them in',
        params: Token,
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 200 }),
          email: Type.String({ format: 'email', maxLength: 320 }),
          password: Password,
        }),
        response: { 201: SignedIn },
      },
    },
    async (request, reply) => {
      refuseForeignOrigin(request, dependencies.publicUrl());
      const problem = passwordProblem(request.body.password);
      if (problem !== null) {
        const field = [{ field: 'body.password', message: problem }];
        throw new TendError('invalid_request', `The password ${problem}.`, field);
      }
      const passwordHash = await hashPassword(request.body.password);
      const admin = { name: request.body.name.trim(), email: request.body.email, passwordHash };
      const outcome = await useSetupLink(database, request.params.token, admin, now());
      if (outcome.kind !== 'created') throw linkRefusal(outcome, 'setup');
      reply.status(201);
      return signInAs(reply, outcome.userId, 'setup', dependencies);
    },
  );

  server.post(
    '/api/v1/users/:id/sign-in-link',
    {
      onRequest: async (request: FastifyRequest) => credentials.authenticateAdmin(request),
      // The body came later and is optional: a POST without one (as before) makes a link and sends nothing.
      preValidation: async (request: FastifyRequest) => {
        request.body ??= {};
      },
      schema: {
        tags: ['people'],
        summary: 'A one-time sign-in link for a person (by e-mail or id), valid 24 hours',
        security: [{ session: [] }, { adminToken: [] }],
        description:
          'With `"send": true`, Tend also e-mails the person an invitation with the link (SMTP must be configured: ' +
          'TEND_SMTP_URL, else 409); the link is made only once the e-mail was sent (503 when it was not).',
        params: Type.Object({ id: Type.String({ minLength: 1 }) }),
        body: Type.Object(
          { send: Type.Optional(Type.Boolean({ description: 'e-mail the link to the person' })) },
          { description: 'may be left out: the link is made and not e-mailed' },
        ),
        response: { 201: SignInLink },
      },
    },
    async (request, reply) => {
      const actor = credentials.actorOf(request);
      if (request.body.send === true) {
        const inviter = credentials.viewerOf(request).user;
        const publicUrl = dependencies.publicUrl();
        const invitation = { idOrEmail: request.params.id, actor, inviter, publicUrl, at: now() };
        const mail = dependencies.invitations ?? { kind: 'not-configured' };
        const sent = await emailInvitation(database, mail, invitation);
        reply.status(201);
        return { url: sent.url, expiresAt: sent.expiresAt.toISOString(), sent: true };
      }
      const link = await createSignInLink(database, request.params.id, actor, now());
      reply.status(201);
      const url = linkUrl(dependencies.publicUrl(), 'sign-in', link.token);
      return { url, expiresAt: link.expiresAt.toISOString(), sent: false };
    },
  );

  server.post(
    '/api/v1/sign-in/:token',
    {
      schema: {
        tags: ['people'],
        summary: 'Sign in with a one-time link: sets the session cookie (then offer to set a password)',
        params: Token,
        response: { 200: SignedIn },
      },
    },
    async (request, reply) => {
      refuseForeignOrigin(request, dependencies.publicUrl());
      const outcome = await useSignInLink(database, request.params.token, processClock.now());
      if (outcome.kind !== 'signed-in') throw linkRefusal(outcome, 'sign-in');
      return signInAs(reply, outcome.userId, 'link', dependencies);
    },
  );
}
