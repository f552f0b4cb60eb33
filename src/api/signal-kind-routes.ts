// The kinds of signal Tend raises and what a rep calls them, for the app's labels and filters: a kind
// added to the registry (domain/relationship/signals/) shows in the app with no change to the app.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { signalDefinitions, type SignalKind, signalKinds } from '../domain/relationship/signals/registry.js';
import { appSecurity } from './account-list-routes.js';
import type { Credentials } from './credentials.js';
import { List, OneOf } from './relationship-schemas.js';

export const SignalKindList = Type.Object(
  {
    kinds: List(
      Type.Object({
        kind: OneOf<SignalKind>(signalKinds),
        label: Type.String({ description: "what a rep calls it, e.g. 'Neglected'" }),
      }),
      { description: 'in the order an account lists its signals' },
    ),
  },
  { title: 'SignalKindList' },
);

/** The same for everyone and for as long as Tend runs: built once. */
const answer = { kinds: signalDefinitions.map(({ kind, label }) => ({ kind, label })) };

export async function signalKindRoutes(plain: FastifyInstance, dependencies: { credentials: Credentials }) {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  server.addHook('onRequest', async (request) => dependencies.credentials.authenticate(request));
  server.get(
    '/api/v1/signal-kinds',
    {
      schema: {
        tags: ['relationship'],
        summary: 'The kinds of signal Tend raises, each with what a rep calls it',
        security: appSecurity,
        response: { 200: SignalKindList },
      },
    },
    async () => answer,
  );
}
