// Refuses, before any route runs, a request whose path parameters, query or parsed body hold text the
// database cannot store (a NUL, a lone surrogate) or JSON nested past the limit: answered 400 naming
// the field, as validation errors are, instead of failing in the database with a 500.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type FieldProblem, listProblems, TendError } from '../domain/errors.js';
import { jsonProblems } from '../domain/json-limits.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route checks its body itself, with field names of its own (the Tracking API); the guard checks the rest. */
    readonly checksOwnBody?: boolean;
  }
}

/**
 * Fastify's validator settings: ajv's `uuid` format also admits `urn:uuid:…`, which PostgreSQL's uuid
 * type refuses (a 500); a uuid here is the plain 8-4-4-4-12 form only.
 */
export const validatorSettings = {
  onCreate: (ajv: { addFormat(name: string, format: RegExp): unknown }) =>
    ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i),
};

function checkable(value: unknown): boolean {
  return typeof value === 'string' || (typeof value === 'object' && value !== null && !Buffer.isBuffer(value));
}

/**
 * Checks every request's params, query and (unless its route checks it) body; on the root, so all
 * routes get it. Before validation, so that no schema meets such text; and again after it, since the
 * validator's coercion turns a query's "1e400" into Infinity.
 */
export function registerInputGuard(server: FastifyInstance): void {
  const check = async (request: FastifyRequest) => {
    const problems: FieldProblem[] = [];
    const parts: [string, unknown][] = [
      ['params', request.params],
      ['query', request.query],
    ];
    if (request.routeOptions.config.checksOwnBody !== true) parts.push(['body', request.body]);
    for (const [name, value] of parts) {
      if (checkable(value)) problems.push(...jsonProblems(value, name));
    }
    if (problems.length === 0) return;
    const listed = listProblems(problems.slice(0, 3));
    throw new TendError('invalid_request', `The request is invalid: ${listed}.`, problems);
  };
  server.addHook('preValidation', check);
  server.addHook('preHandler', check);
}
