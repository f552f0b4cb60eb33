// Managing people (admins only): disabling someone ends their sessions at once and stops their links;
// enabling them lets them sign in again. Roles change through `POST /api/v1/users`, as before.
import { type TypeBoxTypeProvider, Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { setUserDisabled } from '../store/user-access.js';
import { Person } from './people-schemas.js';
import type { SessionRouteDependencies } from './session-cookie.js';

export async function peopleRoutes(plain: FastifyInstance, dependencies: SessionRouteDependencies): Promise<void> {
  const server = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { database, credentials } = dependencies;
  const onRequest = async (request: FastifyRequest) => credentials.authenticateAdmin(request);
  const security: { [scheme: string]: string[] }[] = [{ session: [] }, { adminToken: [] }];
  const params = Type.Object({ id: Type.String({ minLength: 1, description: 'the user’s id or e-mail' }) });
  const at = () => ({ business: dependencies.clock.now(), process: dependencies.processClock.now() });

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    const summary = disabled
      ? 'Disable a person: their sessions end, their links stop working, they cannot sign in'
      : 'Enable a disabled person again: they may sign in';
    server.post(
      `/api/v1/users/:id/${action}`,
      { onRequest, schema: { tags: ['people'], summary, security, params, response: { 200: Person } } },
      async (request) => setUserDisabled(database, request.params.id, disabled, credentials.actorOf(request), at()),
    );
  }
}
